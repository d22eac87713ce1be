"""The one small interface every skill implements, and the typed values that cross it.

A skill receives a `SkillRequest` (the text to work on, plus the question and passages for a skill that reads
questions) and returns a `SkillResult`: the answer text, a confidence, structured `data` (the skill's own terms)
and the skill's part of the rationale. What a skill *is* (name, labels, routing examples) is its `SkillSpec`
(`skills/registry.py`), which needs no model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from core.records import SkillInputs
from skills.registry import SkillSpec

if TYPE_CHECKING:
    import torch

# (input_ids, attention_mask, token_type_ids, shape_ids or None) -> head logits; the same for a training model or
# a loaded adapter, so evaluation scores both the same way.
LogitsFn = Callable[["torch.Tensor", "torch.Tensor", "torch.Tensor", "torch.Tensor | None"], "torch.Tensor"]


@dataclass(frozen=True)
class Passage:
    """A text an answer may come from: pasted in the chat or a knowledge-base chunk."""

    text: str
    source: str  # "message", "conversation", "picture" (the text read from one) or "kb:<document name>"
    retrieval_score: float | None = None  # cosine similarity for KB chunks; None for pasted text

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SkillRequest:
    text: str  # what the skill works on: the sentence to tag or classify, or the question for QA
    passages: tuple[Passage, ...] = ()  # QA only: where the answer may come from, best first
    # QA only: the question continues the previous knowledge-base answer ("and the cost?") and its passages are that
    # answer's document; such a question is too short for the reader's score floor, which it is not held to.
    follow_up: bool = False


@dataclass
class SkillResult:
    text: str  # the answer as shown in the chat (Markdown)
    confidence: float  # 0..1, the skill's own probability for its answer
    data: dict[str, Any] = field(default_factory=dict)  # structured output in the skill's terms
    rationale: dict[str, Any] = field(default_factory=dict)  # the skill's explanation of its answer
    inputs: SkillInputs | None = None  # what it read, when more than the request's text (the answer's passage)


@runtime_checkable
class Skill(Protocol):
    """What answers a turn: built by its package's `model.build(encoder)` (see `skills.registry`)."""

    spec: SkillSpec
    adapter_version: str | None  # version of the adapter that produces the answers; None for rule-based skills

    def run(self, request: SkillRequest) -> SkillResult: ...


def batches(items: list, size: int) -> Iterator[list]:
    """`items` in consecutive slices of at most `size`."""
    for i in range(0, len(items), size):
        yield items[i : i + size]
