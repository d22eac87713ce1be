"""The feedback → training-example rules, one test per rule, on hand-built store records (no models)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from core.store import RatingRecord, TurnRecord
from training.feedback import (
    SILVER_WEIGHT,
    FeedbackConfig,
    UnusableFeedback,
    current_ratings,
    example_from_turn,
    examples_from_feedback,
    merge_duplicates,
)

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
NER_TEXT = "Priya Nair joined Infosys in Pune"
# What the NER skill stored: "Nair" mistaken for an ORG, with the skill's extra fields.
NER_OUTPUT = [
    {"text": "Priya", "type": "PER", "start": 0, "end": 5, "score": 0.76, "runner_up": "ORG"},
    {"text": "Nair", "type": "ORG", "start": 6, "end": 10, "score": 0.53, "runner_up": "PER"},
    {"text": "Pune", "type": "LOC", "start": 29, "end": 33, "score": 0.99, "runner_up": "ORG"},
]
NER_GOLD = [
    {"text": "Priya Nair", "type": "PER", "start": 0, "end": 10},
    {"text": "Infosys", "type": "ORG", "start": 18, "end": 25},
    {"text": "Pune", "type": "LOC", "start": 29, "end": 33},
]
PASSAGE = "Marie Curie won two Nobel prizes in Paris. Pierre Curie shared the first one."


def turn(turn_id: int, skill: str, data: dict[str, Any], evidence: str | None = None, session: str = "s1"):
    rationale: dict[str, Any] = {"route": {"skill": skill}, "confidence": 0.9, "skill": {}}
    if evidence is not None:
        rationale["skill"]["evidence"] = {"text": evidence, "source": "message", "retrieval_score": None}
    return TurnRecord(
        id=turn_id,
        session_id=session,
        created_at=T0 + timedelta(minutes=turn_id),
        message=f"message {turn_id}",
        skill=skill,
        reply_text="reply",
        confidence=0.9,
        router_scores={skill: 0.9},
        output={"data": data, "rationale": rationale, "passage": evidence},
        adapter_version=f"{skill}-v1",
        subject_text=data.get("text", evidence),
    )


def ner_turn(turn_id: int, text: str = NER_TEXT, entities: list | None = None) -> TurnRecord:
    return turn(turn_id, "ner", {"text": text, "entities": NER_OUTPUT if entities is None else entities})


def sentiment_turn(turn_id: int, label: str = "negative", text: str = "the plot was dull") -> TurnRecord:
    probabilities = {"negative": 0.9, "positive": 0.1} if label == "negative" else {"negative": 0.1, "positive": 0.9}
    return turn(turn_id, "sentiment", {"text": text, "label": label, "probabilities": probabilities})


def qa_turn(
    turn_id: int,
    answer: str = "Marie Curie won",
    start: int = 0,
    passage: str = PASSAGE,
    question: str = "who won two Nobel prizes?",
) -> TurnRecord:
    data = {"answer": answer, "start": start, "end": start + len(answer), "source": "message", "question": question}
    return turn(turn_id, "qa", {**data, "score": 3.2}, evidence=passage)


def rating(rating_id: int, turn_id: int, thumb: str, session: str = "s1", correction: dict | None = None):
    created = T0 + timedelta(hours=rating_id)
    return RatingRecord(rating_id, turn_id, session, created, thumb, None, correction)


def run(turns: list[TurnRecord], ratings: list[RatingRecord], **config: Any):
    return examples_from_feedback(turns, ratings, FeedbackConfig(**config))


@pytest.mark.parametrize(
    ("record", "correction", "label"),
    [
        (ner_turn(1), {"entities": NER_GOLD}, NER_GOLD),
        (sentiment_turn(1, "negative"), {"label": "positive"}, "positive"),
        (qa_turn(1), {"answer": "Marie Curie", "start": 0, "in_source": True}, {"answer": "Marie Curie", "start": 0}),
    ],
    ids=["ner", "sentiment", "qa"],
)
def test_correction_is_a_gold_example_with_full_weight(record, correction, label):
    [example] = run([record], [rating(7, 1, "down", correction=correction)], silver_weight=0.3).examples
    assert (example.kind, example.label, example.weight) == ("gold", label, 1.0)
    assert (example.turn_ids, example.rating_ids, example.session_ids) == ((1,), (7,), ("s1",))


def test_thumbs_up_makes_the_model_output_a_silver_example():
    turns = [ner_turn(1), sentiment_turn(2, "positive"), qa_turn(3)]
    examples = run(turns, [rating(1, 1, "up"), rating(2, 2, "up"), rating(3, 3, "up")], silver_weight=0.3).examples
    assert [(e.skill, e.kind, e.weight) for e in examples] == [(s, "silver", 0.3) for s in ("ner", "sentiment", "qa")]
    assert examples[0].label == [{k: e[k] for k in ("text", "type", "start", "end")} for e in NER_OUTPUT]
    assert examples[1].label == "positive"
    assert examples[2].label == {"answer": "Marie Curie won", "start": 0}
    assert (examples[2].text, examples[2].question, examples[2].passage) == (
        "who won two Nobel prizes?",
        "who won two Nobel prizes?",
        PASSAGE,
    )
    assert run(turns[:1], [rating(1, 1, "up")]).examples[0].weight == SILVER_WEIGHT, "default silver weight"


@pytest.mark.parametrize(("said", "meant"), [("negative", "positive"), ("positive", "negative")])
def test_sentiment_thumbs_down_means_the_other_label(said, meant):
    [example] = run([sentiment_turn(1, said)], [rating(1, 1, "down")]).examples
    assert (example.kind, example.label, example.weight) == ("silver", meant, SILVER_WEIGHT)


@pytest.mark.parametrize("record", [ner_turn(1), qa_turn(1)], ids=["ner", "qa"])
def test_ner_and_qa_thumbs_down_is_a_negative_record_without_a_label(record):
    dataset = run([record], [rating(1, 1, "down")])
    [example] = dataset.examples
    assert (example.kind, example.label, example.weight) == ("negative", None, 0.0)
    expected = (
        {"answer": "Marie Curie won", "start": 0}
        if record.skill == "qa"
        else [{k: e[k] for k in ("text", "type", "start", "end")} for e in NER_OUTPUT]
    )
    assert example.rejected == expected
    assert dataset.dropped == ()


def test_help_turns_never_become_examples():
    help_turn = turn(1, "help", {"text": "how do I rate?"})
    dataset = run([help_turn], [rating(1, 1, "up")])
    assert dataset.examples == ()
    assert dataset.dropped == ((1, "the help skill gives no training examples"),)


def test_duplicates_merge_into_one_example_with_count_and_sources():
    turns = [sentiment_turn(1), sentiment_turn(2), sentiment_turn(3), sentiment_turn(4, text="a dull plot")]
    ratings = [
        rating(5, 1, "up", "s1"),
        rating(6, 2, "down", "s2", correction={"label": "negative"}),
        rating(7, 3, "up", "s3"),
        rating(8, 4, "up", "s1"),
    ]
    first, second = run(turns, ratings).examples
    assert (first.kind, first.label, first.weight, first.count) == ("gold", "negative", 1.0, 3), "gold wins a merge"
    assert (first.turn_ids, first.rating_ids, first.session_ids) == ((1, 2, 3), (5, 6, 7), ("s1", "s2", "s3"))
    assert (second.text, second.count) == ("a dull plot", 1), "another text is another input"


def test_qa_inputs_differ_by_passage():
    turns = [qa_turn(1), qa_turn(2, passage=PASSAGE + " Both lived in Paris.")]
    examples = run(turns, [rating(1, 1, "up"), rating(2, 2, "up", "s2")]).examples
    assert [e.count for e in examples] == [1, 1]


def test_conflicting_ratings_go_to_the_majority():
    turns = [sentiment_turn(1, "positive"), sentiment_turn(2, "positive"), sentiment_turn(3, "positive")]
    ratings = [rating(1, 1, "up", "s1"), rating(2, 2, "up", "s2"), rating(3, 3, "down", "s3")]
    dataset = run(turns, ratings)
    [example] = dataset.examples
    assert (example.label, example.count, example.turn_ids) == ("positive", 2, (1, 2))
    assert dataset.dropped == ((3, "outvoted: 1 vs 2 ratings of the same input disagree"),)


def test_a_tie_drops_every_side():
    turns = [sentiment_turn(1, "positive"), sentiment_turn(2, "positive")]
    dataset = run(turns, [rating(1, 1, "up", "s1"), rating(2, 2, "down", "s2", correction={"label": "negative"})])
    assert dataset.examples == ()
    assert sorted(turn_id for turn_id, reason in dataset.dropped if reason.startswith("tie:")) == [1, 2]


def test_a_negative_conflicts_only_with_the_output_it_rejects():
    other = [{"text": "Priya Nair", "type": "PER", "start": 0, "end": 10}]
    tie = run([ner_turn(1), ner_turn(2)], [rating(1, 1, "up", "s1"), rating(2, 2, "down", "s2")])
    assert tie.examples == () and len(tie.dropped) == 2
    kept = run([ner_turn(1), ner_turn(2, entities=other)], [rating(1, 1, "down", "s1"), rating(2, 2, "up", "s2")])
    assert [(e.kind, e.label) for e in kept.examples] == [("negative", None), ("silver", other)]


def test_each_session_gives_at_most_its_cap_of_earliest_examples():
    texts = ["one dull plot", "two dull plots", "three dull plots"]
    turns = [sentiment_turn(i + 1, text=text) for i, text in enumerate(texts)] + [sentiment_turn(4, text="other")]
    # Session s1 rates turn 3 first: the cap keeps its earliest *ratings*, not its earliest turns.
    ratings = [rating(1, 3, "up", "s1"), rating(2, 1, "up", "s1"), rating(3, 2, "up", "s1"), rating(4, 4, "up", "s2")]
    dataset = run(turns, ratings, per_session_cap=2)
    assert [e.turn_ids for e in dataset.examples] == [(3,), (1,), (4,)]
    assert dataset.dropped == ((2, "session cap: session s1 already gave 2 examples"),)
    assert len(run(turns, ratings).examples) == 4, "the default cap (50) keeps them all"


def test_the_cap_applies_before_votes_so_one_session_cannot_outvote_others():
    turns = [sentiment_turn(i, "positive") for i in range(1, 5)]
    ratings = [rating(1, 1, "up", "s2")] + [rating(i, i, "down", "spam") for i in range(2, 5)]
    assert [e.label for e in run(turns, ratings).examples] == ["negative"]
    assert run(turns, ratings, per_session_cap=1).examples == (), "1 vs 1 after the cap: a tie"


def test_only_the_current_rating_counts_and_a_retracted_thumb_removes_the_turn():
    ratings = [rating(1, 1, "up"), rating(2, 1, "retracted"), rating(3, 2, "up"), rating(4, 2, "retracted")]
    ratings += [rating(5, 2, "down")]
    assert [r.id for r in current_ratings(ratings)] == [5]
    dataset = run([sentiment_turn(1), sentiment_turn(2, text="other")], ratings)
    assert [(e.turn_ids, e.label) for e in dataset.examples] == [((2,), "positive")]
    assert dataset.dropped == (), "a taken-back thumb is not a drop, it is no rating"


def test_since_selects_turns_whose_current_rating_is_newer():
    turns = [sentiment_turn(1), sentiment_turn(2, text="two"), sentiment_turn(3, text="three")]
    ratings = [rating(1, 1, "up"), rating(2, 2, "up"), rating(3, 3, "up"), rating(4, 1, "down")]
    assert [e.turn_ids for e in run(turns, ratings, since_rating_id=2).examples] == [(3,), (1,)]
    assert [e.label for e in run(turns, ratings, since_rating_id=2).examples] == ["negative", "positive"]
    assert [e.turn_ids for e in run(turns, ratings, since_rating_id=3).examples] == [(1,)]
    since = T0 + timedelta(hours=2, minutes=30)
    assert [e.turn_ids for e in run(turns, ratings, since_time=since).examples] == [(3,), (1,)]


def test_qa_correction_start_is_given_or_found_and_an_answer_not_in_the_passage_is_dropped():
    turns = [qa_turn(i, question=f"question {i}?") for i in range(1, 5)]  # four inputs: no votes between them
    ratings = [
        rating(1, 1, "down", "s1", {"answer": "Curie", "start": 50, "in_source": True}),
        rating(2, 2, "down", "s2", {"answer": "Curie", "start": None, "in_source": True}),
        rating(3, 3, "down", "s3", {"answer": "Marie Sklodowska", "start": None, "in_source": False}),
        rating(4, 4, "down", "s4", {"answer": "Curie", "start": 3, "in_source": True}),
    ]
    dataset = run(turns, ratings)
    assert [(e.turn_ids, e.label) for e in dataset.examples] == [
        ((1,), {"answer": "Curie", "start": 50}),
        ((2,), {"answer": "Curie", "start": 6}),  # no start given: the first occurrence
    ]
    assert dataset.dropped == (
        (3, "the corrected answer 'Marie Sklodowska' is not in the passage"),
        (4, "the answer 'Curie' is not at offset 3 of the passage"),
    )


def test_ner_labels_that_cannot_be_word_tags_are_dropped_with_the_reason():
    partial = [{"text": "Pun", "type": "LOC", "start": 29, "end": 32}]
    wrong_type = [{"text": "Pune", "type": "CITY", "start": 0, "end": 4}]
    text_offsets = [{"text": "Pune", "type": "LOC", "start": "0", "end": 4}]
    elsewhere = [{"text": "Asia", "type": "LOC", "start": 0, "end": 4}]
    texts = ["Pune is in India", "Pune is in Asia", "Pune is in Europe", "Pune is far"]
    turns = [ner_turn(1)] + [ner_turn(i + 2, text=text) for i, text in enumerate(texts)]
    ratings = [
        rating(1, 1, "down", "s1", {"entities": partial}),
        rating(2, 2, "down", "s2", {"entities": wrong_type}),
        rating(3, 3, "down", "s3", {"entities": []}),
        rating(4, 4, "down", "s4", {"entities": text_offsets}),
        rating(5, 5, "down", "s5", {"entities": elsewhere}),
    ]
    dataset = run(turns, ratings)
    assert [(e.turn_ids, e.label) for e in dataset.examples] == [((3,), [])], "no entities is a valid gold label"
    assert [reason for _, reason in dataset.dropped] == [
        "entity 'Pun' at 29:32 does not start and end on word boundaries",
        "entity type 'CITY' is not one of PER, ORG, LOC, MISC",
        f"entities must be a list of {{'type', 'start', 'end'}} with whole-number offsets: {text_offsets!r}",
        "entity 'Asia' is not at 0:4 in the text",
    ]


def test_example_from_turn_rejects_a_rating_of_another_turn():
    with pytest.raises(ValueError, match="not a thumb on turn 2"):
        example_from_turn(sentiment_turn(2), rating(1, 1, "up"))


def test_a_rating_without_its_turn_is_an_error():
    with pytest.raises(ValueError, match="refers to turn 9"):
        run([sentiment_turn(1)], [rating(1, 9, "up")])


def test_merge_duplicates_keeps_sources_in_rating_order():
    one = example_from_turn(sentiment_turn(1), rating(3, 1, "up", "s1"))
    two = example_from_turn(sentiment_turn(2), rating(2, 2, "up", "s2"))
    [merged] = merge_duplicates([one, two])
    assert (merged.rating_ids, merged.turn_ids, merged.session_ids) == ((2, 3), (2, 1), ("s2", "s1"))
    assert merged.to_dict()["count"] == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("silver_weight", 1.5),
        ("silver_weight", -0.1),
        ("silver_weight", float("nan")),
        ("per_session_cap", 0),
        ("per_session_cap", True),
        ("since_rating_id", -1),
        ("since_time", datetime(2026, 1, 1)),
    ],
)
def test_config_rejects_bad_values_naming_them(field, value):
    with pytest.raises(ValueError, match=field):
        FeedbackConfig(**{field: value})


def test_specs_and_feedback_rules_load_without_torch():
    """The label sets live once, in torch-free specs: reading feedback never needs the models."""
    code = (
        "import sys; import skills, training.feedback, training.feedback_export, chatbot.ratings\n"
        "from skills.registry import registered\n"
        "[d.feedback for d in registered()]\n"
        "assert 'torch' not in sys.modules, sorted(m for m in sys.modules if m.startswith('torch'))[:3]"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])


def test_a_purged_turn_is_never_an_example_even_with_a_correction():
    purged = replace(sentiment_turn(1), purged_at=T0 + timedelta(days=31))
    gold = rating(1, 1, "down", correction={"label": "positive"})
    with pytest.raises(UnusableFeedback, match="purged after the retention period"):
        example_from_turn(purged, gold)
    dataset = run([purged, sentiment_turn(2)], [gold, rating(2, 2, "up")])
    assert [e.turn_ids for e in dataset.examples] == [(2,)]
    assert dataset.dropped == ((1, "the text of answer #1 was purged after the retention period"),)
