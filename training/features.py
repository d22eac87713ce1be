"""The batches the trainer feeds: length-bucketed and padded. Each skill makes its own features from its examples
(`skills/<name>/data.py`, `features`); a head kind says how labels are padded."""

from __future__ import annotations

import random

import torch


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


def pad_rows(values: torch.Tensor, width: int) -> torch.Tensor:
    """`values` ([L, ...]) padded with zeros (False) to `width` rows."""
    return torch.cat([values, values.new_zeros((width - len(values), *values.shape[1:]))])


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
    if any("token_weights" in f for f in batch):  # a partly corrected answer weighs its words; others weigh 1
        tensors["token_weights"] = torch.tensor(
            [f.get("token_weights", [1.0] * len(f["input_ids"])) + [0.0] * (width - len(f["input_ids"])) for f in batch]
        )
    if "weight" in batch[0]:
        tensors["weights"] = torch.tensor([f["weight"] for f in batch], dtype=torch.float32)
    if "teacher" in batch[0]:  # soft targets (training/teacher.py): per text, or per token padded like the labels
        if batch[0]["teacher"].dim() == 1:
            tensors["teacher"] = torch.stack([f["teacher"] for f in batch])
            tensors["teacher_mask"] = torch.stack([f["teacher_mask"] for f in batch])
        else:
            tensors["teacher"] = torch.stack([pad_rows(f["teacher"], width) for f in batch])
            tensors["teacher_mask"] = torch.stack([pad_rows(f["teacher_mask"], width) for f in batch])
    if "distill" in batch[0]:
        tensors["distill"] = torch.tensor([f["distill"] for f in batch], dtype=torch.bool)
    tensors["labels"] = pad("labels", -100) if kind == "token" else torch.tensor([f["labels"] for f in batch])
    return tensors
