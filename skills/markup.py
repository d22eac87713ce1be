"""Small helpers the skills' `render.py` and `evaluate.py` share: HTML escaping, marked spans, highlight segments
and Markdown tables. Everything that came from a user or a document is escaped, so it is shown, never run."""

from __future__ import annotations

import html
from typing import Any

MISSING = "–"


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def marked_text(text: str, spans: list[dict[str, Any]], label_key: str) -> str:
    """`text` with each span wrapped in <mark> and its label; spans hold start/end offsets into `text`."""
    pieces, cursor = [], 0
    for span in sorted(spans, key=lambda s: s["start"]):
        if span["start"] < cursor:
            continue
        pieces.append(esc(text[cursor : span["start"]]))
        label = esc(str(span[label_key]))
        pieces.append(f"<mark>{esc(text[span['start'] : span['end']])} <sub>{label}</sub></mark>")
        cursor = span["end"]
    pieces.append(esc(text[cursor:]))
    return "".join(pieces)


def segments(text: str, spans: list[tuple[int, int, Any]]) -> list[tuple[str, Any]]:
    """`text` cut into (piece, label) pairs for `gr.HighlightedText`; pieces outside every span have label None."""
    pieces, cursor = [], 0
    for start, end, label in sorted(spans):
        if start < cursor:
            continue
        if start > cursor:
            pieces.append((text[cursor:start], None))
        pieces.append((text[start:end], label))
        cursor = end
    if cursor < len(text):
        pieces.append((text[cursor:], None))
    return pieces


def number(value: Any) -> str:
    """A table cell: whole numbers as they are, others with two decimals, a dash for a missing value."""
    if value is None:
        return MISSING
    return str(int(value)) if isinstance(value, int) else f"{float(value):.2f}"


def table_rows(header: list[str], rows: list[list[Any]], align: str = "---:") -> list[str]:
    """A Markdown table, one line per row; every column after the first aligned by `align`."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" + f"{align}|" * (len(header) - 1)]
    return lines + ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
