"""The QA reader: scoring across passages (pure, on made-up spans) and the skill's answers with the real packaged
encoder and the released adapter on tiny passages."""

from __future__ import annotations

import uuid

import pytest

from skills.base import Passage, SkillRequest
from skills.qa.answer_type import expected_type
from skills.qa.reader import ReaderConfig, Span, floor_score, passage_order, rank_candidates, read
from skills.qa.yesno import Evidence

NO_BONUS = ReaderConfig(prior="rank", retrieval_weight=5.0, type_weight=0.0, overlap_weight=0.0)


def kb(text: str, cosine: float, name: str = "notes.md") -> Passage:
    return Passage(text, f"kb:{name}", cosine)


def test_combined_scoring_prefers_a_slightly_lower_span_in_a_much_better_retrieved_passage():
    first = kb("Check-in is from 3 pm.", 0.61)
    third = kb("Breakfast is served from 8 am.", 0.22)
    spans = [[Span(17, 21, 9.0)], [], [Span(25, 29, 10.0)]]
    passages = [first, kb("Towels are in the cupboard.", 0.4), third]
    assert read("when is check-in?", passages, spans, NO_BONUS).passage == 0
    plain = read("when is check-in?", passages, spans, ReaderConfig(mode="plain"))
    assert (plain.passage, plain.answer) == (2, "8 am")  # today's reader trusts the logits alone
    # the prior weighs, it does not veto: a much better span further down still wins
    spans[2] = [Span(25, 29, 20.0)]
    assert read("when is check-in?", passages, spans, NO_BONUS).passage == 2


def test_reading_more_passages_picks_the_one_with_the_best_span_and_lists_it_first():
    passages = [
        kb("Opening hours: Monday to Friday.", 0.52),
        kb("Towels are in the cupboard.", 0.40),
        kb("Lockers are free.", 0.35),
        kb("The pool opens at 7 am.", 0.30, "pool.md"),
    ]
    spans = [[Span(15, 31, 2.0)], [], [Span(0, 7, 1.0)], [Span(17, 21, 14.0)]]
    reading = read("when does the pool open?", passages, spans, NO_BONUS)
    assert (reading.passage, reading.answer) == (3, "7 am")  # 14 - 5·log 4 beats 2 - 0
    assert passage_order(reading, 4) == [3, 0, 2, 1]  # then by best span; a passage without one last


def test_a_yes_no_rests_on_the_most_similar_sentence_not_on_the_best_span():
    passages = [kb("Check-in is from 3 pm. Barbecues are not allowed on balconies.", 0.5)]
    spans = [[Span(17, 21, 9.0)]]  # the span reader lands on "3 pm"
    evidence = [Evidence(0, (0, 22), 0.31), Evidence(0, (23, 62), 0.62)]
    reading = read("can i have a barbecue on the balcony?", passages, spans, NO_BONUS, evidence)
    assert reading.yes_no.answer == "no"
    assert reading.answer == "No – Barbecues are not allowed on balconies."
    assert passages[0].text[reading.start : reading.end] == "Barbecues are not allowed on balconies"


def too_weak(question, reading, passages, config, follow_up=False):
    score = floor_score(question, reading, passages, config, follow_up)
    return score is not None and score < config.min_answer_score


def test_a_weak_answer_from_the_knowledge_base_is_refused_but_not_a_yes_no_or_a_pasted_passage():
    config = ReaderConfig(prior="rank", retrieval_weight=5.0, min_answer_score=11.0)
    text = "Towels can be hired at reception for £1.50."
    passages, pasted = [kb(text, 0.4)], [Passage(text, "message")]
    weak, strong = [[Span(37, 42, -1.0)]], [[Span(37, 42, 2.0)]]  # + 8 (a price, as asked) + 2 ("towel")
    question = "how much is a towel?"
    assert too_weak(question, read(question, passages, weak, config), passages, config)
    assert not too_weak(question, read(question, passages, strong, config), passages, config)
    assert not too_weak(question, read(question, pasted, weak, config), pasted, config)
    # "and the towel?" after an answer from the same document: too short for the floor, which it is not held to
    assert not too_weak(question, read(question, passages, weak, config), passages, config, follow_up=True)
    yes_no = read("can I hire a towel?", passages, weak, config)
    assert yes_no.yes_no is not None and not too_weak("can I hire a towel?", yes_no, passages, config)
    # a question that expects no particular kind cannot earn the kind bonus: it is credited with it
    assert not too_weak("towel hire?", read("towel hire?", passages, [[Span(0, 6, 2.0)]], config), passages, config)


def test_the_cosine_prior_follows_the_retrieval_scores_not_the_order():
    passages = [kb("Check-in is from 3 pm.", 0.2), kb("Breakfast is served from 8 am.", 0.6)]
    spans = [[Span(17, 21, 10.0)], [Span(25, 29, 9.5)]]
    config = ReaderConfig(prior="cosine", retrieval_weight=5.0, type_weight=0.0, overlap_weight=0.0)
    assert read("when is it?", passages, spans, config).passage == 1  # 9.5 + 3.0 beats 10.0 + 1.0


def test_a_span_of_the_kind_the_question_expects_gets_its_bonus():
    text = "We have 20 rooms at the inn at £95 per night."
    passages = [Passage(text, "message")]
    spans = [[Span(8, 16, 10.0), Span(31, 34, 4.0)]]  # "20 rooms" beats "£95" on the logits
    assert expected_type("How much is a room at the inn?") == "money"
    answer = read("How much is a room at the inn?", passages, spans, ReaderConfig(overlap_weight=0.0)).answer
    assert answer == "£95"
    assert read("How much is a room at the inn?", passages, spans, NO_BONUS).answer == "20 rooms"


