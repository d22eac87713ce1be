"""Sentiment feedback rules: a correction names the right label; a 👎 on a binary label means the other one (silver).
Pure functions, no I/O."""

from __future__ import annotations

from typing import Any

from core.errors import InputError, UnusableFeedback
from skills.sentiment.data import LabeledText
from skills.sentiment.spec import LABELS

LABEL_ALIASES = {"negative": 0, "neg": 0, "0": 0, "bad": 0, "positive": 1, "pos": 1, "1": 1, "good": 1}


def parse_correction(correction: str, inputs: dict[str, str | None], data: dict[str, Any]) -> dict[str, Any]:
    key = correction.strip().lower()
    if key not in LABEL_ALIASES:
        raise InputError(f"write the right label, positive or negative (got {correction.strip()!r})")
    label = LABELS[LABEL_ALIASES[key]]
    if label == data.get("label"):
        raise InputError(f"That is the answer I gave ({label}): the right label is the other one.")
    return {"label": label}


def correction_draft(data: dict[str, Any]) -> str:
    """The Rate panel's starting text: the other label (binary: a wrong answer's right label)."""
    return LABELS[1 - LABELS.index(data["label"])] if data.get("label") in LABELS else ""


def recalled(
    correction: dict[str, Any], data: dict[str, Any], inputs: dict[str, str | None]
) -> tuple[str, dict[str, Any]] | None:
    """The answer with a remembered correction's label."""
    label = checked(correction.get("label"), inputs)
    return f"**{label}**", {**data, "label": label, "corrected": True}


def lexicon(correction: dict[str, Any]) -> list:
    """A sentiment label belongs to a whole text: no words to remember on their own."""
    return []


def output_label(data: dict[str, Any]) -> Any:
    return data.get("label")


def gold_label(correction: dict[str, Any], inputs: dict[str, str | None], data: dict[str, Any]) -> str:
    return checked(correction.get("label"), inputs)


def thumb_down_label(data: dict[str, Any], inputs: dict[str, str | None]) -> str:
    """Binary: the answer was wrong, so the other label is right."""
    said = checked(output_label(data), inputs)
    return LABELS[1 - LABELS.index(said)]


def checked(label: Any, inputs: dict[str, str | None]) -> str:
    if label not in LABELS:
        raise UnusableFeedback(f"sentiment label {label!r} is not one of {', '.join(LABELS)}")
    return label


def benchmark_example(text: str, label: str, **_: Any) -> LabeledText:
    return LabeledText(text, LABELS.index(label))


def shown_label(label: str) -> str:
    return label
