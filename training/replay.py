"""What a retrain trains and is judged on: feedback examples as benchmark examples, a fixed held-out part of the
feedback, and a replay sample of the original training data (experience replay against forgetting; Rolnick et al.
2019, "Experience Replay for Continual Learning").

Pure functions, no I/O: `training/retrain.py` reads the store and the benchmark files and calls these.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from typing import Any

from skills.registry import get_skill
from training.feedback import FeedbackExample


def benchmark_example(example: FeedbackExample) -> Any:
    """A labelled feedback example in the type the skill's benchmark reader gives, so training and evaluation
    treat it exactly like a benchmark example."""
    if example.label is None:
        raise ValueError(f"a {example.kind} record has no label to train or score on")
    return get_skill(example.skill).feedback.benchmark_example(
        text=example.text,
        label=example.label,
        question=example.question,
        passage=example.passage,
        example_id=f"feedback-{example.rating_ids[0]}",
    )


def is_held_out(example: FeedbackExample, fraction: float) -> bool:
    """Whether an example belongs to the held-out part of the feedback: decided by a hash of its input, so an
    input stays on the same side night after night and never trains the version it judges."""
    digest = hashlib.sha256(repr(example.input_key).encode("utf-8")).digest()
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