def test_spans_that_join_two_table_cells_or_two_sentences_are_dropped_where_others_exist():
    text = "| Small | £24 |\n| Large | £33 |"
    passages = [Passage(text, "message")]
    crossing, cell = Span(10, 27, 12.0), Span(26, 29, 8.0)
    ranked = rank_candidates("how much for a large dog?", passages, [[crossing, cell]], NO_BONUS)
    assert [c.span for c in ranked] == [cell]
    assert [c.span for c in rank_candidates("x", passages, [[crossing]], NO_BONUS)] == [crossing]  # nothing else


def test_reader_settings_come_from_the_environment_and_bad_values_are_refused():
    config = ReaderConfig.from_env({"EXCHAT_QA_READER": "plain", "EXCHAT_QA_RETRIEVAL_WEIGHT": "2.5"})
    assert (config.mode, config.retrieval_weight) == ("plain", 2.5)
    with pytest.raises(ValueError, match="'fancy'"):
        ReaderConfig.from_env({"EXCHAT_QA_READER": "fancy"})
    with pytest.raises(ValueError, match="EXCHAT_QA_TYPE_WEIGHT='lots'"):
        ReaderConfig.from_env({"EXCHAT_QA_TYPE_WEIGHT": "lots"})
    with pytest.raises(ValueError, match="-1"):
        ReaderConfig(overlap_weight=-1.0)
    assert ReaderConfig.from_env({"EXCHAT_QA_MIN_ANSWER_SCORE": "-3"}).min_answer_score == -3.0
    with pytest.raises(ValueError, match="inf"):
        ReaderConfig(min_answer_score=float("inf"))


@pytest.fixture(scope="module")
def qa(assistant):
    """The QA skill on the shared assistant's encoder, with the default reader whatever the environment says."""
    from skills.qa.model import QASkill

    return QASkill(assistant.skills["qa"].encoder, ReaderConfig())


def answer(qa, question: str, *passages: Passage):
    return qa.run(SkillRequest(question, passages))


def test_a_yes_no_answer_carries_its_evidence_sentence(qa):
    flat = Passage("Check-in is from 3 pm. Pets are not allowed in the flat. Parking is free.", "message")
    result = answer(qa, "can I bring pets?", flat)
    assert result.data["yes_no"] == "no"
    assert result.data["answer"] == "No – Pets are not allowed in the flat."
    assert result.data["evidence_sentence"]["text"] == "Pets are not allowed in the flat."
    assert result.text.startswith("**No** – Pets are not allowed in the flat.")
    assert "“not”" in result.rationale["yes_no"]["reason"]
    yes = answer(qa, "is parking free?", flat)
    assert (yes.data["yes_no"], yes.data["answer"]) == ("yes", "Yes – Parking is free.")


def test_a_unit_and_a_date_are_kept(qa):
    walk = Passage("The walk to the beach takes 45 minutes. The market is on Friday 14 March.", "message")
    assert answer(qa, "How long is the walk to the beach?", walk).data["answer"] == "45 minutes"
    assert answer(qa, "When is the market?", walk).data["answer"] == "Friday 14 March"


def test_a_table_row_answers_with_the_cell_of_the_column_asked(qa):
    table = (
        "| Plan | Price | Classes |\n|---|---|---|\n| Basic | £25 a month | none |\n"
        "| Premium | £52 a month | unlimited |\n| Student | £19 a month | 4 a month |"
    )
    result = answer(qa, "How many classes a month do I get on the Student plan?", Passage(table, "message"))
    assert result.data["answer"] == "4 a month"  # read without its column names: "4"
    assert table[result.data["start"] : result.data["end"]] == "4 a month"  # offsets on the document's own text
    assert answer(qa, "which plan has unlimited classes?", Passage(table, "message")).data["answer"] == "Premium"


def test_no_markdown_in_answers_while_the_offsets_stay_on_the_evidence(qa):
    text = "## Parking\n\nParking at the flat costs **£12.50** per day.\n\n- Bikes: free"
    result = answer(qa, "How much does parking cost?", Passage(text, "message"))
    data = result.data
    assert data["answer"] == "£12.50"
    assert not any(mark in data["answer"] for mark in ("*", "#", "|", "\n", "`"))
    assert text[data["start"] : data["end"]] == data["span_text"] == "£12.50"
    assert result.rationale["span"]["start"] == data["start"]


def test_the_rationale_lists_every_passage_read_with_its_retrieval_score_and_best_span(qa):
    passages = (
        kb("Check-in is from 3 pm on the day you arrive.", 0.58, "flat.md"),
        kb("Check-out is by 10 am.", 0.41, "flat.md"),
    )
    result = answer(qa, "What time is check-in?", *passages)
    assert result.data["answer"] == "3 pm"
    read_rows = result.rationale["passages"]
    assert [(r["rank"], r["retrieval_score"]) for r in read_rows] == [(1, 0.58), (2, 0.41)]
    assert read_rows[0]["best_span"]["text"] == "3 pm" and read_rows[1]["best_span"]["text"]
    assert "20 × the passage's cosine similarity" in result.rationale["scoring"]


def test_a_question_of_only_stop_words_gets_a_clear_message(assistant):
    reply = assistant.reply("/qa what is it about?", f"test-{uuid.uuid4().hex}")
    assert (reply.skill, reply.data["kind"]) == ("help", "cannot_answer")
    assert "only common words (what, is, it, about)" in reply.text
    assert assistant.reply("/qa when does the bike shop open?", f"test-{uuid.uuid4().hex}").skill == "qa"
