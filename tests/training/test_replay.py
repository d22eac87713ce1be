"""What a retrain trains on: feedback as benchmark examples, the fixed held-out part, the replay mix."""

from __future__ import annotations

import pytest

from skills.ner.data import TaggedSentence
from skills.qa.data import QAExample
from skills.sentiment.data import LabeledText
from training.feedback import FeedbackExample
from training.replay import benchmark_example, is_held_out, mix, replay_sample, split_feedback


def example(text: str, label, skill: str = "sentiment", kind: str = "gold", weight: float = 1.0, **extra):
    return FeedbackExample(
        skill=skill,
        kind=kind,
        text=text,
        label=label,
        weight=weight,
        turn_ids=(1,),
        rating_ids=(len(text),),
        session_ids=("s",),
        **extra,
    )


def test_feedback_becomes_the_benchmark_example_type_of_its_skill():
    ner = example("Priya met Bob", [{"text": "Bob", "type": "PER", "start": 10, "end": 13}], skill="ner")
    assert benchmark_example(ner) == TaggedSentence(["Priya", "met", "Bob"], ["O", "O", "B-PER"])
    assert benchmark_example(example("dull", "negative")) == LabeledText("dull", 0)
    qa = example(
        "who won?",
        {"answer": "Curie", "start": 6},
        skill="qa",
        question="who won?",
        passage="Marie Curie won.",
    )
    converted = benchmark_example(qa)
    assert isinstance(converted, QAExample)
    assert converted.context[converted.answer_starts[0] :].startswith(converted.answers[0])
    with pytest.raises(ValueError, match="no label"):
        benchmark_example(example("x", None, skill="ner", kind="negative", weight=0.0, rejected=[]))


def test_the_held_out_part_depends_only_on_the_input_and_never_holds_negative_records():
    examples = [example(f"text number {i}", "positive") for i in range(400)]
    train, held_out = split_feedback(examples, 0.2)
    assert 40 < len(held_out) < 120 and len(train) + len(held_out) == 400
    relabelled = [example(e.text, "negative", kind="silver", weight=0.5) for e in examples]
    assert [e.text for e in split_feedback(relabelled, 0.2)[1]] == [e.text for e in held_out]
    negative = example("text number 1", None, skill="ner", kind="negative", weight=0.0, rejected=[])
    assert split_feedback([negative], 0.5) == ([], [])
    assert is_held_out(examples[0], 1.0) and not is_held_out(examples[0], 0.0)


def test_mix_adds_replay_in_proportion_with_a_floor_and_keeps_feedback_weights():
    feedback = [example("good", "positive"), example("bad", "negative", kind="silver", weight=0.5)]
    pool = [LabeledText(f"old {i}", i % 2) for i in range(100)]
    mixed = mix(feedback, pool, ratio=3.0, minimum=2, seed=1)
    assert (mixed.feedback_examples, mixed.replay_examples) == (2, 6)
    assert mixed.weights == [1.0, 0.5] + [1.0] * 6
    assert mixed.train[:2] == [LabeledText("good", 1), LabeledText("bad", 0)]
    assert mix(feedback, pool, ratio=0.0, minimum=10, seed=1).replay_examples == 10
    assert replay_sample(pool, 5, seed=7) == replay_sample(pool, 5, seed=7)
    assert replay_sample(pool[:3], 5, seed=7) == pool[:3]
