"""How a QA answer is shown: the span and retrieval scores, the evidence passage with the answer marked, the next
best answers, and the evidence as highlight segments."""

from __future__ import annotations

from typing import Any

from skills.markup import esc, marked_text, segments


def answer_markdown(text: str, data: dict[str, Any]) -> str:
    return text


def rationale_lines(rationale: dict[str, Any], data: dict[str, Any]) -> list[str]:
    if "evidence" not in rationale:
        return []
    evidence = rationale["evidence"]
    span = rationale["span"]
    retrieval = evidence.get("retrieval_score")
    lines = [
        f"**Span score:** {span['score']:.2f}"
        + (f"; **retrieval score:** {retrieval:.2f}" if retrieval is not None else "")
        + f"; **source:** {esc(evidence['source'])}."
    ]
    mark = [{"start": span["start"], "end": span["end"], "label": "answer"}]
    lines.append("**Evidence:** " + marked_text(evidence["text"], mark, "label"))
    for alternative in rationale.get("alternatives", []):
        lines.append(f"- next best: “{esc(alternative['answer'])}” ({alternative['score']:.2f})")
    return lines


def highlights(data: dict[str, Any], rationale: dict[str, Any]) -> list[tuple[str, Any]] | None:
    if "evidence" not in rationale:
        return None
    return segments(rationale["evidence"]["text"], [(rationale["span"]["start"], rationale["span"]["end"], "answer")])
