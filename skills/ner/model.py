"""Named-entity recognition (PER, ORG, LOC, MISC, as in CoNLL-2003) through the `ner` LoRA adapter.

Words (split as the CoNLL-2003 training data is tokenized) are tagged with BIO labels on their first sub-token;
entities keep character offsets into the user's text, and each entity's score is the mean probability of its
words' tags. Raw text to entities is `skills/ner/decode.py`, the path the benchmark scores too.

Each entity's context words are leave-one-out by deletion (ERASER's erasure, DeYoung et al. 2020): every word (in a
long text, the 32 nearest to an entity) is deleted from the text in turn, all in one batch, and a word's score is how
much the entity type's log-odds drop without it (`skills/deletion.py`, on the adapter's explanation model).
`bench/faithfulness.py` measured this as the most comprehensive of the methods it compares when words are deleted;
replacing the word by [MASK] (its capitalisation kept), used before, kept only about two thirds of that
comprehensiveness (docs/EXPLANATIONS.md).
"""

from __future__ import annotations

from typing import Any

import torch

from skills.base import SkillRequest, SkillResult
from skills.deletion import deletion_batch
from skills.encoder import AdapterSkill, SharedEncoder
from skills.ner.decode import Entity, WordPrediction, decode_entities, encode_words, predict_words
from skills.ner.spec import NER_LABELS, SPEC, TYPE_NAMES

# Leave-one-out deletes at most this many words, those nearest to an entity: its cost grows with the square of the
# length, and 32 covers whole sentences of median CoNLL length (24 words) while bounding long ones.
MAX_DELETED_WORDS = 32


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
        """One BIO label per word of `text`, over sliding windows (`skills.ner.decode.predict_words`)."""

        def logits(input_ids, attention_mask, token_type_ids, shape_ids):
            with self.encoder.adapter(self.name) as head:
                return self.encoder.logits(head, input_ids, attention_mask, shape_ids)

        return predict_words(text, self.encoder.tokenizer, logits, self.bundle.max_length)

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
        encoded = encode_words(text, self.encoder.tokenizer, self.bundle.max_length, windows=False)
        word_ids = encoded.word_ids(0)
        spans: dict[int, list[int]] = {}  # word -> [first position, start, end]
        for position, word_id in enumerate(word_ids):
            if word_id is not None and word_id not in spans:
                spans[word_id] = [position, *encoded.spans[word_id]]
        if not entities or not spans:
            return spans, [{} for _ in entities]
        inside = {w for w, (_, start, end) in spans.items() for e in entities if start >= e.start and end <= e.end}
        deleted = nearest_words(list(spans), inside, MAX_DELETED_WORDS)
        pad = self.encoder.tokenizer.pad_token_id
        batch = deletion_batch(encoded.encoding["input_ids"][0], word_ids, deleted, pad, encoded.shape_ids[0])
        logits = self.encoder.explanation_logits(self.name, batch.input_ids, batch.attention_mask, batch.shape_ids)
        probabilities = logits.softmax(-1)
        return spans, [_entity_drops(entity, spans, deleted, probabilities, batch.moved) for entity in entities]


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
