"""How an urgency answer is shown: both probabilities."""

from __future__ import annotations

from typing import Any


def answer_markdown(text: str, data: dict[str, Any]) -> str:
    return text


def rationale_lines(rationale: dict[str, Any], data: dict[str, Any]) -> list[str]:
    shown = ", ".join(f"{label} {p:.0%}" for label, p in rationale["probabilities"].items())
    return [f"**Urgency probabilities:** {shown}."]


def summary(data: dict[str, Any], rationale: dict[str, Any]) -> str:
    return f"It judged the message {data['label']}."


def legend(data: dict[str, Any]) -> str:
    return "the percentages are the model's probabilities"


def highlights(data: dict[str, Any], rationale: dict[str, Any]) -> list[tuple[str, Any]] | None:
    return [(data["text"], data["label"])]
