"""Answers that read well (pure functions on tiny strings): whole phrases, no Markdown, yes/no from the evidence."""

from __future__ import annotations

import pytest

from skills.qa.answer_type import expected_type, range_part, typed_part
from skills.qa.phrases import clean_answer, crosses_structure, escape_markdown, whole_phrase
from skills.qa.tables import INSERTED, to_original, with_column_names
from skills.qa.yesno import (
    decide,
    decide_sentence,
    evidence_candidates,
    is_yes_no_question,
    sentence_bounds,
    sentence_spans,
    shared_words,
    yes_no_text,
)


def widened(text: str, span: str) -> str:
    start = text.index(span)
    begin, end = whole_phrase(text, start, start + len(span))
    return text[begin:end]


@pytest.mark.parametrize(
    ("text", "span", "phrase"),
    [
        ("The walk takes 45 minutes each way.", "45", "45 minutes"),
        ("A coffee costs €12.50 at the bar.", "12.50", "€12.50"),
        ("Pay GBP 40 at the desk.", "40", "GBP 40"),
        ("Arrive by 8:15 am and leave at 3:00 pm.", "3:00", "3:00 pm"),
        ("Doors open at 8 a.m. sharp.", "8", "8 a.m."),
        ("It is a 45-minute walk.", "45", "45-minute"),
        ("The deposit is 25% of the total.", "25", "25%"),
        ("The show is on Friday 14 March at noon.", "14", "Friday 14 March"),
        ("The show is on Friday 14 March 2025 at noon.", "March", "Friday 14 March 2025"),
        ("Reply by March 3rd, 2025 please.", "3rd", "March 3rd, 2025"),
        ("Call 01632 960418, or write.", "960418,", "01632 960418"),
        ("Fees (ages 4 to 11) are waived.", "(ages 4", "(ages 4 to 11)"),
        (
            "Fees (for all ages, including babies under one year old and their parents) are waived.",
            "(for all",
            "for all",
        ),
        ("Fees are waived (for all ages, including babies under one and their parents).", "waived (for", "waived"),
        ("Fees (ages 4 to 11) are waived.", "11) are waived", "(ages 4 to 11) are waived"),
        ("Membership is **free** for residents.", "free**", "free"),
        ("| Large | £33 | £25 |", "| £33 |", "£33"),
        ("- Sunday: 4:00 pm – 6:00 pm only", "4:00 pm – 6:00", "4:00 pm – 6:00 pm"),
        ("Ask for Jo-Anne", "Anne", "Jo-Anne"),
        ("Ask Mr O'Neill today", "Neill", "O'Neill"),
    ],
)
def test_a_span_widens_to_a_whole_phrase(text, span, phrase):
    assert widened(text, span) == phrase


def test_a_number_without_a_unit_stays_as_it_is():
    # "rooms" is counted, not a unit, and "may" after a number is no month when lowercase
    assert widened("We have 20 rooms.", "20") == "20"
    assert widened("Give 2 may be too many.", "2") == "2"


def test_structure_crossing_is_a_paragraph_cell_or_list_item_but_not_a_wrapped_line():
    assert crosses_structure("| Small | £24 |", 2, 14)
    assert crosses_structure("Bring a towel.\n- Short nails", 0, 25)
    assert crosses_structure("One.\n\nTwo.", 0, 9)
    assert not crosses_structure("the day is adults only, with the exception\nof babies", 0, 50)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("**Pets** are `not` allowed", "Pets are not allowed"),
        ("## Parking\n- Bay 4 is yours", "Parking Bay 4 is yours"),
        ("| Large | £33 |", "Large £33"),
        (
            "the day is adults only, with the exception\nof babies",
            "the day is adults only, with the exception of babies",
        ),
        ("1. Unplug the machine", "Unplug the machine"),
        ("password sea_gull_42", "password sea_gull_42"),
        ("*emphasis* and __strong__", "emphasis and strong"),
    ],
)
def test_no_markdown_or_line_break_is_left_in_an_answer(raw, clean):
    assert clean_answer(raw) == clean
    assert "\n" not in clean_answer(raw)


