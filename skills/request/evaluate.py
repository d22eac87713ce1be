"""Request-model metrics: intent and skill accuracy, exact match of each span (text, passage, question) and the
share of requests read wholly right ("exact": intent and every one of those spans), with its table."""

from __future__ import annotations

from typing import Any

import torch
from tqdm import tqdm

from skills.base import LogitsFn, batches
from skills.markup import number, table_rows
from skills.request.data import decode, encode
from skills.request.generate import Request
from skills.request.spec import intent, split_intent

SCORED_SPANS = ("TEXT", "PASSAGE", "QUESTION")


def read_all(logits_fn: LogitsFn, tokenizer, requests: list[Request], max_length: int) -> list[tuple]:
    """(intent, intent scores, spans) for every request, in batches."""
    read = []
    for batch in tqdm(list(batches(requests, 32)), desc="request eval", leave=False):
        enc = encode(tokenizer, batch, max_length, padding=True, return_tensors="pt")
        with torch.inference_mode():
            logits = logits_fn(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"], None)
        for row in range(len(batch)):
            offsets = [tuple(o) for o in enc["offset_mapping"][row].tolist()]
            read.append(decode(logits[row].tolist(), offsets, enc.sequence_ids(row), enc.word_ids(row)))
    return read


def scores(requests: list[Request], read: list[tuple]) -> dict[str, Any]:
    right_intent = right_skill = exact = 0
    span_total = dict.fromkeys(SCORED_SPANS, 0)
    span_right = dict.fromkeys(SCORED_SPANS, 0)
    for request, (label, _, spans) in zip(requests, read, strict=True):
        gold = intent(request.skill, request.kind)
        right_intent += label == gold
        right_skill += split_intent(label)[0] == request.skill
        all_spans = True
        for name in SCORED_SPANS:
            wanted = request.span_text(name)
            found = spans.get(name)
            got = request.message[found[0] : found[1]] if found else None
            if wanted is not None:
                span_total[name] += 1
                span_right[name] += got == wanted
            all_spans = all_spans and got == wanted
        exact += label == gold and all_spans
    n = len(requests)
    counted = sum(span_total.values())
    return {
        "exact": round(100 * exact / n, 2),
        "intent_accuracy": round(100 * right_intent / n, 2),
        "skill_accuracy": round(100 * right_skill / n, 2),
        "span_exact_match": round(100 * sum(span_right.values()) / counted, 2) if counted else None,
        "span_exact_match_by_label": {k: round(100 * span_right[k] / v, 2) for k, v in span_total.items() if v},
        "n": n,
    }


def evaluate(logits_fn: LogitsFn, tokenizer, requests: list[Request], max_length: int) -> dict:
    return scores(requests, read_all(logits_fn, tokenizer, requests, max_length))


def table(metrics: dict[str, Any]) -> list[str]:
    rows = [
        ["read wholly right (exact)", number(metrics["exact"])],
        ["intent accuracy", number(metrics["intent_accuracy"])],
        ["skill accuracy", number(metrics["skill_accuracy"])],
        ["span exact match", number(metrics["span_exact_match"])],
        *[[f"span exact match, {k.lower()}", number(v)] for k, v in metrics["span_exact_match_by_label"].items()],
        ["n", number(metrics["n"])],
    ]
    return table_rows(["metric", "value"], rows)
