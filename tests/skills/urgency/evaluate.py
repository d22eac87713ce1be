"""Urgency accuracy, and its table."""

from __future__ import annotations

from typing import Any

import torch

from skills.base import LogitsFn
from skills.markup import number, table_rows
from tests.skills.urgency.data import Message


@torch.inference_mode()
def evaluate(logits_fn: LogitsFn, tokenizer, examples: list[Message], max_length: int) -> dict:
    enc = tokenizer(
        [m.text for m in examples], truncation=True, max_length=max_length, padding=True, return_tensors="pt"
    )
    predicted = logits_fn(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"], None).argmax(-1).tolist()
    right = sum(int(p == m.label) for p, m in zip(predicted, examples, strict=True))
    return {"accuracy": round(100 * right / len(examples), 2), "n": len(examples)}


def table(metrics: dict[str, Any]) -> list[str]:
    return table_rows(["metric", "value"], [["accuracy", number(metrics["accuracy"])], ["n", number(metrics["n"])]])
