"""Model features from benchmark examples, and the batches the trainer feeds: length-bucketed and padded.

NER: a label per word's first sub-token (`training.data.align_word_labels`). Sentiment: a label per text.
QA: SQuAD windows (the question with overlapping stretches of the context) labelled with the answer's token span,
or [CLS] where a window lacks it (Devlin et al. 2019, section 4.2).
"""

from __future__ import annotations

import random

import torch

from skills.encoder import token_shapes
from training import data as datasets


def ner_features(
    sentences: list[datasets.TaggedSentence], tokenizer, max_length: int, weights: list[float] | None = None
) -> list[dict]:
    features = []
    for sentence in sentences:
        enc = tokenizer(sentence.tokens, is_split_into_words=True, truncation=True, max_length=max_length)
        labels = datasets.align_word_labels(enc.word_ids(), sentence.tags)
        features.append(
            {
                **{k: enc[k] for k in ("input_ids", "token_type_ids")},
                "shape_ids": token_shapes(enc.word_ids(), sentence.tokens),
                "labels": labels,
            }
        )
    return with_weights(features, [1] * len(features), weights)


def sentiment_features(
    texts: list[datasets.LabeledText], tokenizer, max_length: int, weights: list[float] | None = None
) -> list[dict]:
    enc = tokenizer([t.text for t in texts], truncation=True, max_length=max_length)
    features = [
        {"input_ids": enc["input_ids"][i], "token_type_ids": enc["token_type_ids"][i], "labels": t.label}
        for i, t in enumerate(texts)
    ]
    return with_weights(features, [1] * len(features), weights)


def with_weights(features: list[dict], per_example: list[int], weights: list[float] | None) -> list[dict]:
    """Give each feature its example's loss weight (`per_example[i]` features came from example i)."""
    if weights is None:
        return features
    if len(weights) != len(per_example):
        raise ValueError(f"{len(weights)} weights for {len(per_example)} examples")
    expanded = [w for w, n in zip(weights, per_example, strict=True) for _ in range(n)]
    return [{**feature, "weight": weight} for feature, weight in zip(features, expanded, strict=True)]


def qa_features(
    examples: list[datasets.QAExample], tokenizer, max_length: int, weights: list[float] | None = None
) -> list[dict]:
    """SQuAD windows labelled with the first answer's token span, or [CLS] where the window lacks it."""
    from skills.qa import WINDOW_STRIDE

    features = []
    windows = []
    for example in examples:
        enc = tokenizer(
            example.question,
            example.context,
            truncation="only_second",
            max_length=max_length,
            stride=WINDOW_STRIDE,
            return_overflowing_tokens=True,
            return_offsets_mapping=True,
        )
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
            features.append(
                {
                    "input_ids": enc["input_ids"][window],
                    "token_type_ids": enc["token_type_ids"][window],
                    "labels": [start, end],
                }
            )
    return with_weights(features, windows, weights)


FEATURES = {"ner": ner_features, "sentiment": sentiment_features, "qa": qa_features}


def length_batches(features: list[dict], batch_size: int, rng: random.Random) -> list[list[dict]]:
    """Shuffled batches of similar length, so padding costs little on a CPU."""
    order = list(range(len(features)))
    rng.shuffle(order)
    pool = batch_size * 50
    batches = []
    for i in range(0, len(order), pool):
        chunk = sorted(order[i : i + pool], key=lambda j: len(features[j]["input_ids"]))
        batches += [[features[j] for j in chunk[k : k + batch_size]] for k in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def collate(batch: list[dict], kind: str) -> dict[str, torch.Tensor]:
    width = max(len(f["input_ids"]) for f in batch)

    def pad(key: str, value: int) -> torch.Tensor:
        return torch.tensor([f[key] + [value] * (width - len(f[key])) for f in batch])

    tensors = {
        "input_ids": pad("input_ids", 0),
        "token_type_ids": pad("token_type_ids", 0),
        "attention_mask": torch.tensor(
            [[1] * len(f["input_ids"]) + [0] * (width - len(f["input_ids"])) for f in batch]
        ),
    }
    if "shape_ids" in batch[0]:
        tensors["shape_ids"] = pad("shape_ids", 0)
    if "weight" in batch[0]:
        tensors["weights"] = torch.tensor([f["weight"] for f in batch], dtype=torch.float32)
    if "distill" in batch[0]:
        tensors["distill"] = torch.tensor([f["distill"] for f in batch], dtype=torch.bool)
    tensors["labels"] = pad("labels", -100) if kind == "token" else torch.tensor([f["labels"] for f in batch])
    return tensors
