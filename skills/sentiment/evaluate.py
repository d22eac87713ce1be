"""Sentiment metrics: accuracy and macro F1 with the confusion matrix (rows gold, columns predicted)."""

from __future__ import annotations

from typing import Any

import torch
from tqdm import tqdm

from skills.base import LogitsFn, batches
from skills.markup import number, table_rows
from skills.sentiment.data import LabeledText
from skills.sentiment.spec import LABELS


def sentiment_scores(gold: list[int], predicted: list[int]) -> dict:
    confusion = [[0, 0], [0, 0]]
    for g, p in zip(gold, predicted, strict=True):
        confusion[g][p] += 1
    f1s = []
    for label in (0, 1):
        tp = confusion[label][label]
        precision = tp / max(1, confusion[0][label] + confusion[1][label])
        recall = tp / max(1, sum(confusion[label]))
        f1s.append(0.0 if tp == 0 else 2 * precision * recall / (precision + recall))
    accuracy = (confusion[0][0] + confusion[1][1]) / len(gold)
    return {
        "accuracy": round(100 * accuracy, 2),
        "macro_f1": round(100 * sum(f1s) / 2, 2),
        "confusion": confusion,
        "n": len(gold),
    }


@torch.inference_mode()
def evaluate(logits_fn: LogitsFn, tokenizer, texts: list[LabeledText], max_length: int) -> dict:
    predicted = []
    for batch in tqdm(list(batches(texts, 128)), desc="sentiment eval", leave=False):
        enc = tokenizer(
            [t.text for t in batch], truncation=True, max_length=max_length, padding=True, return_tensors="pt"
        )
        logits = logits_fn(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"], None)
        predicted += logits.argmax(-1).tolist()
    return sentiment_scores([t.label for t in texts], predicted)


def table(metrics: dict[str, Any]) -> list[str]:
    summary = [
        ["accuracy", number(metrics["accuracy"])],
        ["macro-F1", number(metrics["macro_f1"])],
        ["n", number(metrics.get("n"))],
    ]
    confusion = zip(LABELS, metrics["confusion"], strict=True)
    matrix = [[f"**{label}**", *(number(count) for count in row)] for label, row in confusion]
    return [*table_rows(["metric", "value"], summary), "", *table_rows(["gold \\ predicted", *LABELS], matrix)]
