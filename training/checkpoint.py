"""Checkpoints that let an interrupted training run continue where it stopped (`python -m training.train --resume`).

After every epoch the trainer writes `<out>.training/checkpoint/`:

    trainable.safetensors   every encoder parameter that trains (the LoRA weights)
    head.safetensors        the task head
    optimizer.pt            AdamW and learning-rate schedule state, the torch RNG and the batch-order RNG
    state.json              epoch, history, best score, stale count, elapsed seconds, the run's settings

Restoring all of it makes the remaining epochs repeat an uninterrupted run's: the same batches, dropout masks and
steps. The checkpoint is written beside and then renamed, so an interruption while saving leaves the previous one.
"""

from __future__ import annotations

import json
import logging
import random
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file, save_file
from torch import nn

from skills.encoder import TaskHead, save_head

log = logging.getLogger(__name__)
CHECKPOINT_DIR = "checkpoint"


@dataclass
class TrainState:
    """Where a run stands after an epoch: what the loop carries from one epoch to the next."""

    epoch: int = 0  # the last finished epoch
    history: list[dict] = field(default_factory=list)
    best: float = float("-inf")
    stale: int = 0  # epochs since the selection score last improved
    elapsed_seconds: float = 0.0
    resumed_after: list[int] = field(default_factory=list)  # epochs after which the run was resumed


@dataclass
class TrainingParts:
    """Everything whose state a checkpoint saves besides `TrainState`."""

    model: nn.Module  # the PEFT-wrapped encoder
    head: TaskHead
    optimizer: torch.optim.Optimizer
    schedule: torch.optim.lr_scheduler.LRScheduler
    rng: random.Random  # batch order


def checkpoint_folder(staging: Path) -> Path:
    return Path(staging) / CHECKPOINT_DIR


def trainable_state(model: nn.Module) -> dict[str, torch.Tensor]:
    return {name: p.detach().contiguous() for name, p in model.named_parameters() if p.requires_grad}


def save_checkpoint(staging: Path, state: TrainState, parts: TrainingParts, settings: dict[str, Any]) -> Path:
    """Write the checkpoint of the epoch `state` has just finished; `settings` must match on resume."""
    folder = checkpoint_folder(staging)
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    save_file(trainable_state(parts.model), str(partial / "trainable.safetensors"))
    save_head(parts.head, partial)
    torch.save(
        {
            "optimizer": parts.optimizer.state_dict(),
            "schedule": parts.schedule.state_dict(),
            "torch_rng": torch.get_rng_state(),
            "batch_rng": parts.rng.getstate(),
        },
        partial / "optimizer.pt",
    )
    record = {"state": asdict(state), "settings": settings}
    (partial / "state.json").write_text(json.dumps(record, indent=2) + "\n")
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    log.info("checkpoint after epoch %d in %s", state.epoch, folder)
    return folder


def checkpoint_epoch(staging: Path) -> int | None:
    """The epoch a checkpoint in `staging` was taken after, or None where there is none."""
    state_file = checkpoint_folder(staging) / "state.json"
    if not state_file.is_file():
        return None
    return int(json.loads(state_file.read_text())["state"]["epoch"])


def load_checkpoint(
    staging: Path, parts: TrainingParts, settings: dict[str, Any], defaults: dict[str, Any]
) -> TrainState:
    """Restore `parts` in place from the checkpoint in `staging`; returns the state to continue from.
    `defaults`: each setting's default, which a checkpoint written before that setting existed was trained with."""
    folder = checkpoint_folder(staging)
    if not (folder / "state.json").is_file():
        raise FileNotFoundError(f"--resume: there is no checkpoint in {folder}")
    record = json.loads((folder / "state.json").read_text())
    check_settings({**defaults, **record["settings"]}, settings, folder)
    restore_trainable(parts.model, load_file(str(folder / "trainable.safetensors")))
    parts.head.load_state_dict(load_file(str(folder / "head.safetensors")))
    saved = torch.load(folder / "optimizer.pt", weights_only=True)
    parts.optimizer.load_state_dict(saved["optimizer"])
    parts.schedule.load_state_dict(saved["schedule"])
    torch.set_rng_state(saved["torch_rng"])
    parts.rng.setstate(_as_tuples(saved["batch_rng"]))
    state = TrainState(**record["state"])
    log.info("resuming from the checkpoint after epoch %d in %s", state.epoch, folder)
    return state


def check_settings(saved: dict[str, Any], current: dict[str, Any], folder: Path) -> None:
    """A resumed run must use the settings it started with, or its remaining epochs would not be the same run's."""
    differing = sorted(k for k in saved.keys() | current.keys() if saved.get(k) != current.get(k))
    if differing:
        changes = ", ".join(f"{k}: {saved.get(k)!r} there, {current.get(k)!r} now" for k in differing)
        raise ValueError(f"the checkpoint in {folder} was made with other settings ({changes}); run without --resume")


def restore_trainable(model: nn.Module, tensors: dict[str, torch.Tensor]) -> None:
    expected = set(trainable_state(model))
    if set(tensors) != expected:
        missing, extra = sorted(expected - set(tensors)), sorted(set(tensors) - expected)
        raise ValueError(f"checkpoint weights do not fit the model: missing {missing[:3]}, unexpected {extra[:3]}")
    model.load_state_dict(tensors, strict=False)


def _as_tuples(value: Any) -> Any:
    """`random.Random.setstate` needs tuples all the way down."""
    return tuple(_as_tuples(v) for v in value) if isinstance(value, list | tuple) else value
