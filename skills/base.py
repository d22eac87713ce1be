"""The one small interface every skill implements, and the typed values that cross it.

A skill receives a `SkillRequest` (the text to work on, plus the question and passages for QA) and returns a
`SkillResult`: the answer text, a confidence, structured `data` (the skill's own terms) and the skill's part of
the rationale. The UI, the `Assistant` API, the feedback store and the tests all consume these same objects.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True)
class Passage:
    """A text an answer may come from: pasted in the chat or a knowledge-base chunk."""

    text: str
    source: str  # "message", "conversation" or "kb:<document name>"
    retrieval_score: float | None = None  # cosine similarity for KB chunks; None for pasted text

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SkillRequest:
    text: str  # what the skill works on: the sentence to tag or classify, or the question for QA
    passages: tuple[Passage, ...] = ()  # QA only: where the answer may come from, best first


@dataclass
class SkillResult:
    text: str  # the answer as shown in the chat (Markdown)
    confidence: float  # 0..1, the skill's own probability for its answer
    data: dict[str, Any] = field(default_factory=dict)  # structured output in the skill's terms
    rationale: dict[str, Any] = field(default_factory=dict)  # the skill's explanation of its answer

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@runtime_checkable
class Skill(Protocol):
    """One capability of the bot. Adding a skill is one module in `skills/` and one line in `skills/__init__`."""

    name: str
    description: str  # one line, shown by the help skill
    routing_examples: tuple[str, ...]  # messages that should be routed here; the router embeds them
    adapter_version: str | None  # version of the adapter that produces the answers; None for rule-based skills

    def run(self, request: SkillRequest) -> SkillResult: ...

    def parse_correction(self, correction: str, result: dict[str, Any]) -> dict[str, Any]:
        """A user's free-text correction of `result` (a stored `SkillResult.to_dict()`) as structured gold output.

        Raises InputError when the text is not a valid correction in this skill's terms.
        """
        ...
