"""Words as the encoder's tokenizer splits them, and benchmark tokens joined back for reading.

BERT's pre-tokenizer (Devlin et al. 2019; `BertPreTokenizer` with `BertNormalizer(handle_chinese_chars=True)` in
Hugging Face tokenizers) splits at whitespace and makes every punctuation mark and CJK ideograph a word of its own;
`word_spans` reproduces that on character offsets, so entities from the NER skill (whose offsets are the
tokenizer's word offsets) and user corrections line up with the words a model reads. Word shapes give an uncased
encoder capitalisation back (NER's learned shape embedding). Pure functions, no I/O.
"""

from __future__ import annotations

import re
import unicodedata

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


# Benchmark text comes tokenized ("it 's", "Paris ."); rejoin the pieces a reader expects together.
_NO_SPACE_BEFORE = re.compile(r" (?=[.,;:!?%)\]}]|'s\b|'re\b|'ve\b|'ll\b|'d\b|'m\b|n't\b)")
_NO_SPACE_AFTER = re.compile(r"(?<=[(\[{$]) ")


def detokenize(tokens: list[str]) -> str:
    """Tokens joined for reading: no space before closing punctuation and clitics, none after opening brackets."""
    return _NO_SPACE_AFTER.sub("", _NO_SPACE_BEFORE.sub("", " ".join(tokens)))


def _is_punctuation(char: str) -> bool:
    # BERT counts every non-alphanumeric printable ASCII character as punctuation ("$", "^", "`"), not only P*.
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_RANGES)


WORD_SHAPES = ("special", "lower", "Capitalised", "UPPER", "miXed", "digits", "other")


def word_shape(word: str) -> int:
    """The index in WORD_SHAPES of a word's surface form."""
    letters = [ch for ch in word if ch.isalpha()]
    if not word:
        return 0
    if not letters:
        return WORD_SHAPES.index("digits") if any(ch.isdigit() for ch in word) else WORD_SHAPES.index("other")
    if all(ch.islower() for ch in letters):
        return WORD_SHAPES.index("lower")
    if all(ch.isupper() for ch in letters):
        return WORD_SHAPES.index("UPPER") if len(letters) > 1 else WORD_SHAPES.index("Capitalised")
    if letters[0].isupper() and all(ch.islower() for ch in letters[1:]):
        return WORD_SHAPES.index("Capitalised")
    return WORD_SHAPES.index("miXed")


def token_shapes(word_ids: list[int | None], words: list[str]) -> list[int]:
    """Every sub-token carries the shape of its whole word; special and padding tokens get shape 0."""
    return [0 if word_id is None else word_shape(words[word_id]) for word_id in word_ids]
