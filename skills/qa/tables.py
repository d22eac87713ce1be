"""Markdown tables as the QA model reads them: each row with its column names (pure functions).

A reader trained on SQuAD's prose sees "| Premium | £52 a month | all opening hours | unlimited |" as a list of
words: nothing in the row says that "£52 a month" is the price, and the header that does is rows away. Table QA
systems linearise a table row by row with the header repeated in each ("column: value"; Chen et al. 2020, "TabFact",
and the row-wise templates of Herzig et al. 2020, TAPAS's pre-training), which lets a text reader answer from a row.
So the model reads "Plan: Premium; Price: £52 a month; Access: all opening hours; Classes: unlimited." and every
span it picks is mapped back onto the document's own characters: the passage, the evidence and the answer's offsets
stay exact slices of the user's text. A table needs its header row and the `|---|` line under it to be read so;
rows of a table whose header is in another chunk are read as they are.
"""

from __future__ import annotations

import itertools
import re

_ROW = re.compile(r"[ \t]*\|.*\|[ \t]*$")
_RULE = re.compile(r"[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
INSERTED = -1  # the origin of a character the linearisation added (a column name, "; ", ".")


def _cells(line: str, offset: int) -> list[tuple[int, int]]:
    """(start, end) of each cell's text in a table row, surrounding spaces and pipes left out."""
    bars = [offset + m.start() for m in re.finditer(r"\|", line)]
    cells = []
    for left, right in itertools.pairwise(bars):
        start, end = left + 1, right
        while start < end and line[start - offset] in " \t":
            start += 1
        while end > start and line[end - 1 - offset] in " \t":
            end -= 1
        cells.append((start, end))
    return cells


def with_column_names(text: str) -> tuple[str, list[int]]:
    """`text` with each Markdown table's body rows written "Column: value; Column: value." (the header and rule
    lines left out), and for each character of the result its offset in `text` (INSERTED where it was added)."""
    lines, offset = [], 0
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    pieces: list[tuple[str, list[int]]] = []
    header: list[str] | None = None
    for n, (start, line) in enumerate(lines):
        ending = "\n" if n < len(lines) - 1 else ""
        following = lines[n + 1][1] if n + 1 < len(lines) else ""
        if _ROW.match(line) and _RULE.match(following) and not _RULE.match(line):
            header = [text[a:b] for a, b in _cells(line, start)]
            continue
        if header is not None and _RULE.match(line):
            continue
        if header is not None and _ROW.match(line):
            pieces.append(_row(text, _cells(line, start), header, start + len(line), ending))
            continue
        header = None
        pieces.append((line + ending, list(range(start, start + len(line) + len(ending)))))
    return "".join(p for p, _ in pieces), [i for _, origin in pieces for i in origin]


def _row(text: str, cells: list[tuple[int, int]], header: list[str], end: int, ending: str) -> tuple[str, list[int]]:
    parts, origin = [], []

    def add(piece: str, where: list[int]) -> None:
        parts.append(piece)
        origin.extend(where)

    for n, (a, b) in enumerate(cells):
        name = header[n] if n < len(header) else ""
        if n:
            add("; ", [INSERTED] * 2)
        if name:
            add(f"{name}: ", [INSERTED] * (len(name) + 2))
        add(text[a:b], list(range(a, b)))
    add("." + ending, [INSERTED] + ([end] if ending else []))
    return "".join(parts), origin


def to_original(origin: list[int], start: int, end: int) -> tuple[int, int] | None:
    """A span of the linearised text as offsets of the original (its first and last original characters); None for
    a span of added characters only."""
    kept = [origin[i] for i in range(start, min(end, len(origin))) if origin[i] != INSERTED]
    return (kept[0], kept[-1] + 1) if kept else None
