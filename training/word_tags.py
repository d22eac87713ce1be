"""Words as the encoder's tokenizer splits them, and BIO tags for entities given by character offsets.

BERT's pre-tokenizer (Devlin et al. 2019; `BertPreTokenizer` with `BertNormalizer(handle_chinese_chars=True)` in
Hugging Face tokenizers) splits at whitespace and makes every punctuation mark and CJK ideograph a word of its own;
`word_spans` reproduces that on character offsets, so entities from the NER skill (whose offsets are the
tokenizer's word offsets) and user corrections become per-word BIO (IOB2, Ramshaw & Marcus 1995) tags for training.
Pure functions, no I/O.
"""

from __future__ import annotations

import unicodedata
from typing import Any

# Copy of skills.ner.ENTITY_TYPES: skills.ner imports torch, and reading feedback should not
# (tests/training/test_feedback.py checks that the copy still matches).
ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")
# BERT's BasicTokenizer makes every CJK ideograph a word of its own (`_is_chinese_char` in transformers).
_CJK_RANGES = (
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F),
    (0x2B820, 0x2CEAF),
    (0xF900, 0xFAFF),
    (0x2F800, 0x2FA1F),
)


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the words of `text` as BERT's pre-tokenizer splits them: at whitespace, and every
    punctuation mark (ASCII symbols included) and CJK ideograph is a word of its own."""
    spans: list[tuple[int, int]] = []
    start = None
    for i, char in enumerate(text):
        if char.isspace() or _is_punctuation(char) or _is_cjk(char):
            if start is not None:
                spans.append((start, i))
                start = None
            if not char.isspace():
                spans.append((i, i + 1))
        elif start is None:
            start = i
    if start is not None:
        spans.append((start, len(text)))
    return spans


def ner_bio(text: str, entities: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """The words of `text` (see `word_spans`) and their BIO tags for entities given by character offsets.

    ValueError when an entity has an unknown type, does not start and end on word boundaries, or overlaps another.
    """
    spans = word_spans(text)
    tags = ["O"] * len(spans)
    for entity in sorted(entities, key=lambda e: e["start"]):
        start, end, kind = entity["start"], entity["end"], entity["type"]
        if kind not in ENTITY_TYPES:
            raise ValueError(f"entity type {kind!r} is not one of {', '.join(ENTITY_TYPES)}")
        inside = [i for i, (s, e) in enumerate(spans) if s >= start and e <= end]
        touched = [i for i, (s, e) in enumerate(spans) if s < end and e > start]
        if not inside or inside != touched:
            raise ValueError(f"entity {text[start:end]!r} at {start}:{end} does not start and end on word boundaries")
        if any(tags[i] != "O" for i in inside):
            raise ValueError(f"entity {text[start:end]!r} at {start}:{end} overlaps another entity")
        tags[inside[0]] = f"B-{kind}"
        for i in inside[1:]:
            tags[i] = f"I-{kind}"
    return [text[s:e] for s, e in spans], tags


def _is_punctuation(char: str) -> bool:
    # BERT counts every non-alphanumeric printable ASCII character as punctuation ("$", "^", "`"), not only P*.
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_RANGES)
