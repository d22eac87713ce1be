"""Train one skill's LoRA adapter and task head on the shared encoder, then write a bundle with its model card.

    python -m training.train --skill ner --data ../shared/data/conll2003 --out adapters/ner

AdamW with weight decay and a linear warm-up/decay schedule; after each epoch the adapter is scored on the
selection split and the best one is kept; at the end the kept adapter is scored on the report split and the
figures go into `bundle.json`, the model card (`README.md`) and `training_curve.png` beside it.

The run works in `<out>.training/` and leaves a checkpoint there after every epoch (`training/checkpoint.py`):
an interrupted run continues with the same command plus `--resume`. When it ends, that folder, without the
checkpoint, replaces `out`.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import logging
import platform
import random
import shlex
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import nn
from tqdm import tqdm

from skills.encoder import (
    BundleInfo,
    HeadConfig,
    SharedEncoder,
    TaskHead,
    default_base_model,
    encoder_signature,
    frozen,
    head_logits,
    load_head,
    model_folder,
    portable_base_model,
    save_head,
    with_token_types,
)
from skills.registry import get_skill, registered, skill_names
from training import data as datasets
from training import teacher as soft_targets
from training.checkpoint import (
    CHECKPOINT_DIR,
    TrainingParts,
    TrainState,
    checkpoint_epoch,
    load_checkpoint,
    save_checkpoint,
)
from training.evaluate import evaluate, headline
from training.example_index import index_examples
from training.features import collate, length_batches
from training.model_card import CURVE_FILE, write_model_card
from training.options import add_config_arguments, config_values
from training.plots import plot_training_curve

log = logging.getLogger(__name__)


def head_config(skill: str, hidden_size: int, word_shapes: bool) -> HeadConfig:
    """The head a skill's spec asks for, sized for the encoder."""
    spec = get_skill(skill).spec
    return HeadConfig(kind=spec.head, labels=list(spec.head_labels), hidden_size=hidden_size, word_shapes=word_shapes)


# Attention and feed-forward projections of every encoder layer (not the unused pooler); a few MB per adapter.
# BERT-style encoders (MiniLM) name the attention projections attention.self.query/key/value and
# attention.output.dense, MPNet attention.attn.q/k/v/o.
LORA_TARGETS = (
    r".*encoder\.layer\.\d+\."
    r"(attention\.self\.(query|key|value)|attention\.output\.dense|attention\.attn\.(q|k|v|o)"
    r"|intermediate\.dense|output\.dense)"
)


