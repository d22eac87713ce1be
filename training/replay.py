"""What a retrain trains and is judged on: feedback examples as benchmark examples, a fixed held-out part of the
feedback, and a replay sample of the original training data (experience replay against forgetting; Rolnick et al.
2019, "Experience Replay for Continual Learning").

`Labels` is what one model's retrain takes, whatever the labels came from: a skill's feedback (`feedback_labels`)
or users' routing labels for the request model (`training.routing_feedback.routing_labels`).
Pure functions, no I/O: `training/retrain.py` reads the store and the benchmark files and calls these.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from typing import Any

from skills.registry import get_skill
from training.feedback import SILVER_WEIGHT, FeedbackExample


def benchmark_example(example: FeedbackExample, silver_weight: float = SILVER_WEIGHT) -> Any:
    """A labelled feedback example in the type the skill's benchmark reader gives, so training and evaluation
    treat it exactly like a benchmark example; a partly corrected answer weighs the parts the user left alone at
    `silver_weight` (NER: per word)."""
    if example.label is None:
        raise ValueError(f"a {example.kind} record has no label to train or score on")
    return get_skill(example.skill).feedback.benchmark_example(
        text=example.text,
        label=example.label,
        question=example.question,
        passage=example.passage,
        example_id=f"feedback-{example.rating_ids[0]}",
        silver_weight=silver_weight,
    )


def is_held_out(example: FeedbackExample, fraction: float) -> bool:
    """Whether an example belongs to the held-out part of the feedback: decided by a hash of its input, so an
    input stays on the same side night after night and never trains the version it judges."""
    return held_out_key(example.input_key, fraction)


def held_out_key(key: tuple, fraction: float) -> bool:
    """`is_held_out` for any input key (a tuple of strings)."""
    digest = hashlib.sha256(repr(key).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < fraction


def split_feedback(
    examples: list[FeedbackExample], fraction: float
) -> tuple[list[FeedbackExample], list[FeedbackExample]]:
    """(train, held out) among the labelled examples; negative records are in neither (they have no label)."""
    labelled = [e for e in examples if e.label is not None]
    return [e for e in labelled if not is_held_out(e, fraction)], [e for e in labelled if is_held_out(e, fraction)]


def replay_sample(examples: list, count: int, seed: int) -> list:
    """`count` examples drawn without replacement (all of them if there are fewer), the same for the same seed."""
    if count >= len(examples):
        return list(examples)
    return random.Random(seed).sample(examples, count)


@dataclass(frozen=True)
class Labels:
    """What one model's retrain learns from and is judged on, in the types of its benchmark reader."""

    train: list  # the training part
    weights: list[float]  # one per training example
    held_out: list  # the fixed held-out part: scored by the gate, never trained on
    records: list[dict[str, Any]]  # the training part as "similar examples" index records
    rating_ids: tuple[int, ...]  # the ratings behind the training part
    newest_rating: int  # the newest rating behind either part (0: none)
    examples: int = 0  # examples considered, before the split (a skill's negative records too)
    by_kind: dict[str, int] = field(default_factory=dict)  # training examples by kind (gold, silver; clarify, ...)
    # The gate's bar on the held-out part: a correction says the current version was wrong, so the candidate must
    # do better; a routing label may confirm what the current version already read, so it must do no worse.
    must_improve: bool = True


def feedback_labels(examples: list[FeedbackExample], fraction: float, silver_weight: float = SILVER_WEIGHT) -> Labels:
    """A skill's feedback examples as `Labels`: its labelled examples split by `split_feedback`."""
    from training.example_index import feedback_record  # the index's modules load torch and faiss: only here

    train, held_out = split_feedback(examples, fraction)
    return Labels(
        train=[benchmark_example(e, silver_weight) for e in train],
        weights=[e.weight for e in train],
        held_out=[benchmark_example(e, silver_weight) for e in held_out],
        records=[feedback_record(e) for e in train],
        rating_ids=tuple(sorted({r for e in train for r in e.rating_ids})),
        newest_rating=max((max(e.rating_ids) for e in examples), default=0),
        examples=len(examples),
        by_kind={k: sum(e.kind == k for e in train) for k in ("gold", "silver")},
    )


@dataclass(frozen=True)
class MixedDataset:
    train: list  # benchmark-typed examples: feedback first, then replay
    weights: list[float]
    feedback_examples: int
    replay_examples: int


def mix(feedback: list[FeedbackExample], replay_pool: list, ratio: float, minimum: int, seed: int) -> MixedDataset:
    """Feedback examples (with their weights) plus `ratio` replay examples per feedback example, at least
    `minimum`, from the original training data (weight 1)."""
    examples = [benchmark_example(e) for e in feedback]
    return mix_examples(examples, [e.weight for e in feedback], replay_pool, ratio, minimum, seed)


def mix_examples(
    examples: list, weights: list[float], replay_pool: list, ratio: float, minimum: int, seed: int
) -> MixedDataset:
    """`mix` for examples already in the benchmark's types (bench.wnut_ceiling gives gold tweets directly)."""
    replay = replay_sample(replay_pool, max(minimum, round(ratio * len(examples))), seed)
    return MixedDataset(
        train=examples + replay,
        weights=list(weights) + [1.0] * len(replay),
        feedback_examples=len(examples),
        replay_examples=len(replay),
    )