def test_markdown_characters_of_an_answer_are_escaped_for_the_chat():
    assert escape_markdown("sea*gull_42 [x]") == r"sea\*gull\_42 \[x\]"


@pytest.mark.parametrize(
    ("question", "yes_no"),
    [
        ("is parking included?", True),
        ("can i bring my dog", True),
        ("Do I need to bring a towel?", True),
        ("are pets allowed", True),
        ("so can we park there", True),
        ("r pets allowed", True),
        ("Isn't breakfast included?", True),
        ("when does the shop open?", False),
        ("do you know when the shop opens", False),
        ("is the class on monday or tuesday?", False),
        ("how much is parking", False),
    ],
)
def test_a_yes_no_question_is_told_by_its_first_words(question, yes_no):
    assert is_yes_no_question(question) is yes_no


PASSAGE = (
    "Check-in is from 3 pm. Pets are not allowed, with the exception of registered assistance dogs. "
    "Parking is included in the price; bikes cannot be stored inside. You can come without booking."
)


def verdict(question: str, span: str):
    start = PASSAGE.index(span)
    return decide(question, PASSAGE, start, start + len(span))


def test_a_yes_no_answer_carries_its_evidence_sentence_and_the_words_that_decided():
    result = verdict("can i bring my dog", "not allowed")
    assert result.answer == "no" and result.negations == ("not",)
    assert yes_no_text(result, PASSAGE) == (
        "No – Pets are not allowed, with the exception of registered assistance dogs."
    )
    assert "decided by “Pets are not allowed, with the exception of registered assistance dogs.”" in result.reason


def test_the_deciding_clause_is_the_one_holding_the_span():
    included = verdict("is parking included?", "included in the price")
    assert included.answer == "yes" and included.shared == ("parking", "included")
    assert yes_no_text(included, PASSAGE).startswith("Yes – Parking is included in the price; bikes cannot")
    assert verdict("Can I store my bike inside?", "cannot be stored").answer == "no"


def test_the_questions_own_negation_flips_the_answer_but_a_negated_auxiliary_does_not():
    assert verdict("can i come without booking", "without booking").answer == "yes"
    assert verdict("isn't parking included?", "Parking is included").answer == "yes"


def test_an_undecidable_yes_no_says_so_and_shows_the_evidence():
    result = verdict("is there a lift?", "Check-in is from 3 pm")
    assert result.answer is None
    assert yes_no_text(result, PASSAGE) == "I can't tell yes or no from the document; it says: Check-in is from 3 pm."


def test_a_list_item_or_table_row_is_a_sentence_and_a_title_is_no_sentence_end():
    text = "## Rules\n\n- Dogs only.\n- Dr. Price visits weekly\n| Large | £33 |"
    start = text.index("Price")
    assert text[slice(*sentence_bounds(text, start, start + 5))] == "Dr. Price visits weekly"
    start = text.index("£33")
    assert text[slice(*sentence_bounds(text, start, start + 3))] == "Large | £33"


def test_a_title_in_capitals_on_its_own_line_is_no_part_of_the_next_sentence():
    letter = "Dear parents,\n\nWHAT TO PACK\nPlease send a torch. Phones must stay\nat home.\n"
    assert [letter[a:b] for a, b in sentence_spans(letter)] == [
        "Dear parents,",
        "WHAT TO PACK",
        "Please send a torch.",
        "Phones must stay\nat home.",
    ]
    start = letter.index("Please")
    assert letter[slice(*sentence_bounds(letter, start, start + 6))] == "Please send a torch."


