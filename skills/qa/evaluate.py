"""QA metrics: exact match and F1 with the official SQuAD v1.1 normalisation, each prediction scored against every
reference answer, and their table."""

from __future__ import annotations

import collections
import re
import string
from typing import Any

import torch
from tqdm import tqdm

from skills.base import LogitsFn
from skills.markup import number, table_rows
from skills.qa.data import QAExample, encode_windows
from skills.qa.model import spans_from_logits


def normalize_answer(text: str) -> str:
    """SQuAD v1.1's normalisation: lower case, no punctuation, no articles, single spaces."""
    text = "".join(ch for ch in text.lower() if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def squad_f1(prediction: str, truth: str) -> float:
    predicted, gold = normalize_answer(prediction).split(), normalize_answer(truth).split()
    common = collections.Counter(predicted) & collections.Counter(gold)
    overlap = sum(common.values())
    if overlap == 0:
        return 0.0
    precision, recall = overlap / len(predicted), overlap / len(gold)
    return 2 * precision * recall / (precision + recall)


def squad_scores(predictions: dict[str, str], examples: list[QAExample]) -> dict[str, float]:
    exact = f1 = 0.0
    for example in examples:
        prediction = predictions[example.id]
        exact += max(float(normalize_answer(prediction) == normalize_answer(a)) for a in example.answers)
        f1 += max(squad_f1(prediction, a) for a in example.answers)
    n = len(examples)
    return {"exact_match": round(100 * exact / n, 2), "f1": round(100 * f1 / n, 2), "n": n}


@torch.inference_mode()
def evaluate(logits_fn: LogitsFn, tokenizer, examples: list[QAExample], max_length: int) -> dict:
    predictions = {}
    for example in tqdm(examples, desc="qa eval", leave=False):
        enc = encode_windows(
            tokenizer, example.question, example.context, max_length, padding=True, return_tensors="pt"
        )
        logits = logits_fn(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"], None)
        spans = spans_from_logits(enc, logits, example.context, top_k=1)
        predictions[example.id] = example.context[spans[0].start : spans[0].end] if spans else ""
    return squad_scores(predictions, examples)


def table(metrics: dict[str, Any]) -> list[str]:
    rows = [
        ["exact match", number(metrics["exact_match"])],
        ["F1", number(metrics["f1"])],
        ["n", number(metrics.get("n"))],
    ]
    return table_rows(["metric", "value"], rows)
