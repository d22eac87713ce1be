"""NER metrics: entity-level micro F1 with seqeval, strict IOB2 (CoNLL's IOB1 converted on reading), and its table:
precision, recall, F1 and support per entity type and the micro average."""

from __future__ import annotations

from typing import Any

import torch
from tqdm import tqdm

from skills.base import LogitsFn, batches
from skills.markup import number, table_rows
from skills.ner.data import TaggedSentence
from skills.ner.spec import ENTITY_TYPES, NER_LABELS
from skills.words import token_shapes


def ner_scores(gold: list[list[str]], predicted: list[list[str]]) -> dict:
    from seqeval.metrics import classification_report, f1_score
    from seqeval.scheme import IOB2

    report = classification_report(gold, predicted, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    per_type = {
        kind: {k: round(100 * v, 2) if k != "support" else int(v) for k, v in row.items()}
        for kind, row in report.items()
        if kind in ENTITY_TYPES
    }
    micro = report.get("micro avg", {})
    f1 = f1_score(gold, predicted, mode="strict", scheme=IOB2)
    return {
        "f1": round(100 * f1, 2),
        "precision": round(100 * float(micro.get("precision", 0.0)), 2),
        "recall": round(100 * float(micro.get("recall", 0.0)), 2),
        "per_type": per_type,
        "n": len(gold),
    }


@torch.inference_mode()
def evaluate(logits_fn: LogitsFn, tokenizer, sentences: list[TaggedSentence], max_length: int) -> dict:
    predicted = []
    for batch in tqdm(list(batches(sentences, 64)), desc="ner eval", leave=False):
        enc = tokenizer(
            [s.tokens for s in batch],
            is_split_into_words=True,
            truncation=True,
            max_length=max_length,
            padding=True,
            return_tensors="pt",
        )
        shapes = torch.tensor([token_shapes(enc.word_ids(row), s.tokens) for row, s in enumerate(batch)])
        labels = logits_fn(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"], shapes).argmax(-1)
        for row, sentence in enumerate(batch):
            tags = ["O"] * len(sentence.tokens)
            previous = None
            for position, word_id in enumerate(enc.word_ids(row)):
                if word_id is not None and word_id != previous:
                    tags[word_id] = NER_LABELS[int(labels[row, position])]
                previous = word_id
            predicted.append(tags)
    return ner_scores([s.tags for s in sentences], predicted)


def table(metrics: dict[str, Any]) -> list[str]:
    per_type = metrics.get("per_type", {})
    kinds = [k for k in ENTITY_TYPES if k in per_type] + sorted(set(per_type) - set(ENTITY_TYPES))
    rows = [
        [kind, *(number(per_type[kind].get(k)) for k in ("precision", "recall", "f1-score", "support"))]
        for kind in kinds
    ]
    support = sum(int(row.get("support", 0)) for row in per_type.values())
    micro = [number(metrics.get(k)) for k in ("precision", "recall", "f1")]
    rows.append(["**micro**", *micro, number(support)])
    return table_rows(["type", "precision", "recall", "F1", "support"], rows)