@dataclass
class TrainConfig:
    skill: str = field(
        metadata={
            "help": "a registered skill (or model) with an adapter: "
            + ", ".join(skill_names(trainable=True, serving=None))
        }
    )
    data: str = field(
        metadata={"help": "benchmark folder (see ../shared/data/README.md) or hub data set name (training/data.py)"}
    )
    out: Path = field(metadata={"help": "folder for the adapter bundle (replaced when training ends)"})
    version: str = field(default="v1", metadata={"help": "version name recorded in bundle.json"})
    epochs: int = field(default=3, metadata={"help": "maximum passes over the training split"})
    patience: int = field(default=1, metadata={"help": "epochs without improvement before stopping"})
    batch_size: int = field(default=32, metadata={"help": "examples (QA: windows) per step"})
    learning_rate: float = field(default=1e-3, metadata={"help": "peak AdamW learning rate"})
    weight_decay: float = field(default=0.01, metadata={"help": "AdamW weight decay"})
    warmup: float = field(default=0.06, metadata={"help": "fraction of steps with linear warm-up"})
    rank: int = field(default=16, metadata={"help": "LoRA rank"})
    alpha: int = field(default=32, metadata={"help": "LoRA scaling alpha"})
    lora_dropout: float = field(default=0.1, metadata={"help": "dropout on the LoRA input"})
    max_length: int = field(default=128, metadata={"help": "tokens per example (QA: per window)"})
    limit: int | None = field(default=None, metadata={"help": "use only the first N training examples"})
    select_limit: int | None = field(default=None, metadata={"help": "score only N selection examples"})
    report_limit: int | None = field(
        default=None,
        metadata={"help": "smoke runs: score only the first N report examples (the card's figures then say n=N)"},
    )
    seed: int = field(default=13, metadata={"help": "random seed for data order and initialisation"})
    word_shapes: bool = field(
        default=False, metadata={"help": "add a learned word-shape (capitalisation) embedding to the inputs"}
    )
    base_model: str = field(default_factory=default_base_model, metadata={"help": "hub id or folder"})
    init_adapter: Path | None = field(
        default=None,
        metadata={"help": "continue training this adapter bundle (its LoRA weights and head) instead of a new one"},
    )
    distill_weight: float = field(
        default=0.0,
        metadata={
            "help": "with --init-adapter: weight of a term that keeps the outputs on replayed examples close to the "
            "starting adapter's (KL divergence, learning without forgetting); 0 turns it off"
        },
    )
    teacher_targets: Path | None = field(
        default=None,
        metadata={
            "help": "soft targets of a teacher adapter, e.g. on another encoder (python -m training.teacher), mixed "
            "with the gold loss"
        },
    )
    teacher_weight: float = field(
        default=0.5, metadata={"help": "with --teacher-targets: the soft targets' share of the loss (the rest: gold)"}
    )
    teacher_temperature: float = field(
        default=2.0, metadata={"help": "softmax temperature T of the soft targets; their KL term is scaled by T²"}
    )
    extra_train: Path | None = field(
        default=None,
        metadata={
            "help": "QA: more training questions (SQuAD JSON, e.g. from bench.synthetic_qa), never from "
            "a selection or report article"
        },
    )
    resume: bool = field(
        default=False, metadata={"help": "continue the interrupted run from its checkpoint in OUT.training/"}
    )
    stop_after_epoch: int | None = field(
        default=None,
        metadata={"help": "for tests and debugging: stop after this epoch (before the last), leaving the checkpoint"},
    )
    skip_example_index: bool = field(
        default=False,
        metadata={
            "help": "write no similar-examples index (minutes for QA): for runs that will not be released; "
            "python -m training.example_index adds it to a bundle later"
        },
    )

    def __post_init__(self) -> None:
        trainable = skill_names(trainable=True, serving=None)
        if self.skill not in trainable:
            raise ValueError(f"unknown skill {self.skill!r}; expected one of {sorted(trainable)}")
        if not datasets.is_hub_name(self.data) and not Path(self.data).is_dir():
            raise ValueError(f"data folder {self.data} does not exist")
        if self.epochs < 1 or self.batch_size < 1 or self.rank < 1 or self.patience < 1:
            raise ValueError("epochs, patience, batch_size and rank must be positive")
        if self.stop_after_epoch is not None and self.stop_after_epoch < 1:
            raise ValueError(f"stop_after_epoch must be positive, got {self.stop_after_epoch}")
        if self.distill_weight < 0:
            raise ValueError(f"distill_weight must be >= 0, got {self.distill_weight}")
        if self.distill_weight > 0 and self.init_adapter is None:
            raise ValueError("distill_weight keeps the outputs of the adapter training starts from: set init_adapter")
        if self.teacher_targets is not None and not Path(self.teacher_targets).is_file():
            raise ValueError(f"teacher_targets {self.teacher_targets} is not a file (python -m training.teacher)")
        if not 0.0 <= self.teacher_weight <= 1.0 or self.teacher_temperature <= 0:
            raise ValueError(
                f"need 0 <= teacher_weight <= 1 and teacher_temperature > 0: {self.teacher_weight=}, "
                f"{self.teacher_temperature=}"
            )
        if self.extra_train is not None:
            accepting = [d for d in registered(serving=None) if d.spec.has_adapter and hasattr(d.data, "provenance")]
            if self.skill not in [d.name for d in accepting] or not Path(self.extra_train).is_file():
                kinds = " or ".join(f"a {d.spec.data.file_format} file for the {d.name} skill" for d in accepting)
                raise ValueError(f"extra_train takes {kinds}: {self.skill}, {self.extra_train}")


# How a run is driven, not what it trains: left out of the recorded settings a resumed run must match.
RUN_CONTROL = ("resume", "stop_after_epoch", "skip_example_index", "report_limit")


def parse_args(argv: list[str]) -> TrainConfig:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_config_arguments(parser, TrainConfig)
    return TrainConfig(**config_values(parser.parse_args(argv), TrainConfig))


def settings_record(config: TrainConfig) -> dict:
    """The run's settings as JSON values, for bundle.json and for checking that a resumed run matches."""
    return {
        k: str(v) if isinstance(v, Path) else v for k, v in dataclasses.asdict(config).items() if k not in RUN_CONTROL
    }


