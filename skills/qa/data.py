"""QA data: SQuAD v1.1 JSON (Rajpurkar et al. 2016) as questions over paragraphs, and the windows the adapter reads:
the question with overlapping stretches of the context, labelled with the answer's token span, or [CLS] where a
window lacks it (Devlin et al. 2019, section 4.2). The model reads questions in the same windows (`encode_windows`).
Pure functions, no I/O but `read_file`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skills.features import with_weights

WINDOW_STRIDE = 96  # tokens shared by neighbouring windows of a long passage


@dataclass(frozen=True)
class QAExample:
    id: str
    title: str
    question: str
    context: str
    answers: list[str]
    answer_starts: list[int]


def read_squad(path: Path) -> list[QAExample]:
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    examples = []
    for article in raw["data"]:
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                examples.append(
                    QAExample(
                        id=qa["id"],
                        title=article["title"],
                        question=qa["question"],
                        context=paragraph["context"],
                        answers=[a["text"] for a in qa["answers"]],
                        answer_starts=[a["answer_start"] for a in qa["answers"]],
                    )
                )
    return examples


read_file = read_squad


def from_hub_rows(rows, features=None) -> list[QAExample]:
    """The hub's rows: SQuAD's fields with `answers` as {"text": [...], "answer_start": [...]}."""
    return [
        QAExample(
            id=str(r["id"]),
            title=r["title"],
            question=r["question"],
            context=r["context"],
            answers=list(r["answers"]["text"]),
            answer_starts=[int(a) for a in r["answers"]["answer_start"]],
        )
        for r in rows
    ]


def selection_group(example: QAExample) -> str:
    """A held-out selection slice takes whole articles, so no article is on both sides."""
    return example.title


def provenance(example: QAExample) -> set[tuple[str, str]]:
    """Where a question comes from (its article and paragraph): extra training questions must share neither with
    the selection or report split."""
    return {("article", example.title), ("paragraph", example.context)}


def encode_windows(tokenizer, question: str, context: str, max_length: int, **options: Any):
    """Question + context windows with offsets: the one layout the adapter is trained and run on."""
    return tokenizer(
        question,
        context,
        truncation="only_second",
        max_length=max_length,
        stride=WINDOW_STRIDE,
        return_overflowing_tokens=True,
        return_offsets_mapping=True,
        **options,
    )


def features(examples: list[QAExample], tokenizer, max_length: int, weights: list[float] | None = None) -> list[dict]:
    """SQuAD windows labelled with the first answer's token span, or [CLS] where the window lacks it."""
    rows = []
    windows = []
    for example in examples:
        enc = encode_windows(tokenizer, example.question, example.context, max_length)
        answer_start = example.answer_starts[0]
        answer_end = answer_start + len(example.answers[0])
        windows.append(len(enc["input_ids"]))
        for window in range(len(enc["input_ids"])):
            sequence_ids = enc.sequence_ids(window)
            offsets = enc["offset_mapping"][window]
            context = [i for i, sid in enumerate(sequence_ids) if sid == 1]
            start = end = 0
            if offsets[context[0]][0] <= answer_start and offsets[context[-1]][1] >= answer_end:
                start = next(i for i in context if offsets[i][1] > answer_start)
                end = next(i for i in reversed(context) if offsets[i][0] < answer_end)
            rows.append(
                {
                    "input_ids": enc["input_ids"][window],
                    "token_type_ids": enc["token_type_ids"][window],
                    "labels": [start, end],
                }
            )
    return with_weights(rows, windows, weights)


def example_record(example: QAExample) -> dict[str, Any]:
    """The question and its answer with the article it comes from, for the example index."""
    label = {"answer": example.answers[0] if example.answers else "", "title": example.title}
    return {"text": example.question, "label": label}
