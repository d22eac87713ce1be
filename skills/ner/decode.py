"""From raw text to entities with character offsets: the one path the app and the benchmark share.

The text is split into words as the CoNLL-2003 training data is tokenized (`skills.words.word_spans`), the words go
to the encoder pre-split (each word's sub-tokens map back to it), the head labels each word's first sub-token, and
BIO labels are grouped into entities (an `I-` that does not continue an entity of its type opens one: BIO repair).
A long text is read in overlapping windows; a word near a window's cut takes its label from the next window, which
sees it with more context. `skills/ner/model.py` answers with this; `skills/ner/evaluate.py` scores the same spans.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import torch

from skills.base import LogitsFn
from skills.ner.spec import ENTITY_TYPES, NER_LABELS
from skills.words import word_shapes, word_spans

WINDOW_STRIDE = 32  # tokens shared by neighbouring windows of a long text (at most half a window)
# Titles are never part of a name (CoNLL-2003 tags them O), nor is punctuation: trimmed off an entity's edges.
# The longer list only with its period ("Gen." but not "Gen Z").
_TITLES = frozenset(["mr", "mrs", "ms", "mx", "dr", "prof"])
_TITLES_WITH_PERIOD = _TITLES | frozenset(
    ["pres", "gen", "sen", "rep", "gov", "capt", "col", "lt", "sgt", "rev", "hon"]
)


@dataclass
class Entity:
    text: str
    type: str
    start: int  # character offsets into the analysed text, end exclusive
    end: int
    score: float
    runner_up: str | None = None  # the next most probable type, or "O" (not a name)
    runner_up_score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class WordPrediction:
    start: int
    end: int
    label: str
    probability: float
    type_probabilities: tuple[float, ...] = ()  # P(O), then P(B-T) + P(I-T) for each of ENTITY_TYPES


@dataclass
class WordEncoding:
    """A text's words and their tokens, in windows (rows); `word_ids(row)` maps tokens to words."""

    spans: list[tuple[int, int]]
    encoding: Any  # the tokenizer's BatchEncoding of the words, pre-split
    shape_ids: torch.Tensor

    def word_ids(self, row: int) -> list[int | None]:
        return self.encoding.word_ids(row)


def encode_words(text: str, tokenizer, max_length: int, windows: bool = True) -> WordEncoding:
    """Tokenize `text`'s words (all of them in overlapping windows, or only the first window)."""
    spans = word_spans(text) or [(0, 0)]
    words = [text[start:end] for start, end in spans]
    options = {"stride": min(WINDOW_STRIDE, max_length // 2), "return_overflowing_tokens": True} if windows else {}
    encoding = tokenizer(
        words,
        is_split_into_words=True,
        truncation=True,
        max_length=max_length,
        padding=True,
        return_tensors="pt",
        **options,
    )
    shapes = word_shapes(words)
    rows = [
        [0 if w is None else shapes[w] for w in encoding.word_ids(row)] for row in range(len(encoding["input_ids"]))
    ]
    return WordEncoding(spans, encoding, torch.tensor(rows))


def predict_words(text: str, tokenizer, logits_fn: LogitsFn, max_length: int) -> list[WordPrediction]:
    """One BIO label per word of `text`, over sliding windows."""
    if not text.strip():
        return []
    encoded = encode_words(text, tokenizer, max_length)
    enc = encoded.encoding
    with torch.inference_mode():
        logits = logits_fn(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"], encoded.shape_ids)
        probabilities = logits.float().softmax(-1)
    return _word_labels(encoded, probabilities, min(WINDOW_STRIDE, max_length // 2))


def _word_labels(encoded: WordEncoding, probabilities: torch.Tensor, stride: int) -> list[WordPrediction]:
    windows = probabilities.shape[0]
    assigned: dict[int, tuple[int, int, int]] = {}  # word -> (window, first and last position of its tokens)
    for window in range(windows):
        word_ids = encoded.word_ids(window)
        content_tokens = sum(w is not None for w in word_ids)
        for position, word_id in enumerate(word_ids):
            if word_id is None:
                continue
            if word_id in assigned and assigned[word_id][0] == window:
                assigned[word_id] = (window, assigned[word_id][1], position)
            elif word_id not in assigned and (window == windows - 1 or position <= content_tokens - stride // 2):
                assigned[word_id] = (window, position, position)  # near a cut: the next window sees more context
    words = []
    for word_id, (window, first, _) in sorted(assigned.items()):
        probs = probabilities[window, first]
        start, end = encoded.spans[word_id]
        words.append(
            WordPrediction(
                start=start,
                end=end,
                label=NER_LABELS[int(probs.argmax())],
                probability=float(probs.max()),
                type_probabilities=type_probabilities(probs.tolist()),
            )
        )
    return words


def type_probabilities(label_probabilities: list[float]) -> tuple[float, ...]:
    """Collapse the BIO label distribution (NER_LABELS order) into O and one probability per entity type."""
    by_label = dict(zip(NER_LABELS, label_probabilities, strict=True))
    return (by_label["O"], *(by_label[f"B-{t}"] + by_label[f"I-{t}"] for t in ENTITY_TYPES))


def runner_up(entity_type: str, words: list[WordPrediction]) -> tuple[str, float]:
    """The most probable reading of these words other than `entity_type` ("O" means: not a name)."""
    names = ("O", *ENTITY_TYPES)
    means = [sum(w.type_probabilities[i] for w in words) / len(words) for i in range(len(names))]
    best = max((i for i, name in enumerate(names) if name != entity_type), key=lambda i: means[i])
    return names[best], round(means[best], 4)


def decode_entities(text: str, words: list[WordPrediction]) -> list[Entity]:
    """Group BIO word labels into entities; an `I-` that does not continue its type opens a new entity. Titles and
    punctuation at an entity's edges are left out (an entity of only those is dropped)."""
    groups: list[list[WordPrediction]] = []
    for word in words:
        if word.label == "O":
            groups.append([])
        elif word.label.startswith("B-") or not groups or not groups[-1] or groups[-1][-1].label[2:] != word.label[2:]:
            groups.append([word])
        else:
            groups[-1].append(word)
    entities = []
    for group in groups:
        trimmed = _trim(text, group)
        if trimmed:
            entities.append(_entity(text, trimmed, kind=group[0].label[2:]))
    return entities


def _trim(text: str, group: list[WordPrediction]) -> list[WordPrediction]:
    def never_a_name(word: WordPrediction) -> bool:
        surface = text[word.start : word.end]
        if not any(ch.isalnum() for ch in surface):
            return True
        titles = _TITLES_WITH_PERIOD if surface.endswith(".") else _TITLES
        return surface.rstrip(".").lower() in titles

    first = next((i for i, w in enumerate(group) if not never_a_name(w)), len(group))
    last = next((i for i in range(len(group) - 1, -1, -1) if not never_a_name(group[i])), -1)
    return group[first : last + 1]


def _entity(text: str, words: list[WordPrediction], kind: str) -> Entity:
    start, end = words[0].start, words[-1].end
    score = sum(w.probability for w in words) / len(words)
    second, second_score = runner_up(kind, words) if words[0].type_probabilities else (None, None)
    return Entity(text[start:end], kind, start, end, round(score, 4), second, second_score)