def test_yes_no_evidence_is_a_sentence_that_speaks_of_the_question_and_its_clauses_decide():
    texts = ["Check-in is from 3 pm. Pets are not allowed.", "Parking is free of charge."]
    assert evidence_candidates("can I bring my pets?", texts) == [(0, (23, 44))]
    assert len(evidence_candidates("is there a lift?", texts)) == 3  # none speaks of it: every sentence may
    text = "To cancel, give 30 days' notice by e-mail; we cannot take cancellations over the phone."
    by_phone = decide_sentence("can i cancel by phone", text, (0, len(text)))
    assert by_phone.answer == "no" and text[slice(*by_phone.clause)].strip().startswith("we cannot")


@pytest.mark.parametrize(
    ("question", "sentence", "answer"),
    [
        ("Is medication charged extra?", "Medication is given free of charge.", "no"),
        ("Is parking free?", "Parking is free of charge.", "yes"),
        ("is the sauna free?", "The sauna costs £5 a visit.", "no"),
        ("is the shop open on sundays?", "The shop is closed on Sundays.", "no"),
        ("Are glazes included in the price?", "Clay and glazes are included.", "yes"),
    ],
)
def test_a_word_that_denies_what_was_asked_says_no_without_a_negation(question, sentence, answer):
    result = decide_sentence(question, sentence, (0, len(sentence)))
    assert result.answer == answer
    assert bool(result.contraries) == (answer == "no")


def test_a_table_row_is_read_with_its_column_names_and_maps_back_to_the_document():
    text = "Plans:\n\n| Plan | Price |\n|---|---|\n| Basic | £25 a month |\n| Premium | £52 a month |\n\nJoin online."
    read_text, origin = with_column_names(text)
    assert read_text == "Plans:\n\nPlan: Basic; Price: £25 a month.\nPlan: Premium; Price: £52 a month.\n\nJoin online."
    assert all(text[o] == ch for ch, o in zip(read_text, origin, strict=True) if o != INSERTED)
    start = read_text.index("£52")
    assert text[slice(*to_original(origin, start, start + len("£52 a month")))] == "£52 a month"
    label = read_text.index("Price: £52")
    assert to_original(origin, label, label + len("Price:")) is None  # a column name is no part of the document
    assert with_column_names("| a | b |\n| c | d |") == ("| a | b |\n| c | d |", list(range(19)))  # no rule line


def test_headings_and_table_headers_are_never_yes_no_evidence():
    text = (
        "## What to bring\n\nPlease bring a towel.\n\n| Plan | Price |\n|---|---|\n| Basic | £25 |\n"
        "WHAT TO PACK\nA towel."
    )
    found = [text[slice(*s)] for _, s in evidence_candidates("can i bring a towel", [text])]
    assert found == ["Please bring a towel.", "A towel."]
    assert [text[slice(*s)] for _, s in evidence_candidates("is basic £25?", [text])] == ["Basic | £25"]


def test_a_plural_of_a_short_word_repeats_it():
    assert shared_words(["cat", "bus", "car"], ["cats", "buses", "cart"]) == ("cat", "bus")


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("When do quiet hours start on weekdays?", "10 pm"),
        ("until what time are quiet hours?", "7 am"),
        ("what time does the laundry close?", "7 am"),
        ("what are the quiet hours?", None),  # neither end asked: the range stays whole
    ],
)
def test_a_range_answers_with_the_end_the_question_asks_for(question, answer):
    text = "Quiet hours are from 10 pm to 7 am on weekdays."
    part = range_part(question, expected_type(question), text, text.index("10 pm"), text.index("7 am") + 4)
    assert (text[slice(*part)] if part else None) == answer


def test_a_phone_number_asked_for_is_cut_out_of_a_longer_span():
    text = "For a burst pipe at night, call the 24-hour line on 0161 496 0999."
    question = "what number do i call for a burst pipe?"
    part = typed_part(expected_type(question), text, text.index("call"), len(text) - 1)
    assert text[slice(*part)] == "0161 496 0999"
    assert typed_part("count", "We have 12 rooms.", 8, 16) is None  # a plain count stays as it is
