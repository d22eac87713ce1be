"""How a sentiment answer is shown: the summary, the words with the largest attributions, and highlight segments
scaled to [-1, 1] (red negative, blue positive)."""

from __future__ import annotations

from typing import Any

from skills.markup import esc, segments


def answer_markdown(text: str, data: dict[str, Any]) -> str:
    return text


def rationale_lines(rationale: dict[str, Any], data: dict[str, Any]) -> list[str]:
    top = sorted(rationale["attributions"], key=lambda a: -abs(a["score"]))[:6]
    words = ", ".join(f"{esc(a['token'])} {a['score']:+.2f}" for a in top)
    return [
        f"**Summary:** {esc(rationale['summary'])}.",
        f"**Word attributions** (+ toward the label, − against): {words}.",
    ]


def highlights(data: dict[str, Any], rationale: dict[str, Any]) -> list[tuple[str, Any]] | None:
    attributions = rationale["attributions"]
    scale = max((abs(a["score"]) for a in attributions), default=1.0) or 1.0
    sign = 1.0 if data["label"] == "positive" else -1.0  # red = negative, blue = positive
    return segments(data["text"], [(a["start"], a["end"], round(sign * a["score"] / scale, 3)) for a in attributions])
