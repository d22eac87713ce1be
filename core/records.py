"""The typed records that cross layers: what a turn's skill read (`SkillInputs`), why it answered so (`Rationale`,
`RouteRationale`) and what the store keeps of it (`TurnOutput`, with a versioned JSON form).

Serving writes them, the UI renders them, the feedback rules and the retrain read them: the retrain takes the
passage a QA answer came from out of `TurnOutput.inputs`, never out of the explanation, so the "why" panel can
change without touching training. Rows written before schema 2 (no `"schema"` key) still load (`from_json`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

from core.errors import InputError

SCHEMA_VERSION = 2


class Thumb(str, Enum):
    """A rating event's thumb. Stored as its value; `RETRACTED` is the event that takes a thumb back."""

    UP = "up"
    DOWN = "down"
    RETRACTED = "retracted"

    @classmethod
    def parse(cls, value: object) -> Thumb | None:
        """A thumb from the API's or UI's spellings: "up", "down", "retract"/"retracted", a `Thumb`; None and ""
        mean no thumb given. InputError for anything else."""
        if value is None or value == "":
            return None
        if isinstance(value, cls):
            return value
        if value in ("retract", "retracted"):
            return cls.RETRACTED
        if value in ("up", "down"):
            return cls(value)
        raise InputError(f"A rating is 'up', 'down' or none (to take it back), got {value!r}.")


@dataclass(frozen=True)
class SkillInputs:
    """What a skill read: the text it analysed, or the question and the passage its answer came from."""

    text: str | None = None
    question: str | None = None
    passage: str | None = None
    source: str | None = None  # where the passage came from: "message", "conversation" or "kb:<document>"

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)


