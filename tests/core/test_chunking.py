"""Chunking a knowledge-base document (pure functions): chunks are exact slices that never split a word, follow
paragraphs, sentences and Markdown headings, and carry the path of the headings above them."""

from __future__ import annotations

import itertools
import re

import pytest

from core.chunking import ChunkSpan, chunk_document, chunk_text, context_text


def sentences(count: int, words_each: int = 6) -> str:
    """`count` sentences of `words_each` words: "S1 w1 w2 w3 w4 end1." ..."""
    return " ".join(f"S{i} " + " ".join(f"w{i}_{j}" for j in range(words_each - 2)) + f" end{i}." for i in range(count))


def words_of(text: str) -> list[str]:
    return text.split()


HOUSE_RULES = """# House rules

Be quiet after ten in the evening.

## Parking
Guests park in bay 4, never on the lawn.

## Pets ##

Dogs are welcome; cats stay indoors.
### Feeding

Feed them outside.

# Leaving

Leave the key in the box.
"""


def test_short_text_is_one_chunk_equal_to_the_stripped_text() -> None:
    assert chunk_text("  Just one short line.\n") == ["Just one short line."]


def test_blank_text_has_no_chunks() -> None:
    assert chunk_text(" \n\n \t\n") == []


def test_paragraphs_that_fit_share_a_chunk_and_are_never_split() -> None:
    paragraphs = [f"Paragraph {n} has exactly six words." for n in range(3)]  # 6 words each
    chunks = chunk_text("\n\n".join(paragraphs), max_words=13, overlap_words=3)
    assert chunks == [paragraphs[0] + "\n\n" + paragraphs[1], paragraphs[2]]


def test_chunks_keep_the_original_whitespace_inside() -> None:
    text = "First line\nsecond line,   spaced.\n\nNext paragraph."
    assert chunk_text(text) == [text]


def test_long_paragraph_is_cut_into_overlapping_windows_at_sentence_ends() -> None:
    text = sentences(10)  # 60 words
    chunks = chunk_text(text, max_words=20, overlap_words=6)
    assert len(chunks) > 2
    assert all(chunk and chunk in text for chunk in chunks)
    assert all(len(words_of(chunk)) <= 20 for chunk in chunks)
    assert all(chunk.endswith(".") for chunk in chunks)
    for before, after in itertools.pairwise(chunks):
        overlap = max(m for m in range(7) if m == 0 or words_of(before)[-m:] == words_of(after)[:m])
        assert 1 <= overlap <= 6, f"consecutive windows must share 1..6 words: {before!r} / {after!r}"
    covered = [word for chunk in chunks for word in words_of(chunk)]
    assert set(covered) == set(words_of(text)), "every word is in some chunk"
    assert words_of(chunks[0])[0] == "S0" and words_of(chunks[-1])[-1] == "end9."


def test_overlap_zero_gives_disjoint_windows_covering_the_text() -> None:
    text = " ".join(f"w{i}" for i in range(50))  # no sentence ends: cut by word count
    chunks = chunk_text(text, max_words=20, overlap_words=0)
    assert [len(words_of(c)) for c in chunks] == [20, 20, 10]
    assert " ".join(chunks) == text


def test_window_overlap_is_exactly_the_requested_words_without_sentences() -> None:
    text = " ".join(f"w{i}" for i in range(50))
    chunks = chunk_text(text, max_words=20, overlap_words=5)
    assert words_of(chunks[1])[:5] == words_of(chunks[0])[-5:]
    assert words_of(chunks[0])[-1] == "w19" and words_of(chunks[-1])[-1] == "w49"


def test_markdown_heading_starts_a_chunk_with_the_paragraph_after_it() -> None:
    text = "Intro words here.\n\n## Setup\n\nInstall the package first.\n\n## Usage\n\nRun the command."
    assert chunk_text(text) == [
        "Intro words here.",
        "## Setup\n\nInstall the package first.",
        "## Usage\n\nRun the command.",
    ]


def test_heading_is_kept_with_the_first_window_of_a_long_paragraph() -> None:
    body = sentences(8)
    chunks = chunk_text("# Title\n\n" + body, max_words=20, overlap_words=4)
    assert chunks[0].startswith("# Title\n\nS0 ")
    assert not any(chunk.strip() == "# Title" for chunk in chunks)


@pytest.mark.parametrize(("max_words", "overlap_words"), [(1, 0), (10, 10), (10, -1)])
def test_chunk_text_rejects_bad_sizes(max_words: int, overlap_words: int) -> None:
    with pytest.raises(ValueError, match="overlap_words"):
        chunk_text("some text", max_words=max_words, overlap_words=overlap_words)


def test_each_chunk_carries_the_path_of_the_headings_above_it() -> None:
    spans = chunk_document(HOUSE_RULES)
    found = [(span.heading, HOUSE_RULES[span.start : span.end]) for span in spans]
    assert found == [
        ("House rules", "# House rules\n\nBe quiet after ten in the evening."),
        ("House rules > Parking", "## Parking\nGuests park in bay 4, never on the lawn."),
        ("House rules > Pets", "## Pets ##\n\nDogs are welcome; cats stay indoors."),
        ("House rules > Pets > Feeding", "### Feeding\n\nFeed them outside."),
        ("Leaving", "# Leaving\n\nLeave the key in the box."),
    ]


def test_a_heading_line_without_a_blank_line_before_it_still_starts_a_chunk() -> None:
    text = "Opening words of the note.\n## Prices\nA coffee costs two euros."
    spans = chunk_document(text)
    assert [(s.heading, text[s.start : s.end]) for s in spans] == [
        ("", "Opening words of the note."),
        ("Prices", "## Prices\nA coffee costs two euros."),
    ]


def test_windows_of_a_long_section_all_keep_its_heading_and_plain_text_has_none() -> None:
    text = "# Guide\n\n## Setup\n\n" + sentences(12)
    spans = chunk_document(text, max_words=20, overlap_words=4)
    assert len(spans) >= 4 and {s.heading for s in spans} == {"Guide > Setup"}
    assert {s.heading for s in chunk_document(sentences(12), max_words=20, overlap_words=4)} == {""}
    assert chunk_document("#hashtag is not a heading") == [ChunkSpan(0, 25, "")]


@pytest.mark.parametrize(("max_words", "overlap_words"), [(5, 2), (7, 0), (12, 5), (30, 10), (120, 30)])
def test_chunks_never_split_a_word_and_cover_every_word(max_words: int, overlap_words: int) -> None:
    text = HOUSE_RULES + "\n" + sentences(9, words_each=7) + "\nno-break-hyphenated words-here and a URL https://x.y/z."
    spans = chunk_document(text, max_words=max_words, overlap_words=overlap_words)
    word_starts = {m.start() for m in re.finditer(r"\S+", text)}
    word_ends = {m.end() for m in re.finditer(r"\S+", text)}
    for span in spans:
        assert span.start in word_starts and span.end in word_ends, text[span.start : span.end]
        assert len(words_of(text[span.start : span.end])) <= max_words or text[span.start] == "#"
    assert {w for s in spans for w in words_of(text[s.start : s.end])} == set(words_of(text))


def test_context_text_puts_the_heading_path_before_the_text() -> None:
    assert context_text("House rules > Parking", "## Parking\nBay 4.") == "House rules > Parking\n\n## Parking\nBay 4."
    assert context_text("", "Plain text.") == "Plain text."
