"""Cutting a knowledge-base document into retrieval chunks that follow its headings and sentences (pure functions).

A chunk is an exact slice of the document (its offsets are kept), so the evidence an answer shows is the user's own
text. It never splits a word: every cut falls between whitespace-separated words, after a sentence where one ends
near the cut. Markdown ATX headings (`# Title`, `## Section`) start a chunk, and each chunk carries the path of the
headings above it ("House rules > Parking"): the path is prepended to what is embedded and keyword-indexed
(`context_text`) but not to the text shown, so "where do I park?" finds a section whose body never says "park".
Chunks of about 120 words keep one topic each, which retrieves better than whole documents.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_WORD = re.compile(r"\S+")
_HEADING = re.compile(r"#{1,6}[ \t]")  # a Markdown ATX heading
_HEADING_LINE = re.compile(r"(?m)^#{1,6}[ \t]")  # a heading at the start of any line
_HEADING_TITLE = re.compile(r"(#{1,6})[ \t]+([^\n]*)")
_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")  # "## Parking ##": the closing sequence is no part of it
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
HEADING_SEPARATOR = " > "


@dataclass(frozen=True)
class ChunkSpan:
    start: int  # offset of the chunk's first character in the document
    end: int  # offset just past its last character
    heading: str  # the path of the headings above it, "House rules > Parking"; "" where there is none


def context_text(heading: str, text: str) -> str:
    """What retrieval indexes for a chunk: its heading path, then its text."""
    return f"{heading}\n\n{text}" if heading else text


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph (text between blank lines; a heading line is a paragraph of its own),
    without surrounding whitespace."""
    spans, cursor = [], 0
    for match in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        piece = text[cursor:end]
        if piece.strip():
            start = cursor + len(piece) - len(piece.lstrip())
            spans += _split_at_headings(text, start, cursor + len(piece.rstrip()))
        cursor = match.end() if match else len(text)
    return spans


def _split_at_headings(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A paragraph cut so that each heading line is a paragraph of its own ("## Parking\nPark in bay 4" without a
    blank line between is a heading and a paragraph)."""
    cuts = {start, end}
    for heading in _HEADING_LINE.finditer(text, start, end):
        line_end = text.find("\n", heading.start(), end)
        cuts |= {heading.start(), end if line_end < 0 else line_end + 1}
    bounds = sorted(cuts)
    pieces = [(a, a + len(text[a:b].rstrip())) for a, b in itertools.pairwise(bounds)]
    return [(a, b) for a, b in pieces if b > a]


def _heading_paths(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """(offset, heading path in effect from there) at each heading paragraph, in document order."""
    stack: list[tuple[int, str]] = []  # (level, title) of the open headings, outermost first
    paths = []
    for start, end in paragraphs:
        match = _HEADING_TITLE.match(text, start, end)
        title = _CLOSING_HASHES.sub("", match.group(2).strip()) if match else ""
        if not title:
            continue
        level = len(match.group(1))
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, title))
        paths.append((start, HEADING_SEPARATOR.join(title for _, title in stack)))
    return paths


def _windows(words: list[re.Match[str]], max_words: int, overlap_words: int) -> list[tuple[int, int]]:
    """Word windows (first, last+1) over one long paragraph: cut after a sentence when one ends in the second
    half of the window, else mid-sentence; each window starts on a sentence within `overlap_words` of the
    previous end if it can, else exactly `overlap_words` words back."""
    ends_sentence = [bool(_SENTENCE_END.search(w.group())) for w in words]
    windows: list[tuple[int, int]] = []
    first, previous_end = 0, 0
    while True:
        if len(words) - first <= max_words:
            windows.append((first, len(words)))
            return windows
        limit = first + max_words
        lowest = max(previous_end + 1, first + max_words // 2)
        cuts = [i + 1 for i in range(lowest - 1, limit) if ends_sentence[i]]
        end = cuts[-1] if cuts else limit
        windows.append((first, end))
        starts = [i for i in range(end - overlap_words, end) if i > first and ends_sentence[i - 1]]
        first = max(starts[0] if starts else end - overlap_words, first + 1)
        previous_end = end


def _chunk_bounds(
    text: str, paragraphs: list[tuple[int, int]], max_words: int, overlap_words: int
) -> list[tuple[int, int]]:
    """(start, end) of each chunk; see `chunk_document`."""
    chunks: list[tuple[int, int]] = []
    group: list[tuple[int, int, int]] = []  # (start, end, words) of the paragraphs in the current chunk

    def flush(carry_headings: bool) -> None:
        split = len(group)
        while carry_headings and split and _is_heading(text, group[split - 1]):
            split -= 1
        if split:
            chunks.append((group[0][0], group[split - 1][1]))
        group[:] = group[split:]

    for start, end in paragraphs:
        words = list(_WORD.finditer(text, start, end))
        if _is_heading(text, (start,)):
            flush(carry_headings=True)
        if sum(g[2] for g in group) + len(words) <= max_words:
            group.append((start, end, len(words)))
            continue
        flush(carry_headings=True)
        if len(words) <= max_words:
            group.append((start, end, len(words)))
            continue
        heading_start = group[0][0] if group else None
        group.clear()
        for n, (first, last) in enumerate(_windows(words, max_words, overlap_words)):
            window_start = heading_start if n == 0 and heading_start is not None else words[first].start()
            chunks.append((window_start, words[last - 1].end()))
    flush(carry_headings=False)
    return chunks


def chunk_document(text: str, max_words: int = 120, overlap_words: int = 30) -> list[ChunkSpan]:
    """Split a document into retrieval chunks: offsets into `text` (original whitespace kept) and heading paths.

    Consecutive paragraphs share a chunk while they fit in `max_words`; a Markdown heading starts a new
    chunk and goes with the paragraph after it (one topic per chunk retrieves better). A longer paragraph
    is cut on sentence boundaries into windows that overlap by up to `overlap_words` words, so an answer
    near a cut is whole in at least one chunk. Headings only ever lead a chunk, so its heading path is the one
    in effect where it ends.
    """
    if max_words < 2 or not 0 <= overlap_words < max_words:
        raise ValueError(f"need 0 <= overlap_words < max_words and max_words >= 2: {max_words}, {overlap_words}")
    paragraphs = _paragraph_spans(text)
    paths = _heading_paths(text, paragraphs)
    spans = []
    for start, end in _chunk_bounds(text, paragraphs, max_words, overlap_words):
        heading = next((path for offset, path in reversed(paths) if offset < end), "")
        spans.append(ChunkSpan(start, end, heading))
    return spans


def chunk_text(text: str, max_words: int = 120, overlap_words: int = 30) -> list[str]:
    """The chunks of `chunk_document` as text: each an exact slice of `text`."""
    return [text[span.start : span.end] for span in chunk_document(text, max_words, overlap_words)]


def indexed_texts(text: str, spans: list[ChunkSpan] | None = None) -> list[str]:
    """What retrieval embeds and keyword-indexes for each chunk of a document (`context_text` of its chunks; `spans`:
    its `chunk_document`, computed when not given)."""
    spans = chunk_document(text) if spans is None else spans
    return [context_text(span.heading, text[span.start : span.end]) for span in spans]


def _is_heading(text: str, paragraph: tuple[int, ...]) -> bool:
    return bool(_HEADING.match(text, paragraph[0]))
