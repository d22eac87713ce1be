"""Reference point for the adapters: every weight of the shared encoder fine-tuned, no LoRA.

    python -m bench.full_finetune --skill sentiment --data ../shared/data/sst2 --epochs 3 --learning-rate 5e-5 \\
        --batch-size 32 --max-length 64 --json runs/full_sentiment.json

The same head, training examples, features, batch order, AdamW with warm-up/decay, selection split and early
stopping as `training.train`; only the LoRA adapter is replaced by the whole encoder. The best epoch on the
selection split is kept and scored once on the report split. What it answers: how far this 22M-parameter encoder
gets on the benchmark when nothing is frozen, i.e. whether a target is out of reach for the encoder rather than
for the adapter. Nothing is saved but the JSON (a full copy of the encoder is not something the app loads).
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
import platform
import shlex
import sys
import time
from pathlib import Path

import torch

from skills.encoder import default_base_model
from skills.registry import skill_names
from training import data as datasets
from training.evaluate import evaluate, headline
from training.train import (
    TrainConfig,
    load_base,
    logits_fn,
    new_head,
    run_for_model,
    selection_score,
    train_epoch,
)

log = logging.getLogger(__name__)


def fine_tune(config: TrainConfig) -> dict:
    """Train with early stopping on the selection split; the best epoch's weights scored on the report split."""
    started = time.time()
    tokenizer, bert = load_base(config)  # no adapter: every encoder weight trains
    run = run_for_model(config, tokenizer, bert, new_head(config, bert))
    model, head = run.parts.model, run.parts.head
    history, best, best_weights, stale = [], float("-inf"), None, 0
    for epoch in range(1, config.epochs + 1):
        loss = train_epoch(run, epoch)
        score = selection_score(run)
        history.append({"epoch": epoch, "train_loss": loss, "select": score})
        log.info("epoch %d: loss %.4f, selection %s %.2f", epoch, loss, headline(config.skill), score)
        if score > best:
            best, stale = score, 0
            best_weights = copy.deepcopy((model.state_dict(), head.state_dict()))
        else:
            stale += 1
            if stale > config.patience:
                log.info("stopped early: no improvement for %d epochs", stale)
                break
    model.load_state_dict(best_weights[0])
    head.load_state_dict(best_weights[1])
    model.eval()
    head.eval()
    examples = datasets.load_split(config.skill, config.data, "report")
    report = evaluate(config.skill, logits_fn(run.parts), run.tokenizer, examples, config.max_length)
    return {
        "skill": config.skill,
        "history": history,
        "best_epoch": max(history, key=lambda h: h["select"])["epoch"],
        "selection": best,
        "report_split": datasets.data_spec(config.skill).files["report"],
        "report": report,
        "trainable_parameters": sum(p.numel() for p in (*model.parameters(), *head.parameters())),
        "train_examples": run.train_examples,
        "wall_seconds": round(time.time() - started),
        "machine": f"{platform.machine()}, {torch.get_num_threads()} threads, torch {torch.__version__}",
    }


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skill", required=True, choices=skill_names(trainable=True, serving=None))
    parser.add_argument("--data", required=True, help="benchmark folder or hub data set name")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--patience", type=int, default=1)
    parser.add_argument("--learning-rate", type=float, default=5e-5)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--limit", type=int, default=None, help="use only the first N training examples")
    parser.add_argument("--select-limit", type=int, default=None, help="score only N selection examples")
    parser.add_argument("--base-model", default=default_base_model())
    parser.add_argument("--json", type=Path, required=True, help="where the result is written")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    argv = sys.argv[1:] if argv is None else argv
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    args = parse_args(argv)
    config = TrainConfig(
        skill=args.skill,
        data=args.data,
        out=args.json.parent,  # never written: only the JSON is
        epochs=args.epochs,
        patience=args.patience,
        learning_rate=args.learning_rate,
        batch_size=args.batch_size,
        max_length=args.max_length,
        seed=args.seed,
        limit=args.limit,
        select_limit=args.select_limit,
        base_model=args.base_model,
    )
    result = fine_tune(config)
    settings = {k: v for k, v in vars(args).items() if k not in ("json", "base_model")}
    result = {"command": "python -m bench.full_finetune " + shlex.join(argv), "settings": settings, **result}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    metric = headline(config.skill)
    print(
        f"{config.skill}: best epoch {result['best_epoch']}, selection {metric} {result['selection']:.2f}, "
        f"report {metric} {result['report'][metric]:.2f} ({result['wall_seconds']} s) -> {args.json}"
    )
    return result


if __name__ == "__main__":
    main()