def task_loss(
    logits: torch.Tensor,
    labels: torch.Tensor,
    kind: str,
    weights: torch.Tensor | None = None,
    token_weights: torch.Tensor | None = None,
) -> torch.Tensor:
    """Mean cross-entropy; with `weights` (one per example) the weighted mean, so silver examples count less; with
    `token_weights` (token heads: one per token) each token's loss is weighed too (a partly corrected answer)."""
    if weights is None:
        weights = torch.ones(labels.shape[0])
    if kind == "token":
        losses = nn.functional.cross_entropy(logits.transpose(1, 2), labels, ignore_index=-100, reduction="none")
        weighed = weights.unsqueeze(1) * (labels != -100)
        if token_weights is not None:
            weighed = weighed * token_weights
        return (losses * weighed).sum() / weighed.sum().clamp(min=1e-8)
    if kind == "sequence":
        losses = nn.functional.cross_entropy(logits, labels, reduction="none")
    else:
        start = nn.functional.cross_entropy(logits[..., 0], labels[:, 0], reduction="none")
        losses = (start + nn.functional.cross_entropy(logits[..., 1], labels[:, 1], reduction="none")) / 2
    return (losses * weights).sum() / weights.sum().clamp(min=1e-8)


def distillation_loss(
    student: torch.Tensor,
    teacher: torch.Tensor,
    rows: torch.Tensor,
    kind: str,
    attention_mask: torch.Tensor | None,  # span heads: which positions an answer may take
    labels: torch.Tensor | None,  # token heads: which tokens carry a label
) -> torch.Tensor:
    """Mean KL(teacher || student) of the output distributions over the batch rows marked in `rows` (Li & Hoiem
    2017, "Learning without Forgetting"): per labelled token (NER), per text (sentiment), over the window's
    positions for the answer start and end (QA)."""
    if kind == "span":
        outside = ~attention_mask.bool().unsqueeze(-1)
        student = student.masked_fill(outside, -1e4).log_softmax(dim=1)
        teacher = teacher.masked_fill(outside, -1e4).log_softmax(dim=1)
        divergence = (teacher.exp() * (teacher - student)).sum(dim=1).mean(dim=-1)
    else:
        student, teacher = student.log_softmax(dim=-1), teacher.log_softmax(dim=-1)
        divergence = (teacher.exp() * (teacher - student)).sum(dim=-1)
        if kind == "token":
            labelled = (labels != -100).to(divergence.dtype)
            divergence = (divergence * labelled).sum(dim=1) / labelled.sum(dim=1).clamp(min=1.0)
    rows = rows.to(divergence.dtype)
    return (divergence * rows).sum() / rows.sum().clamp(min=1.0)


def load_base(config: TrainConfig):
    """(tokenizer, plain encoder) of `config.base_model`, after seeding torch so random starts repeat."""
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(config.seed)
    folder = model_folder(config.base_model)
    tokenizer = with_token_types(AutoTokenizer.from_pretrained(folder))
    return tokenizer, AutoModel.from_pretrained(folder, add_pooling_layer=False)


def new_head(config: TrainConfig, bert: nn.Module) -> TaskHead:
    return TaskHead(head_config(config.skill, bert.config.hidden_size, config.word_shapes))


def build_model(config: TrainConfig):
    """(tokenizer, encoder with a new or `init_adapter`'s LoRA adapter, head)."""
    from peft import LoraConfig, PeftModel, get_peft_model

    tokenizer, bert = load_base(config)
    if config.init_adapter is not None:
        info = BundleInfo.read(config.init_adapter)
        if info.skill != config.skill:
            raise ValueError(f"{config.init_adapter} holds a {info.skill} adapter, not {config.skill}")
        info.check_encoder(config.init_adapter, portable_base_model(config.base_model), encoder_signature(bert.config))
        model = PeftModel.from_pretrained(bert, str(config.init_adapter), is_trainable=True)
        return tokenizer, model, load_head(info, config.init_adapter).train()
    # the adapter's random start is drawn before the head's, as the released runs drew them
    lora = LoraConfig(
        r=config.rank, lora_alpha=config.alpha, lora_dropout=config.lora_dropout, target_modules=LORA_TARGETS
    )
    bert = get_peft_model(bert, lora)
    return tokenizer, bert, new_head(config, bert)


