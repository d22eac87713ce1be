"""Train one skill's LoRA adapter and task head on the shared encoder, then write a bundle with its model card.

    python -m training.train --skill ner --data ../shared/data/conll2003 --out adapters/ner

AdamW with weight decay and a linear warm-up/decay schedule; after each epoch the adapter is scored on the
selection split and the best one is kept; at the end the kept adapter is scored on the report split and the
figures go into `bundle.json` and the model card (`README.md`) beside it.
"""

from __future__ import annotations

import argparse
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

import torch
from torch import nn
from tqdm import tqdm

from skills.encoder import BundleInfo, HeadConfig, TaskHead, default_base_model, portable_base_model, save_head
from skills.ner import NER_LABELS
from training import data as datasets
from training.evaluate import EVALUATORS, HEADLINE
from training.model_card import write_model_card

log = logging.getLogger(__name__)
HEADS = {
    "ner": HeadConfig(kind="token", labels=NER_LABELS),
    "sentiment": HeadConfig(kind="sequence", labels=["negative", "positive"]),
    "qa": HeadConfig(kind="span", labels=["start", "end"]),
}


# Attention and feed-forward projections of every encoder layer (not the unused pooler); a few MB per adapter.
LORA_TARGETS = (
    r".*encoder\.layer\.\d+\."
    r"(attention\.self\.(query|key|value)|attention\.output\.dense|intermediate\.dense|output\.dense)"
)


@dataclass
class TrainConfig:
    skill: str = field(metadata={"help": "ner, sentiment or qa"})
    data: Path = field(metadata={"help": "benchmark folder (see ../shared/data/README.md)"})
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
    seed: int = field(default=13, metadata={"help": "random seed for data order and initialisation"})
    base_model: str = field(default_factory=default_base_model, metadata={"help": "hub id or folder"})

    def __post_init__(self) -> None:
        if self.skill not in HEADS:
            raise ValueError(f"unknown skill {self.skill!r}; expected one of {sorted(HEADS)}")
        if not Path(self.data).is_dir():
            raise ValueError(f"data folder {self.data} does not exist")
        if self.epochs < 1 or self.batch_size < 1 or self.rank < 1:
            raise ValueError("epochs, batch_size and rank must be positive")


def parse_args(argv: list[str]) -> TrainConfig:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for f in dataclasses.fields(TrainConfig):
        kind = {"Path": Path, "int": int, "float": float, "int | None": int}.get(str(f.type), str)
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        option = "--" + f.name.replace("_", "-")
        parser.add_argument(option, dest=f.name, type=kind, required=required, help=f.metadata.get("help"))
    values = {k: v for k, v in vars(parser.parse_args(argv)).items() if v is not None}
    return TrainConfig(**values)


def ner_features(sentences: list[datasets.TaggedSentence], tokenizer, max_length: int) -> list[dict]:
    features = []
    for sentence in sentences:
        enc = tokenizer(sentence.tokens, is_split_into_words=True, truncation=True, max_length=max_length)
        labels = datasets.align_word_labels(enc.word_ids(), sentence.tags)
        features.append({**{k: enc[k] for k in ("input_ids", "token_type_ids")}, "labels": labels})
    return features


def sentiment_features(texts: list[datasets.LabeledText], tokenizer, max_length: int) -> list[dict]:
    enc = tokenizer([t.text for t in texts], truncation=True, max_length=max_length)
    return [
        {"input_ids": enc["input_ids"][i], "token_type_ids": enc["token_type_ids"][i], "labels": t.label}
        for i, t in enumerate(texts)
    ]


def qa_features(examples: list[datasets.QAExample], tokenizer, max_length: int) -> list[dict]:
    """SQuAD windows labelled with the first answer's token span, or [CLS] where the window lacks it."""
    from skills.qa import WINDOW_STRIDE

    features = []
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
    return features


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
    tensors["labels"] = pad("labels", -100) if kind == "token" else torch.tensor([f["labels"] for f in batch])
    return tensors


def task_loss(logits: torch.Tensor, labels: torch.Tensor, kind: str) -> torch.Tensor:
    if kind == "token":
        return nn.functional.cross_entropy(logits.flatten(0, 1), labels.flatten(), ignore_index=-100)
    if kind == "sequence":
        return nn.functional.cross_entropy(logits, labels)
    start_loss = nn.functional.cross_entropy(logits[..., 0], labels[:, 0])
    end_loss = nn.functional.cross_entropy(logits[..., 1], labels[:, 1])
    return (start_loss + end_loss) / 2


def build_model(config: TrainConfig):
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(config.seed)
    tokenizer = AutoTokenizer.from_pretrained(config.base_model)
    bert = AutoModel.from_pretrained(config.base_model, add_pooling_layer=False)
    lora = LoraConfig(
        r=config.rank,
        lora_alpha=config.alpha,
        lora_dropout=config.lora_dropout,
        target_modules=LORA_TARGETS,
    )
    model = get_peft_model(bert, lora)
    head = TaskHead(dataclasses.replace(HEADS[config.skill], hidden_size=bert.config.hidden_size))
    return tokenizer, model, head


