"""Urgency data: `text<TAB>label` lines, a label per text."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skills.features import with_weights
from tests.skills.urgency.spec import LABELS


@dataclass(frozen=True)
class Message:
    text: str
    label: int


def read_file(path: Path) -> list[Message]:
    rows = [line.split("\t") for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Message(text, LABELS.index(label)) for text, label in rows]


def from_hub_rows(rows, features=None) -> list[Message]:
    return [Message(r["text"], int(r["label"])) for r in rows]


def features(examples: list[Message], tokenizer, max_length: int, weights: list[float] | None = None) -> list[dict]:
    enc = tokenizer([m.text for m in examples], truncation=True, max_length=max_length)
    rows = [
        {"input_ids": enc["input_ids"][i], "token_type_ids": enc["token_type_ids"][i], "labels": m.label}
        for i, m in enumerate(examples)
    ]
    return with_weights(rows, [1] * len(rows), weights)


def example_record(example: Message) -> dict[str, Any]:
    return {"text": example.text, "label": LABELS[example.label]}
