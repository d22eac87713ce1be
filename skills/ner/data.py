"""NER data: CoNLL-2003 columns (IOB1 tags, Tjong Kim Sang & De Meulder 2003) as BIO-tagged sentences, the
model features (a label per word's first sub-token) and the records of the "similar examples" index.

Every training sentence whose capitals say something is used twice: as written and lowercased (Mayhew et al. 2019,
"ner and pos when nothing is capitalized": training on cased plus lowercased copies keeps most of the cased score
and recovers most of the loss on lowercase text). The lowercased copy reads the "uncased" word shape
(`skills.words.word_shapes`), as a lowercase message does in the app.

Pure functions, no I/O but `read_file`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skills.features import with_weights
from skills.ner.spec import ENTITY_TYPES, NER_LABELS
from skills.words import detokenize, token_shapes, word_shapes, word_spans


@dataclass(frozen=True)
class TaggedSentence:
    tokens: list[str]
    tags: list[str]  # BIO (IOB2)
    weights: list[float] | None = None  # a loss weight per word (a partly corrected answer); None: all alike


def iob1_to_bio(tags: list[str]) -> list[str]:
    """CoNLL-2003's IOB1 (I- opens an entity unless it continues one of the same type) to BIO/IOB2."""
    bio: list[str] = []
    previous = "O"
    for tag in tags:
        if tag.startswith("I-") and (previous == "O" or previous[2:] != tag[2:]):
            bio.append("B-" + tag[2:])
        else:
            bio.append(tag)
        previous = tag
    return bio


def parse_conll(lines: list[str], tag_column: int = -1, iob1: bool = True) -> list[TaggedSentence]:
    """Sentences from CoNLL column lines; `-DOCSTART-` lines and blank (or whitespace-only) lines separate."""
    sentences: list[TaggedSentence] = []
    tokens: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if tokens:
            sentences.append(TaggedSentence(list(tokens), iob1_to_bio(tags) if iob1 else list(tags)))
        tokens.clear()
        tags.clear()

    for line in lines:
        columns = line.split()
        if not columns or columns[0] == "-DOCSTART-":
            flush()
            continue
        tokens.append(columns[0])
        tags.append(columns[tag_column])
    flush()
    return sentences


def read_conll(path: Path) -> list[TaggedSentence]:
    return parse_conll(Path(path).read_text(encoding="utf-8").splitlines())


read_file = read_conll


def from_hub_rows(rows, features) -> list[TaggedSentence]:
    """The hub's rows: `tokens`, and `ner_tags` as class ids into the tag names of the table's `features` (BIO)."""
    tag_names = features["ner_tags"].feature.names
    return [TaggedSentence(list(r["tokens"]), [tag_names[t] for t in r["ner_tags"]]) for r in rows]


def align_word_labels(word_ids: list[int | None], word_tags: list[str], ignore: int = -100) -> list[int]:
    """Label each word's first sub-token with its tag id; other sub-tokens and specials get `ignore`."""
    label_ids = []
    previous = None
    for word_id in word_ids:
        if word_id is None or word_id == previous:
            label_ids.append(ignore)
        else:
            label_ids.append(NER_LABELS.index(word_tags[word_id]))
        previous = word_id
    return label_ids


def with_lowercased(sentence: TaggedSentence) -> list[TaggedSentence]:
    """The sentence, and its lowercased copy where lowercasing changes what the model reads (its word shapes)."""
    lowered = TaggedSentence([token.lower() for token in sentence.tokens], sentence.tags, sentence.weights)
    return [sentence, lowered] if word_shapes(sentence.tokens) != word_shapes(lowered.tokens) else [sentence]


def features(
    sentences: list[TaggedSentence], tokenizer, max_length: int, weights: list[float] | None = None
) -> list[dict]:
    """One feature per sentence and one per lowercased copy (`with_lowercased`), both with the sentence's weight;
    a sentence with word weights gives each labelled sub-token its word's weight (`token_weights`)."""
    rows, per_sentence = [], []
    for sentence in sentences:
        copies = with_lowercased(sentence)
        per_sentence.append(len(copies))
        for copy in copies:
            enc = tokenizer(copy.tokens, is_split_into_words=True, truncation=True, max_length=max_length)
            row = {
                **{k: enc[k] for k in ("input_ids", "token_type_ids")},
                "shape_ids": token_shapes(enc.word_ids(), copy.tokens),
                "labels": align_word_labels(enc.word_ids(), copy.tags),
            }
            if copy.weights is not None:
                row["token_weights"] = [0.0 if w is None else copy.weights[w] for w in enc.word_ids()]
            rows.append(row)
    return with_weights(rows, per_sentence, weights)


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


def bio_entities(tokens: list[str], tags: list[str]) -> list[dict[str, str]]:
    """The entities [{"text", "type"}] that BIO (IOB2) tags mark; an I- tag without its B- starts an entity."""
    entities: list[dict[str, str]] = []
    words: list[str] = []
    kind = None
    for token, tag in [*zip(tokens, tags, strict=True), ("", "O")]:
        if words and not (tag.startswith("I-") and tag[2:] == kind):
            entities.append({"text": detokenize(words), "type": kind})
            words, kind = [], None
        if tag != "O" and not words:
            words, kind = [token], tag[2:]
        elif tag != "O":
            words.append(token)
    return entities


def provenance(example: TaggedSentence) -> set[tuple[str, str]]:
    """A sentence is its own provenance: extra training sentences (`skills/ner/generate.py`) must not repeat a
    selection or report sentence."""
    return {("sentence", " ".join(example.tokens).lower())}


def example_record(example: TaggedSentence) -> dict[str, Any]:
    """The sentence as a reader sees it and its gold entities [{"text", "type"}], for the example index."""
    return {"text": detokenize(example.tokens), "label": bio_entities(example.tokens, example.tags)}