@dataclass
class TrainingExamples:
    """Examples given to a run instead of the benchmark's: `train` with one loss weight each, and `select`
    (empty: no selection, the last epoch is kept)."""

    train: list
    weights: list[float]
    select: list
    replayed: int = 0  # the last `replayed` training examples are original data: distilled with distill_weight

    def __post_init__(self) -> None:
        if len(self.train) != len(self.weights) or not self.train:
            raise ValueError(f"need one weight per training example, got {len(self.train)} and {len(self.weights)}")
        if not 0 <= self.replayed <= len(self.train):
            raise ValueError(f"replayed must be between 0 and {len(self.train)}, got {self.replayed}")


@dataclass
class Run:
    """One run's model, optimiser and data: what the epoch loop works on."""

    config: TrainConfig
    tokenizer: Any
    parts: TrainingParts
    features: list[dict]
    train_examples: int
    select_examples: list
    teacher: tuple[nn.Module, TaskHead] | None = None  # the starting adapter, frozen, with distill_weight


def frozen_copy(model: nn.Module, head: TaskHead) -> tuple[nn.Module, TaskHead]:
    return frozen((copy.deepcopy(model), copy.deepcopy(head)))


def prepare_run(config: TrainConfig, given: TrainingExamples | None = None) -> Run:
    """Model (`build_model`), optimiser and features; the examples are the benchmark's unless `given`."""
    return run_for_model(config, *build_model(config), given)


def run_for_model(
    config: TrainConfig, tokenizer, model: nn.Module, head: TaskHead, given: TrainingExamples | None = None
) -> Run:
    """Optimiser and features for a given (tokenizer, encoder, head); the examples are the benchmark's unless
    `given`."""
    if given is None:
        train_examples = datasets.training_examples(config.skill, config.data, config.seed)[: config.limit]
        if config.extra_train is not None:
            train_examples += datasets.extra_training_examples(
                config.skill, config.extra_train, config.data, config.seed
            )
        select_examples = datasets.load_split(config.skill, config.data, "select", config.seed)
        weights, replayed = None, 0
    else:
        train_examples, select_examples, weights = given.train, given.select, given.weights
        replayed = given.replayed
    select_examples = select_examples[: config.select_limit]
    teacher = frozen_copy(model, head) if config.distill_weight > 0 else None  # before a checkpoint is loaded
    build = get_skill(config.skill).data.features
    if config.teacher_targets is not None:
        targets = soft_targets.SoftTargets.load(config.teacher_targets, config.skill)
        build = soft_targets.with_soft_targets(build, targets, config.teacher_temperature)
    if teacher is None:
        features = build(train_examples, tokenizer, config.max_length, weights)
    else:
        cut = len(train_examples) - replayed
        own = build(train_examples[:cut], tokenizer, config.max_length, weights and weights[:cut])
        replay = build(train_examples[cut:], tokenizer, config.max_length, weights and weights[cut:])
        features = [{**f, "distill": False} for f in own] + [{**f, "distill": True} for f in replay]
    log.info(
        "%d training examples -> %d features; %d for selection",
        len(train_examples),
        len(features),
        len(select_examples),
    )
    optimizer = torch.optim.AdamW(
        trainable_parameters(model, head), lr=config.learning_rate, weight_decay=config.weight_decay
    )
    steps = config.epochs * -(-len(features) // config.batch_size)
    warmup = max(1, int(steps * config.warmup))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (steps - step) / max(1, steps - warmup)))
    )
    parts = TrainingParts(model, head, optimizer, schedule, random.Random(config.seed))
    return Run(config, tokenizer, parts, features, len(train_examples), select_examples, teacher)


def base_encoder(model: nn.Module) -> nn.Module:
    """The encoder under a PEFT model (or the model itself)."""
    return model.get_base_model() if hasattr(model, "get_base_model") else model


def trainable_parameters(model: nn.Module, head: TaskHead) -> list[nn.Parameter]:
    return [p for p in model.parameters() if p.requires_grad] + list(head.parameters())


def logits_fn(parts: TrainingParts):
    def logits(input_ids, attention_mask, token_type_ids, shape_ids=None):
        return head_logits(parts.model, parts.head, input_ids, attention_mask, shape_ids, token_type_ids)

    return logits


