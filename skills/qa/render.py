"""How a QA answer is shown: the span and retrieval scores, the evidence passage with the answer marked, every passage
read with its retrieval score and best span, the rule that decided a yes/no, the next best answers, and the evidence
as highlight segments, in plain text."""

from __future__ import annotations

import re
from typing import Any

from skills.markup import esc, marked_text, segments

SHOWN_SPAN_CHARS = 80
# Markdown a highlight box would show as typed: heading hashes and list bullets at a line's start, emphasis marks and
# code ticks (not between two letters or digits: "sea_gull_42" stays), table pipes.
_LINE_MARK = re.compile(r"(?m)^[ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+|\d+\.[ \t]+)")
_EMPHASIS = re.compile(r"(?<![0-9A-Za-z])(?:\*\*|__|\*|_|`)|(?:\*\*|__|\*|_|`)(?![0-9A-Za-z])")


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
    if rationale.get("scoring"):
        lines.append(f"**Scored as:** {esc(rationale['scoring'])}.")
    if "yes_no" in rationale:
        lines.append(f"**Yes or no:** {esc(rationale['yes_no']['reason'])}.")
    mark = [{"start": span["start"], "end": span["end"], "label": "answer"}]
    lines.append("**Evidence:** " + marked_text(evidence["text"], mark, "label"))
    lines += passage_lines(rationale.get("passages") or [])
    for alternative in rationale.get("alternatives", []):
        lines.append(f"- next best: “{esc(alternative['answer'])}” ({alternative['score']:.2f})")
    return lines


def passage_lines(passages: list[dict[str, Any]]) -> list[str]:
    """One line per passage read, in retrieval order: its source, retrieval score and best span with its scores."""
    if len(passages) < 2:
        return []
    lines = ["**Passages read** (retrieval order):"]
    for passage in passages:
        retrieval = passage.get("retrieval_score")
        about = f"{esc(passage['source'])}" + (f", retrieval {retrieval:.2f}" if retrieval is not None else "")
        best = passage.get("best_span")
        if best is None:
            lines.append(f"{passage['rank']}. {about}: no span")
            continue
        text = best["text"] if len(best["text"]) <= SHOWN_SPAN_CHARS else best["text"][: SHOWN_SPAN_CHARS - 1] + "…"
        kind = ", of the kind asked" if best.get("expected_kind") else ""
        lines.append(
            f"{passage['rank']}. {about}: “{esc(' '.join(text.split()))}” (span {best['span_score']:.2f}{kind}, "
            f"{best.get('question_words', 0)} question words; total {best['score']:.2f})"
        )
    return ["\n".join(lines)]


def summary(data: dict[str, Any], rationale: dict[str, Any]) -> str:
    """What decided, in words: where the answer was read."""
    evidence = rationale.get("evidence")
    if not evidence:
        return ""
    source = evidence["source"]
    where = f"your document “{source[3:]}”" if source.startswith("kb:") else "the passage you gave"
    return f"It read the answer “{' '.join(str(data.get('answer', '')).split())}” in {where}."


def legend(data: dict[str, Any]) -> str:
    return (
        "the marked span is the answer within its evidence; the span score is the reader's own (higher is surer), "
        "the retrieval score how similar the passage is to the question (0 to 1)"
    )


def highlights(data: dict[str, Any], rationale: dict[str, Any]) -> list[tuple[str, Any]] | None:
    """The evidence with the answer marked, as plain text: Markdown dropped and line breaks as spaces (the offsets
    are the evidence's own, so the pieces are cut first and cleaned after)."""
    if "evidence" not in rationale:
        return None
    span = rationale["span"]
    pieces = segments(rationale["evidence"]["text"], [(span["start"], span["end"], "answer")])
    return [(plain_text(piece), label) for piece, label in pieces]


def plain_text(piece: str) -> str:
    """A piece of evidence without Markdown (see _LINE_MARK, _EMPHASIS), its line breaks as spaces."""
    piece = _EMPHASIS.sub("", _LINE_MARK.sub("", piece)).replace("|", " ")
    return re.sub(r"\s*\n\s*", " ", piece)
