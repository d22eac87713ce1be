"""Named-entity recognition (PER, ORG, LOC, MISC, as in CoNLL-2003) through the `ner` LoRA adapter.

Words are tagged with BIO labels on their first sub-token; entities keep character offsets into the user's text,
and each entity's score is the mean probability of its words' tags.

Each entity's context words are leave-one-out by deletion (ERASER's erasure, DeYoung et al. 2020): every word (in a
long text, the 32 nearest to an entity) is deleted from the text in turn, all in one batch, and a word's score is how
much the entity type's log-odds drop without it (`skills/deletion.py`, on the adapter's explanation model).
`bench/faithfulness.py` measured this as the most comprehensive of the methods it compares when words are deleted;
replacing the word by [MASK] (its capitalisation kept), used before, kept only about two thirds of that
comprehensiveness (docs/EXPLANATIONS.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import torch

from skills.base import SkillRequest, SkillResult
from skills.deletion import deletion_batch
from skills.encoder import AdapterSkill, SharedEncoder
from skills.ner.spec import ENTITY_TYPES, NER_LABELS, SPEC, TYPE_NAMES
from skills.words import word_shape

WINDOW_STRIDE = 32  # tokens shared by neighbouring windows of a long text (at most half a window)
# Leave-one-out deletes at most this many words, those nearest to an entity: its cost grows with the square of the
# length, and 32 covers whole sentences of median CoNLL length (24 words) while bounding long ones.
MAX_DELETED_WORDS = 32


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
    """Group BIO word labels into entities; an `I-` that does not continue its type opens a new entity."""
    entities: list[Entity] = []
    current: list[WordPrediction] = []

    def close() -> None:
        if current:
            start, end = current[0].start, current[-1].end
            score = sum(w.probability for w in current) / len(current)
            kind = current[0].label[2:]
            second, second_score = runner_up(kind, current) if current[0].type_probabilities else (None, None)
            entities.append(Entity(text[start:end], kind, start, end, round(score, 4), second, second_score))
        current.clear()

    for word in words:
        if word.label == "O":
            close()
        elif word.label.startswith("B-") or not current or current[-1].label[2:] != word.label[2:]:
            close()
            current.append(word)
        else:
            current.append(word)
    close()
    return entities


class NerSkill(AdapterSkill):
    spec = SPEC

    def run(self, request: SkillRequest) -> SkillResult:
        text = request.text
        words = self.predict_words(text)
        entities = decode_entities(text, words)
        confidence = min((e.score for e in entities), default=_mean_o_probability(words))
        contexts = self.context_words(text, entities)
        return SkillResult(
            text=_describe(entities),
            confidence=round(confidence, 4),
            data={"text": text, "entities": [e.to_dict() for e in entities]},
            rationale={
                "entity_scores": [
                    {
                        "text": e.text,
                        "type": e.type,
                        "score": e.score,
                        "runner_up": e.runner_up,
                        "runner_up_score": e.runner_up_score,
                        "context_words": context,
                    }
                    for e, context in zip(entities, contexts, strict=True)
                ],
                "context_method": "leave-one-out: drop in the entity type's log-odds when a word is deleted",
                "confidence_is": "the lowest entity probability"
                if entities
                else "the mean probability that each word is not part of a name",
                "words_read": len(words),
            },
        )

    def predict_words(self, text: str) -> list[WordPrediction]:
        """One BIO label per word of `text` (words as the tokenizer pre-splits them), over sliding windows."""
        info = self.bundle
        stride = min(WINDOW_STRIDE, info.max_length // 2)
        enc = self.encoder.tokenizer(
            text,
            truncation=True,
            max_length=info.max_length,
            stride=stride,
            return_overflowing_tokens=True,
            return_offsets_mapping=True,
            padding=True,
            return_tensors="pt",
        )
        with torch.inference_mode(), self.encoder.adapter(self.name) as head:
            logits = self.encoder.logits(head, enc["input_ids"], enc["attention_mask"], shape_ids(enc, text))
            probabilities = logits.softmax(-1)
        windows = enc["input_ids"].shape[0]
        assigned: dict[int, tuple[int, int]] = {}  # word -> (window, position of its first sub-token)
        for window in range(windows):
            word_ids = enc.word_ids(window)
            content_tokens = sum(w is not None for w in word_ids)
            for position, word_id in enumerate(word_ids):
                if word_id is None or word_id in assigned:
                    continue
                if window < windows - 1 and position > content_tokens - stride // 2:
                    continue  # near a window's cut: the next window sees this word with more context
                assigned[word_id] = (window, position)
        words = []
        for word_id, (window, first) in sorted(assigned.items()):
            offsets = enc["offset_mapping"][window]
            last = max(p for p, w in enumerate(enc.word_ids(window)) if w == word_id)
            probs = probabilities[window, first]
            words.append(
                WordPrediction(
                    start=int(offsets[first][0]),
                    end=int(offsets[last][1]),
                    label=NER_LABELS[int(probs.argmax())],
                    probability=float(probs.max()),
                    type_probabilities=type_probabilities(probs.tolist()),
                )
            )
        return words

    def context_words(self, text: str, entities: list[Entity]) -> list[list[dict[str, Any]]]:
        """Per entity, the (at most three) words outside it whose deletion most lowers the log-odds of its type."""
        spans, drops = self.context_occlusion(text, entities)
        return [_top_context(text, spans, entity_drops) for entity_drops in drops]

    def context_occlusion(
        self, text: str, entities: list[Entity]
    ) -> tuple[dict[int, list[int]], list[dict[int, float]]]:
        """Leave-one-out for each entity: {word: drop in the entity type's log-odds when that word is deleted}.

        Returns the words' spans ({word: [first token position, start, end]}) and, per entity, the drop of every
        word outside it — of the `MAX_DELETED_WORDS` words nearest to an entity where the text has more, which
        bounds the cost (it grows with the square of the length). One batch (`skills.deletion.deletion_batch`, word
        shapes deleted with their tokens) explains any number of entities; entities beyond the first window get no
        scores.
        `bench/faithfulness.py` ranks the words by these drops.
        """
        enc = self.encoder.tokenizer(
            text, truncation=True, max_length=self.bundle.max_length, return_offsets_mapping=True, return_tensors="pt"
        )
        word_ids = enc.word_ids(0)
        spans: dict[int, list[int]] = {}  # word -> [first position, start, end]
        for position, (word_id, (start, end)) in enumerate(
            zip(word_ids, enc["offset_mapping"][0].tolist(), strict=True)
        ):
            if word_id is not None:
                spans.setdefault(word_id, [position, start, end])[2] = end
        if not entities or not spans:
            return spans, [{} for _ in entities]
        inside = {w for w, (_, start, end) in spans.items() for e in entities if start >= e.start and end <= e.end}
        deleted = nearest_words(list(spans), inside, MAX_DELETED_WORDS)
        pad = self.encoder.tokenizer.pad_token_id
        batch = deletion_batch(enc["input_ids"][0], word_ids, deleted, pad, shape_ids(enc, text)[0])
        logits = self.encoder.explanation_logits(self.name, batch.input_ids, batch.attention_mask, batch.shape_ids)
        probabilities = logits.softmax(-1)
        return spans, [_entity_drops(entity, spans, deleted, probabilities, batch.moved) for entity in entities]


def shape_ids(encoding, text: str) -> torch.Tensor:
    """Word-shape ids for every token of every window of a tokenised raw `text` (see `skills.words.word_shape`)."""
    rows = []
    for window in range(len(encoding["input_ids"])):
        word_ids = encoding.word_ids(window)
        words = {w: text[slice(*encoding.word_to_chars(window, w))] for w in set(word_ids) if w is not None}
        rows.append([0 if w is None else word_shape(words[w]) for w in word_ids])
    return torch.tensor(rows)


def by_distance(words: list[int], entity_words: set[int]) -> list[int]:
    """`words` nearest (in words) to any of `entity_words` first; ties in text order."""
    return sorted(words, key=lambda w: (min((abs(w - e) for e in entity_words), default=0), w))


def nearest_words(words: list[int], entity_words: set[int], limit: int) -> list[int]:
    """The `limit` words nearest to any of `entity_words`, in text order; all of them when few enough."""
    return list(words) if len(words) <= limit else sorted(by_distance(words, entity_words)[:limit])


def _entity_drops(
    entity: Entity,
    spans: dict[int, list[int]],
    deleted: list[int],
    probabilities: torch.Tensor,
    moved: torch.Tensor,
) -> dict[int, float]:
    """How much deleting each word outside `entity` lowers its type's log-odds (`probabilities` row 0: the text,
    row i + 1: the text without word `deleted[i]`; `moved` maps the text's token positions into each row)."""
    inside = [w for w, (_, start, end) in spans.items() if start >= entity.start and end <= entity.end]
    if not inside:
        return {}
    columns = [NER_LABELS.index(f"B-{entity.type}"), NER_LABELS.index(f"I-{entity.type}")]
    positions = moved[:, [spans[w][0] for w in inside]]  # [rows, words of the entity]
    at_entity = probabilities.gather(1, positions.unsqueeze(-1).expand(-1, -1, probabilities.shape[-1]))
    p = at_entity[..., columns].sum(-1).mean(-1).clamp(1e-6, 1 - 1e-6)
    log_odds = p.log() - (-p).log1p()
    return {w: float(log_odds[0] - log_odds[row]) for row, w in enumerate(deleted, start=1) if w not in inside}


def _top_context(text: str, spans: dict[int, list[int]], drops: dict[int, float], top: int = 3) -> list[dict[str, Any]]:
    """The `top` words whose deletion lowers the entity's log-odds most (only those that lower it at all)."""
    ranked = sorted(drops, key=lambda w: -drops[w])[:top]
    return [
        {
            "token": text[spans[w][1] : spans[w][2]],
            "start": spans[w][1],
            "end": spans[w][2],
            "score": round(drops[w], 4),
        }
        for w in ranked
        if drops[w] > 0
    ]


def _mean_o_probability(words: list[WordPrediction]) -> float:
    return sum(w.probability for w in words) / len(words) if words else 1.0


def _describe(entities: list[Entity]) -> str:
    if not entities:
        return "I found no names of people, organisations, places or other named things in this text."
    lines = [f"- **{e.text}** · {e.type} ({TYPE_NAMES[e.type]}), {e.score:.0%}" for e in entities]
    return f"I found {len(entities)} named entit{'y' if len(entities) == 1 else 'ies'}:\n" + "\n".join(lines)


def build(encoder: SharedEncoder) -> NerSkill:
    return NerSkill(encoder)