def train(config: TrainConfig, command: str) -> BundleInfo:
    started = time.time()
    rng = random.Random(config.seed)
    tokenizer, model, head = build_model(config)
    kind = head.config.kind
    train_examples = datasets.training_examples(config.skill, config.data, config.seed)[: config.limit]
    select_examples = datasets.load_split(config.skill, config.data, "select", config.seed)[: config.select_limit]
    features = FEATURES[config.skill](train_examples, tokenizer, config.max_length)
    log.info(
        "%d training examples -> %d features; %d for selection",
        len(train_examples),
        len(features),
        len(select_examples),
    )

    parameters = [p for p in model.parameters() if p.requires_grad] + list(head.parameters())
    optimizer = torch.optim.AdamW(parameters, lr=config.learning_rate, weight_decay=config.weight_decay)
    steps = config.epochs * -(-len(features) // config.batch_size)
    warmup = max(1, int(steps * config.warmup))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (steps - step) / max(1, steps - warmup)))
    )

    def logits_fn(input_ids, attention_mask, token_type_ids):
        hidden = model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
        return head(hidden.last_hidden_state, attention_mask)

    staging = config.out.with_name(config.out.name + ".training")
    history, best, stale = [], float("-inf"), 0
    for epoch in range(1, config.epochs + 1):
        model.train()
        head.train()
        losses = []
        progress = tqdm(length_batches(features, config.batch_size, rng), desc=f"{config.skill} epoch {epoch}")
        for batch in progress:
            tensors = collate(batch, kind)
            logits = logits_fn(tensors["input_ids"], tensors["attention_mask"], tensors["token_type_ids"])
            loss = task_loss(logits, tensors["labels"], kind)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(parameters, 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            losses.append(loss.item())
            progress.set_postfix(loss=f"{sum(losses[-50:]) / len(losses[-50:]):.4f}")
        model.eval()
        head.eval()
        scores = EVALUATORS[config.skill](logits_fn, tokenizer, select_examples, config.max_length)
        score = scores[HEADLINE[config.skill]]
        history.append({"epoch": epoch, "train_loss": sum(losses) / len(losses), "select": score})
        log.info(
            "epoch %d: loss %.4f, selection %s %.2f",
            epoch,
            history[-1]["train_loss"],
            HEADLINE[config.skill],
            score,
        )
        if score > best:
            best, stale = score, 0
            shutil.rmtree(staging, ignore_errors=True)
            model.save_pretrained(str(staging))
            record_portable_base_model(staging, config.base_model)
            save_head(head, staging)
        else:
            stale += 1
            if stale > config.patience:
                log.info("stopping early: no improvement for %d epochs", stale)
                break

    info = BundleInfo(
        skill=config.skill,
        version=config.version,
        head=head.config,
        max_length=config.max_length,
        base_model=portable_base_model(config.base_model),
        training={
            "command": command,
            "config": {
                k: str(v) if isinstance(v, Path) else v
                for k, v in dataclasses.asdict(config).items()
                if k != "base_model"
            },
            "history": history,
            "train_examples": len(train_examples),
            "train_features": len(features),
            "select_examples": len(select_examples),
            "wall_seconds": round(time.time() - started),
            "machine": f"{platform.machine()}, {torch.get_num_threads()} threads, torch {torch.__version__}",
        },
    )
    info.metrics = report_metrics(config, staging, info)
    info.write(staging)
    write_model_card(staging, info)
    shutil.rmtree(config.out, ignore_errors=True)
    staging.rename(config.out)
    log.info("wrote %s: %s", config.out, json.dumps(info.metrics))
    return info


def record_portable_base_model(folder: Path, base_model: str) -> None:
    """PEFT writes the base model's local path into adapter_config.json; keep the portable name instead."""
    config_path = folder / "adapter_config.json"
    adapter_config = json.loads(config_path.read_text())
    adapter_config["base_model_name_or_path"] = portable_base_model(base_model)
    config_path.write_text(json.dumps(adapter_config, indent=2) + "\n")


def report_metrics(config: TrainConfig, folder: Path, info: BundleInfo) -> dict:
    """Score the kept adapter on the report split, through the same loading path the app uses."""
    from skills.encoder import SharedEncoder
    from training.evaluate import adapter_logits_fn

    info.write(folder)
    encoder = SharedEncoder(config.base_model)
    encoder.load_adapter(config.skill, folder)
    examples = datasets.load_split(config.skill, config.data, "report")
    metrics = EVALUATORS[config.skill](
        adapter_logits_fn(encoder, config.skill), encoder.tokenizer, examples, config.max_length
    )
    return {"report_split": datasets.SPLIT_FILES[config.skill]["report"], **metrics}


def main(argv: list[str] | None = None) -> BundleInfo:
    argv = sys.argv[1:] if argv is None else argv
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    config = parse_args(argv)
    return train(config, "python -m training.train " + shlex.join(argv))


if __name__ == "__main__":
    main()