def train_epoch(run: Run, epoch: int) -> float:
    """One pass over the training features in this epoch's batch order; returns the mean loss."""
    parts, kind = run.parts, run.parts.head.config.kind
    parameters = trainable_parameters(parts.model, parts.head)
    forward = logits_fn(parts)
    parts.model.train()
    parts.head.train()
    losses = []
    batches = length_batches(run.features, run.config.batch_size, parts.rng)
    progress = tqdm(batches, desc=f"{run.config.skill} epoch {epoch}")
    for batch in progress:
        tensors = collate(batch, kind)
        logits = forward(
            tensors["input_ids"], tensors["attention_mask"], tensors["token_type_ids"], tensors.get("shape_ids")
        )
        loss = task_loss(logits, tensors["labels"], kind, tensors.get("weights"), tensors.get("token_weights"))
        if "teacher" in tensors:
            weight, temperature = run.config.teacher_weight, run.config.teacher_temperature
            loss = soft_targets.mixed_loss(loss, logits, tensors, kind, weight, temperature)
        if run.teacher is not None and tensors["distill"].any():
            rows = tensors["distill"]  # the teacher only scores the replayed rows: the loss uses nothing else
            replayed = {name: value[rows] for name, value in tensors.items()}
            with torch.no_grad():
                teacher_logits = head_logits(
                    *run.teacher,
                    replayed["input_ids"],
                    replayed["attention_mask"],
                    replayed.get("shape_ids"),
                    replayed["token_type_ids"],
                )
            distance = distillation_loss(
                logits[rows], teacher_logits, replayed["distill"], kind, replayed["attention_mask"], replayed["labels"]
            )
            loss = loss + run.config.distill_weight * distance
        loss.backward()
        torch.nn.utils.clip_grad_norm_(parameters, 1.0)
        parts.optimizer.step()
        parts.schedule.step()
        parts.optimizer.zero_grad()
        losses.append(loss.item())
        progress.set_postfix(loss=f"{sum(losses[-50:]) / len(losses[-50:]):.4f}")
    return sum(losses) / len(losses)


def selection_score(run: Run) -> float:
    run.parts.model.eval()
    run.parts.head.eval()
    skill = run.config.skill
    scores = evaluate(skill, logits_fn(run.parts), run.tokenizer, run.select_examples, run.config.max_length)
    return scores[headline(skill)]


def staging_folder(out: Path) -> Path:
    return out.with_name(out.name + ".training")


def start_state(config: TrainConfig, staging: Path, parts: TrainingParts) -> TrainState:
    """A fresh state, or with `--resume` the checkpoint's (restoring `parts` from it too)."""
    if config.resume:
        fields = [f for f in dataclasses.fields(TrainConfig) if f.name not in RUN_CONTROL]
        defaults = {f.name: f.default for f in fields if f.default is not dataclasses.MISSING}
        state = load_checkpoint(staging, parts, settings_record(config), defaults)
        state.resumed_after.append(state.epoch)
        return state
    previous = checkpoint_epoch(staging)
    if previous is not None:
        log.info(
            "ignoring the checkpoint after epoch %d in %s (add --resume to continue that run); this run replaces it",
            previous,
            staging / CHECKPOINT_DIR,
        )
    return TrainState()


def keeps_training(state: TrainState, config: TrainConfig) -> bool:
    """Another epoch: epochs remain, and fewer than `patience` epochs in a row have not improved selection."""
    return state.epoch < config.epochs and state.stale < config.patience


def run_epochs(run: Run, staging: Path, session_start: float) -> TrainState | None:
    """Train until the last epoch or early stopping; None when `stop_after_epoch` interrupted the run."""
    config = run.config
    state = start_state(config, staging, run.parts)
    started = session_start - state.elapsed_seconds
    while keeps_training(state, config):
        epoch = state.epoch + 1
        loss = train_epoch(run, epoch)
        score = selection_score(run) if run.select_examples else None  # none: keep the last epoch
        state.epoch = epoch
        state.history.append({"epoch": epoch, "train_loss": loss, "select": score})
        log.info("epoch %d: loss %.4f, selection %s %s", epoch, loss, headline(config.skill), score)
        if score is None or score > state.best:
            state.best, state.stale = score if score is not None else state.best, 0
            save_best(run.parts, staging, config.base_model)
        else:
            state.stale += 1
        state.elapsed_seconds = time.time() - started
        save_checkpoint(staging, state, run.parts, settings_record(config))
        if config.stop_after_epoch == epoch and epoch < config.epochs:
            log.info("stopping after epoch %d as asked; continue with the same command and --resume", epoch)
            return None
    if state.stale >= config.patience and state.epoch < config.epochs:
        log.info("stopped early: no improvement for %d epochs", state.stale)
    state.elapsed_seconds = time.time() - started
    return state