@dataclass(frozen=True)
class RouteRationale:
    """Why this skill: the planner's reason and the router's evidence."""

    skill: str
    reason: str
    overridden_by: str | None  # "command", "conversation" or "passage" when not the router's choice
    scores: dict[str, float]  # softmax over similarities, sums to 1
    similarities: dict[str, float]  # cosine similarity to each skill's nearest routing example
    nearest_examples: dict[str, str]  # that example, per skill
    best: str  # the router's own choice (before the threshold)
    read_by: str = "rules"  # "request model" when its reading decided the turn
    request: dict[str, Any] | None = None  # the request model's reading: intents' probabilities and the spans it read

    @property
    def nearest_example(self) -> dict[str, str]:
        return {"skill": self.best, "text": self.nearest_examples.get(self.best, "")}

    def to_dict(self) -> dict[str, Any]:
        return {
            "skill": self.skill,
            "reason": self.reason,
            "overridden_by": self.overridden_by,
            "scores": self.scores,
            "similarities": self.similarities,
            "nearest_example": self.nearest_example,
            "nearest_examples": self.nearest_examples,
            "read_by": self.read_by,
            "request": self.request,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> RouteRationale:
        nearest = raw.get("nearest_example") or {}
        return cls(
            skill=raw.get("skill", ""),
            reason=raw.get("reason", ""),
            overridden_by=raw.get("overridden_by"),
            scores=dict(raw.get("scores") or {}),
            similarities=dict(raw.get("similarities") or {}),
            nearest_examples=dict(raw.get("nearest_examples") or {}),
            best=nearest.get("skill", raw.get("skill", "")),
            read_by=raw.get("read_by", "rules"),
            request=raw.get("request"),
        )


MODALITIES = ("text", "audio", "image")


@dataclass(frozen=True)
class InputReading:
    """How the turn's text came in: typed, heard (speech to text) or read from a picture (text recognition), with
    the recogniser's confidence and where each part of the text came from."""

    modality: str  # one of MODALITIES
    text: str  # what was heard or read (typed: the message)
    confidence: float = 1.0  # the recogniser's (heard: mean word probability; read: mean line score); typed: 1.0
    words: tuple[dict[str, Any], ...] = ()  # heard: {"text", "start", "end", "probability"}, seconds into the clip
    lines: tuple[dict[str, Any], ...] = ()  # read: {"text", "box": [x0, y0, x1, y1], "score"}, pixels
    request: str | None = None  # read: the words typed or said with the picture (what was asked of its text)
    corrects: int | None = None  # the turn whose recording or picture this text corrects (the user edited it)
    original: str | None = None  # what the recogniser heard or read there, before the user's edit

    def __post_init__(self) -> None:
        if self.modality not in MODALITIES:
            raise ValueError(f"modality must be one of {', '.join(MODALITIES)}, got {self.modality!r}")

    def to_dict(self) -> dict[str, Any]:
        raw: dict[str, Any] = {"modality": self.modality, "text": self.text, "confidence": self.confidence}
        if self.modality == "audio" or self.words:
            raw["words"] = [dict(w) for w in self.words]
        if self.modality == "image":
            raw["lines"] = [dict(line) for line in self.lines]
            raw["request"] = self.request
        if self.corrects is not None:
            raw["corrects"], raw["original"] = self.corrects, self.original
        return raw

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> InputReading:
        return cls(
            modality=raw.get("modality", "text"),
            text=str(raw.get("text") or ""),
            confidence=float(raw.get("confidence", 1.0)),
            words=tuple(raw.get("words") or ()),
            lines=tuple(raw.get("lines") or ()),
            request=raw.get("request"),
            corrects=raw.get("corrects"),
            original=raw.get("original"),
        )


@dataclass(frozen=True)
class Rationale:
    """Everything shown under "Why this answer"; `skill` is the answering skill's own explanation, in its terms."""

    route: RouteRationale
    confidence: float
    skill: dict[str, Any] = field(default_factory=dict)
    similar_examples: list[dict[str, Any]] | None = None  # None: no index for this version (or a rule-based skill)
    examples_missing: str = ""  # where an adapter's version has no example index: why, and how to build one
    summary: str = ""  # the plain sentences that open the explanation (chatbot/explanation.py)
    input: InputReading | None = None  # how the text came in (None: stored before inputs were recorded)

    def to_dict(self) -> dict[str, Any]:
        raw: dict[str, Any] = {
            "summary": self.summary,
            "route": self.route.to_dict(),
            "confidence": self.confidence,
            "skill": self.skill,
        }
        if self.similar_examples is not None:
            raw["similar_examples"] = self.similar_examples
        if self.examples_missing:
            raw["examples_missing"] = self.examples_missing
        if self.input is not None:
            raw["input"] = self.input.to_dict()
        return raw

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Rationale:
        return cls(
            route=RouteRationale.from_dict(raw["route"]),
            confidence=float(raw.get("confidence", 0.0)),
            skill=dict(raw.get("skill") or {}),
            similar_examples=raw.get("similar_examples"),
            examples_missing=str(raw.get("examples_missing") or ""),
            summary=str(raw.get("summary") or ""),
            input=InputReading.from_dict(raw["input"]) if isinstance(raw.get("input"), dict) else None,
        )


@dataclass(frozen=True)
class TurnOutput:
    """What the store keeps of a turn's answer besides its text: the skill's structured output, what it read, the
    rationale, and a passage the conversation keeps for follow-up questions."""

    data: dict[str, Any]
    rationale: Rationale | None
    inputs: SkillInputs | None = None  # None only for rows whose inputs were never recorded
    passage: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "data": self.data,
            "inputs": None if self.inputs is None else self.inputs.to_dict(),
            "rationale": None if self.rationale is None else self.rationale.to_dict(),
            "passage": self.passage,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> TurnOutput:
        """A stored output of any schema; schema 1 (no "schema" key) kept the inputs only inside the data and the
        explanation, where they are read once here."""
        schema = raw.get("schema", 1)
        if schema > SCHEMA_VERSION:
            raise ValueError(f"a turn output of schema {schema} is newer than this code ({SCHEMA_VERSION})")
        data = raw.get("data") or {}
        stored = raw.get("rationale")
        rationale = Rationale.from_dict(stored) if isinstance(stored, dict) and "route" in stored else None
        if schema >= 2:
            inputs = SkillInputs(**raw["inputs"]) if raw.get("inputs") else None
        else:
            inputs = _schema1_inputs(data, raw.get("rationale") or {})
        return cls(data=data, rationale=rationale, inputs=inputs, passage=raw.get("passage"))


def _schema1_inputs(data: dict[str, Any], rationale: dict[str, Any]) -> SkillInputs | None:
    """Schema 1 stored the analysed text as `data.text`, and a question's passage only as its evidence."""
    if isinstance(data.get("question"), str):
        evidence = (rationale.get("skill") or {}).get("evidence") or {}
        passage = evidence.get("text") if isinstance(evidence.get("text"), str) else None
        return SkillInputs(text=data["question"], question=data["question"], passage=passage)
    if isinstance(data.get("text"), str):
        return SkillInputs(text=data["text"])
    return None
