"""Corrections as edits of the answer: what is stored, what a retrain learns from it (gold where the user edited,
silver where the user left the answer alone), and corrections that change nothing are refused. No models."""

from __future__ import annotations

import pytest

from core.errors import InputError
from skills.ner.feedback import parse_correction as ner_correction
from skills.qa.feedback import parse_correction as qa_correction
from skills.sentiment.feedback import parse_correction as sentiment_correction
from tests.training.test_feedback import rating, run, turn
from training.feedback import SILVER_WEIGHT
from training.replay import benchmark_example

TEXT = "Barcelona beat Real Madrid 3-1 at Camp Nou, Lewandowski scored twice"
FOUND = [
    {"text": "Barcelona", "type": "ORG", "start": 0, "end": 9, "score": 0.9},
    {"text": "Real Madrid", "type": "ORG", "start": 15, "end": 26, "score": 0.8},
    {"text": "Camp Nou", "type": "ORG", "start": 34, "end": 42, "score": 0.5},
    {"text": "Lewandowski", "type": "ORG", "start": 44, "end": 55, "score": 0.6},
]


def corrected(correction: str, found: list[dict] = FOUND):
    """The stored correction, the example a retrain makes of it, and that example as a weighted sentence."""
    stored = ner_correction(correction, {"text": TEXT}, {"text": TEXT, "entities": found})
    ner = turn(1, "ner", {"text": TEXT, "entities": found})
    [example] = run([ner], [rating(2, 1, "down", correction=stored)]).examples
    return stored, example, benchmark_example(example)


def test_a_partial_correction_keeps_the_names_left_alone_as_silver_words():
    stored, example, sentence = corrected("lewandowski=per")
    assert stored == {"edits": [{"text": "Lewandowski", "type": "PER", "start": 44, "end": 55}], "removed": []}
    assert (example.kind, example.weight) == ("gold", 1.0)
    assert [(e["text"], e["type"], e["edit"]) for e in example.label] == [
        ("Barcelona", "ORG", "kept"),
        ("Real Madrid", "ORG", "kept"),
        ("Camp Nou", "ORG", "kept"),
        ("Lewandowski", "PER", "set"),
    ]
    tags = dict(zip(sentence.tokens, sentence.tags, strict=True))
    weights = dict(zip(sentence.tokens, sentence.weights, strict=True))
    assert (tags["Barcelona"], tags["Madrid"], tags["Lewandowski"]) == ("B-ORG", "I-ORG", "B-PER")
    assert weights["Lewandowski"] == 1.0
    assert weights["Barcelona"] == weights["Nou"] == weights["beat"] == SILVER_WEIGHT


def test_minus_name_removes_a_found_name_and_its_words_are_gold_not_names():
    stored, example, sentence = corrected("-camp nou")
    assert stored == {"edits": [], "removed": [{"text": "Camp Nou", "type": "ORG", "start": 34, "end": 42}]}
    assert [e["text"] for e in example.label if e["edit"] == "removed"] == ["Camp Nou"]
    tags = dict(zip(sentence.tokens, sentence.tags, strict=True))
    weights = dict(zip(sentence.tokens, sentence.weights, strict=True))
    assert (tags["Camp"], tags["Nou"], weights["Camp"], weights["Nou"]) == ("O", "O", 1.0, 1.0)
    assert tags["Barcelona"] == "B-ORG" and weights["Barcelona"] == SILVER_WEIGHT


def test_an_edit_over_part_of_a_found_name_replaces_it():
    _, example, sentence = corrected("Madrid=LOC")
    assert ("Real Madrid", "removed") in {(e["text"], e["edit"]) for e in example.label}
    tags = dict(zip(sentence.tokens, sentence.tags, strict=True))
    weights = dict(zip(sentence.tokens, sentence.weights, strict=True))
    assert (tags["Real"], tags["Madrid"], weights["Real"]) == ("O", "B-LOC", 1.0)


def test_a_whole_answer_stored_before_edits_is_still_all_gold():
    whole = {"entities": [{"text": "Lewandowski", "type": "PER", "start": 44, "end": 55}]}
    [example] = run(
        [turn(1, "ner", {"text": TEXT, "entities": FOUND})], [rating(2, 1, "down", correction=whole)]
    ).examples
    sentence = benchmark_example(example)
    assert sentence.weights is None and sentence.tags.count("O") == len(sentence.tags) - 1


@pytest.mark.parametrize(
    ("parse", "correction", "data"),
    [
        (ner_correction, "Lewandowski=ORG", {"text": TEXT, "entities": FOUND}),
        (ner_correction, "barcelona=org; Camp Nou=ORG", {"text": TEXT, "entities": FOUND}),
        (ner_correction, "none", {"text": TEXT, "entities": []}),
        (sentiment_correction, "neg", {"text": "dull", "label": "negative"}),
        (qa_correction, "1889", {"answer": "1889", "span_text": "1889", "start": 4}),
    ],
    ids=["ner-same-type", "ner-same-names", "ner-none", "sentiment", "qa"],
)
def test_a_correction_equal_to_the_answer_is_refused_saying_so(parse, correction, data):
    inputs = {"text": data.get("text"), "question": "when?", "passage": "Done 1889."}
    with pytest.raises(InputError, match="That is the answer I gave"):
        parse(correction, inputs, data)


def test_the_edits_between_an_answer_and_the_gold_one_give_the_gold_names_back():
    from skills.ner.feedback import edited_entities, edits_between

    gold = [
        {"text": "Barcelona", "type": "ORG", "start": 0, "end": 9},
        {"text": "Real Madrid", "type": "ORG", "start": 15, "end": 26},
        {"text": "Camp Nou", "type": "LOC", "start": 34, "end": 42},
        {"text": "Lewandowski", "type": "PER", "start": 44, "end": 55},
    ]
    found = [FOUND[0], {"text": "Real", "type": "ORG", "start": 15, "end": 19}, FOUND[2], FOUND[3]]
    found.append({"text": "scored", "type": "MISC", "start": 56, "end": 62})
    edits = edits_between(found, gold)
    assert [(e["text"], e["type"]) for e in edits["edits"]] == [
        ("Real Madrid", "ORG"),
        ("Camp Nou", "LOC"),
        ("Lewandowski", "PER"),
    ]
    assert [e["text"] for e in edits["removed"]] == ["scored"]
    names = [e for e in edited_entities(found, edits, TEXT) if e["edit"] != "removed"]
    assert [(e["start"], e["end"], e["type"]) for e in names] == [(g["start"], g["end"], g["type"]) for g in gold]
    assert [e["edit"] for e in names] == ["kept", "set", "set", "set"]
