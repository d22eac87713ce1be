"""Words as the NER training data tokenizes them, their shapes, and benchmark tokens joined back for reading.

`word_spans` splits raw text the way CoNLL-2003's Penn-Treebank-style tokens are split (Tjong Kim Sang & De Meulder
2003; Marcus et al. 1993): hyphenated words ("Jean-Luc", "co-founder", "3-1") and abbreviations with their periods
("U.S.", "a.m.", "Dr.") stay whole, a clitic ("'s", "n't") is a word of its own, and every other punctuation mark,
symbol or emoji is a word. The NER skill reads these words (one BIO label per word, on its first sub-token), so
the app sees a sentence as the training data does; entities and user corrections are character spans on them.

Word shapes give the uncased encoder capitalisation back (NER's learned shape embedding), but only where the
text's casing says something: an all-lowercase or all-capitals message, or one whose only capitals open a
sentence, gets the shape "uncased" on every word, a known state rather than a wrong signal ("tim" written
lowercase in a lowercase message is not evidence that it is not a name). Pure functions, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

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

# Abbreviations that keep their period, as in the CoNLL-2003 tokens ("Mr.", "Inc.", "vs.", "Calif.").
_ABBREVIATIONS = (
    "mr|mrs|ms|mx|dr|prof|st|jr|sr|inc|corp|ltd|co|bros|vs|etc|approx|dept|gen|sen|rep|gov|lt|col|capt|sgt|mt|ft|"
    "rev|hon|pres|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|calif|mass|fla|ariz|wash"
)
_WORD = re.compile(
    r"(?:[^\W\d_]\.){2,}(?:-[^\W_]+)*"  # letters with periods: U.S., a.m., U.S.-led
    rf"|(?i:\b(?:{_ABBREVIATIONS})\.)(?!\w)"
    r"|[A-Z]\.(?=\s+[A-Z])"  # an initial: "J. Smith"
    r"|\d+(?:[.,:/]\d+)+(?:-[^\W_]+)*"  # 3,000  1.5  10:30  1/2
    r"|[^\W_]+(?:[-'’][^\W_]+)*"  # words, hyphenated or with an apostrophe inside: Jean-Luc, O'Brien
    r"|\.{2,}|-{2,}"
    r"|\S",  # any other character is a word of its own
)
_CLITIC = re.compile(r"(?i)(?:n['’]t|['’](?:s|re|ve|ll|d|m))$")


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the words of `text`, split like the CoNLL-2003 tokens (module docstring)."""
    spans: list[tuple[int, int]] = []
    for match in _WORD.finditer(text):
        start, end = match.span()
        clitic = _CLITIC.search(match.group())
        if clitic and clitic.start() > 0:
            spans += [(start, start + clitic.start()), (start + clitic.start(), end)]
        else:
            spans.append((start, end))
    return [piece for span in spans for piece in _split_cjk(text, span)]


def _split_cjk(text: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    """The span, with every CJK ideograph in it a word of its own."""
    start, end = span
    if not any(_is_cjk(ch) for ch in text[start:end]):
        return [span]
    pieces, current = [], start
    for i in range(start, end):
        if _is_cjk(text[i]):
            if current < i:
                pieces.append((current, i))
            pieces.append((i, i + 1))
            current = i + 1
    if current < end:
        pieces.append((current, end))
    return pieces


def text_words(text: str) -> list[str]:
    return [text[start:end] for start, end in word_spans(text)]


# Benchmark text comes tokenized ("it 's", "Paris ."); a reader expects these tokens joined to what precedes them.
_CLOSING = re.compile(r"^(?:[.,;:!?%)\]}]+|'s|'re|'ve|'ll|'d|'m|n't)$", re.IGNORECASE)
_OPENING = re.compile(r"^[(\[{$]$")


def detokenize_spans(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Tokens joined for reading, and each token's character span in the result: no space before closing
    punctuation and clitics, none after opening brackets."""
    text, spans = "", []
    for i, token in enumerate(tokens):
        if i and not _CLOSING.match(token) and not _OPENING.match(tokens[i - 1]):
            text += " "
        spans.append((len(text), len(text) + len(token)))
        text += token
    return text, spans


def detokenize(tokens: list[str]) -> str:
    return detokenize_spans(tokens)[0]


def _is_punctuation(char: str) -> bool:
    # BERT counts every non-alphanumeric printable ASCII character as punctuation ("$", "^", "`"), not only P*.
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_RANGES)


WORD_SHAPES = ("special", "lower", "Capitalised", "UPPER", "miXed", "digits", "other", "uncased")
_CASED_SHAPES = frozenset(WORD_SHAPES.index(name) for name in ("lower", "Capitalised", "UPPER", "miXed"))
_SENTENCE_END = frozenset(".!?…") | {"..."}


def word_shape(word: str) -> int:
    """The index in WORD_SHAPES of a word's surface form (never "uncased": that is a property of a text)."""
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


def casing_is_informative(words: list[str]) -> bool:
    """Whether the capitals of these words say anything: the text has lowercase letters, some word that does not
    open a sentence (and is not "I") starts with a capital. "just saw tim cook" and "Just saw tim cook" say
    nothing; "just saw Tim Cook" does. Title case stays informative: in CoNLL's lists of names and results tables
    every capital is a real one."""
    if not any(ch.islower() for word in words for ch in word):
        return False
    opens_sentence = True
    for word in words:
        if not any(ch.isalnum() for ch in word):
            opens_sentence = opens_sentence or word in _SENTENCE_END
            continue
        if word[0].isupper() and not opens_sentence and word != "I":
            return True
        opens_sentence = False
    return False


def word_shapes(words: list[str]) -> list[int]:
    """Each word's shape; letters' shapes are "uncased" when the text's casing says nothing."""
    shapes = [word_shape(word) for word in words]
    if casing_is_informative(words):
        return shapes
    uncased = WORD_SHAPES.index("uncased")
    return [uncased if shape in _CASED_SHAPES else shape for shape in shapes]


def token_shapes(word_ids: list[int | None], words: list[str]) -> list[int]:
    """Every sub-token carries the shape of its whole word (`word_shapes`); special and padding tokens get 0."""
    shapes = word_shapes(words)
    return [0 if word_id is None else shapes[word_id] for word_id in word_ids]


def edit_distance(reference: Sequence, hypothesis: Sequence) -> int:
    """Levenshtein distance (substitutions, insertions, deletions of one item each)."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        current = [i]
        for j, hyp in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != hyp)))
        previous = current
    return previous[-1]
