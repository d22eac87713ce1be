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


def summary(data: dict[str, Any], rationale: dict[str, Any]) -> str:
    """What decided, in words: the words that pushed the answer most toward its label."""
    ranked = sorted(rationale.get("attributions") or [], key=lambda a: -a["score"])
    strongest = ranked[0]["score"] if ranked else 0.0
    # up to three words, each at least a third as strong as the strongest: "and" +0.16 beside "dull" +0.91 is noise
    drivers = [f"“{a['token']}”" for a in ranked[:3] if a["score"] > 0 and a["score"] >= strongest / 3]
    if not drivers:
        return f"It judged the text {data['label']}."
    return f"It judged the text {data['label']}, mostly because of {', '.join(drivers)}."


def legend(data: dict[str, Any]) -> str:
    return (
        "blue words pushed the answer toward positive, red toward negative, the stronger the colour the more; a "
        "word's number is how much the label's probability falls without it (+ toward the label, − against)"
    )


def highlights(data: dict[str, Any], rationale: dict[str, Any]) -> list[tuple[str, Any]] | None:
    attributions = rationale["attributions"]
    scale = max((abs(a["score"]) for a in attributions), default=1.0) or 1.0
    sign = 1.0 if data["label"] == "positive" else -1.0  # red = negative, blue = positive
    return segments(data["text"], [(a["start"], a["end"], round(sign * a["score"] / scale, 3)) for a in attributions])
