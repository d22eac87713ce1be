"""Sentiment data: GLUE SST-2 TSV (Wang et al. 2018) as labelled texts, their features (a label per text) and the
records of the "similar examples" index. Pure functions, no I/O but `read_file`."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skills.features import with_weights
from skills.sentiment.spec import LABELS
from skills.words import detokenize


@dataclass(frozen=True)
class LabeledText:
    text: str
    label: int  # 0 negative, 1 positive


def read_sst_tsv(path: Path) -> list[LabeledText]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [LabeledText(text.strip(), int(label)) for text, label in rows[1:]]


read_file = read_sst_tsv


def from_hub_rows(rows, features=None) -> list[LabeledText]:
    """The hub's rows (`sentence`, `label`); its unlabelled test rows (label -1) are left out."""
    return [LabeledText(r["sentence"].strip(), int(r["label"])) for r in rows if int(r["label"]) in (0, 1)]


def features(texts: list[LabeledText], tokenizer, max_length: int, weights: list[float] | None = None) -> list[dict]:
    enc = tokenizer([t.text for t in texts], truncation=True, max_length=max_length)
    rows = [
        {"input_ids": enc["input_ids"][i], "token_type_ids": enc["token_type_ids"][i], "labels": t.label}
        for i, t in enumerate(texts)
    ]
    return with_weights(rows, [1] * len(rows), weights)


def example_record(example: LabeledText) -> dict[str, Any]:
    return {"text": detokenize(example.text.split()), "label": LABELS[example.label]}
