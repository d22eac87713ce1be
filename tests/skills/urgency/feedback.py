"""Urgency feedback: a correction names the label; a 👎 means the other one."""

from __future__ import annotations

from typing import Any

from core.errors import InputError, UnusableFeedback
from tests.skills.urgency.data import Message
from tests.skills.urgency.spec import LABELS


def parse_correction(correction: str, inputs: dict[str, str | None], data: dict[str, Any]) -> dict[str, Any]:
    if correction.strip().lower() not in LABELS:
        raise InputError(f"write urgent or routine (got {correction.strip()!r})")
    if correction.strip().lower() == data.get("label"):
        raise InputError(f"That is the answer I gave ({data['label']}).")
    return {"label": correction.strip().lower()}


def correction_draft(data: dict[str, Any]) -> str:
    return LABELS[1 - LABELS.index(data["label"])] if data.get("label") in LABELS else ""


def recalled(correction: dict[str, Any], data: dict[str, Any], inputs: dict[str, str | None]):
    return correction["label"], {**data, "label": correction["label"]}


def lexicon(correction: dict[str, Any]) -> list:
    return []


def output_label(data: dict[str, Any]) -> Any:
    return data.get("label")


def gold_label(correction: dict[str, Any], inputs: dict[str, str | None], data: dict[str, Any]) -> str:
    return checked(correction.get("label"), inputs)


def thumb_down_label(data: dict[str, Any], inputs: dict[str, str | None]) -> str:
    return LABELS[1 - LABELS.index(checked(output_label(data), inputs))]


def checked(label: Any, inputs: dict[str, str | None]) -> str:
    if label not in LABELS:
        raise UnusableFeedback(f"urgency label {label!r} is not one of {', '.join(LABELS)}")
    return label


def benchmark_example(text: str, label: str, **_: Any) -> Message:
    return Message(text, LABELS.index(label))


def shown_label(label: str) -> str:
    return label