def save_best(parts: TrainingParts, staging: Path, base_model: str) -> None:
    """Replace the kept adapter and head in `staging` (the checkpoint beside them stays)."""
    staging.mkdir(parents=True, exist_ok=True)
    for child in staging.iterdir():
        if child.is_dir() and child.name != CHECKPOINT_DIR:
            shutil.rmtree(child)
        elif child.is_file():
            child.unlink()
    parts.model.save_pretrained(str(staging))
    record_portable_base_model(staging, base_model)
    save_head(parts.head, staging)


def train(config: TrainConfig, command: str) -> BundleInfo | None:
    """Train, keep the best epoch's adapter, score it and write the bundle to `config.out`.

    Returns None when `stop_after_epoch` stopped the run before its last epoch (the checkpoint stays)."""
    session_start = time.time()
    run = prepare_run(config)
    staging = staging_folder(config.out)
    state = run_epochs(run, staging, session_start)
    if state is None:
        return None
    info = bundle_info(run, state, command)
    encoder = SharedEncoder(config.base_model)
    info.metrics = report_metrics(config, staging, info, encoder)
    info.training["splits"]["report"]["examples"] = info.metrics["n"]
    if not config.skip_example_index:
        # The "similar examples" of the explanations (skills/examples.py): this run's training examples, indexed.
        examples = datasets.training_examples(config.skill, config.data, config.seed)[: config.limit]
        info.training["example_index"] = index_examples(config.skill, examples, staging, encoder.embed, config.seed)
    info.write(staging)
    plot_training_curve(state.history, config.skill, headline(config.skill), staging / CURVE_FILE, config.version)
    write_model_card(staging, info)
    shutil.rmtree(staging / CHECKPOINT_DIR)
    shutil.rmtree(config.out, ignore_errors=True)
    staging.rename(config.out)
    log.info("wrote %s: %s", config.out, json.dumps(info.metrics))
    return info


def bundle_info(run: Run, state: TrainState, command: str) -> BundleInfo:
    config = run.config
    splits = datasets.split_sources(config.skill, config.seed, config.data)
    splits["train"]["examples"] = run.train_examples
    splits["select"]["examples"] = len(run.select_examples)
    return BundleInfo(
        skill=config.skill,
        version=config.version,
        head=run.parts.head.config,
        max_length=config.max_length,
        base_model=portable_base_model(config.base_model),
        encoder=encoder_signature(base_encoder(run.parts.model).config),
        training={
            "command": command,
            "config": {k: v for k, v in settings_record(config).items() if k != "base_model"},
            "history": state.history,
            "splits": splits,
            "train_examples": run.train_examples,
            "train_features": len(run.features),
            "select_examples": len(run.select_examples),
            "resumed_after_epochs": state.resumed_after,
            "wall_seconds": round(state.elapsed_seconds),
            "machine": f"{platform.machine()}, {torch.get_num_threads()} threads, torch {torch.__version__}",
        },
    )


def record_portable_base_model(folder: Path, base_model: str) -> None:
    """PEFT writes the base model's local path into adapter_config.json; keep the portable name instead."""
    config_path = folder / "adapter_config.json"
    adapter_config = json.loads(config_path.read_text())
    adapter_config["base_model_name_or_path"] = portable_base_model(base_model)
    config_path.write_text(json.dumps(adapter_config, indent=2) + "\n")


def report_metrics(config: TrainConfig, folder: Path, info: BundleInfo, encoder: SharedEncoder) -> dict:
    """Score the kept adapter on the report split, through the same loading path the app uses."""
    from training.evaluate import adapter_logits_fn

    info.write(folder)
    encoder.load_adapter(config.skill, folder)
    examples = datasets.load_split(config.skill, config.data, "report")[: config.report_limit]
    metrics = evaluate(
        config.skill, adapter_logits_fn(encoder, config.skill), encoder.tokenizer, examples, config.max_length
    )
    return {"report_split": datasets.data_spec(config.skill).files["report"], **metrics}


def main(argv: list[str] | None = None) -> BundleInfo | None:
    argv = sys.argv[1:] if argv is None else argv
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    config = parse_args(argv)
    return train(config, "python -m training.train " + shlex.join(argv))


if __name__ == "__main__":
    main()
