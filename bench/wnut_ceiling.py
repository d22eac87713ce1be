"""How much WNUT-17 can teach the NER adapter at all: an upper bound for the learning loop's target.

    python -m bench.wnut_ceiling --data ../shared/data --adapter adapters/ner --tweets 300 1000 all \\
        --json runs/wnut_ceiling.json

For each size, that many WNUT-17 training tweets (a seeded sample; `all` = 3,394) are given with their gold
entities (types mapped as in `bench.learning`), as if every one had been corrected in the chat, at full weight,
mixed with CoNLL-2003 replay exactly as the nightly retrain mixes feedback (1:1, at least 200), and a candidate is
trained from `--adapter` with the retrain's settings (`RetrainConfig` defaults: epochs, learning rate, batch size,
seed). No gate, no held-out feedback: every tweet trains. Reported: WNUT-17 dev and CoNLL-2003 testb F1 against
the starting adapter's. The loop sees less than this (only the tweets the model got wrong are corrections; right
ones come back as 👍 at a quarter weight; a fifth of the feedback is held out for the gate), so a size's gain here
bounds what the loop can reach from as many corrections.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import shlex
import sys
import time
from dataclasses import fields
from pathlib import Path

from bench.learning import read_wnut
from skills.encoder import BundleInfo
from training import data as datasets
from training.evaluate import evaluate
from training.replay import mix_examples
from training.retrain import RetrainConfig, Scorer
from training.train import TrainConfig, TrainingExamples, logits_fn, prepare_run, train_epoch

log = logging.getLogger(__name__)


def retrain_defaults() -> dict:
    """The nightly retrain's training settings, from its dataclass (the defaults the loop runs with)."""
    return {
        f.name: f.default
        for f in fields(RetrainConfig)
        if f.name in ("replay_ratio", "min_replay", "epochs", "learning_rate", "batch_size", "seed")
    }


def train_on_tweets(tweets: list, pool: list, adapter: Path, conll: Path, settings: dict, epochs: int):
    """A candidate trained from `adapter` on the tweets plus CoNLL replay; returns the run (its model in memory)."""
    mixed = mix_examples(
        tweets, [1.0] * len(tweets), pool, settings["replay_ratio"], settings["min_replay"], settings["seed"]
    )
    given = TrainingExamples(mixed.train, mixed.weights, select=[], replayed=mixed.replay_examples)
    config = TrainConfig(
        skill="ner",
        data=str(conll),
        out=adapter.with_name("wnut-ceiling"),  # never written: the candidate is scored in memory
        epochs=epochs,
        batch_size=settings["batch_size"],
        learning_rate=settings["learning_rate"],
        max_length=BundleInfo.read(adapter).max_length,
        seed=settings["seed"],
        init_adapter=adapter,
    )
    run = prepare_run(config, given)
    for epoch in range(1, epochs + 1):
        train_epoch(run, epoch)
    run.parts.model.eval()
    run.parts.head.eval()
    return run


def tweet_counts(sizes: list[str], available: int) -> list[int]:
    """`--tweets` values as numbers of tweets (`all` is every one), checked before any training starts."""
    counts = [available if size == "all" else int(size) if size.isdigit() else 0 for size in sizes]
    for size, count in zip(sizes, counts, strict=True):
        if not 0 < count <= available:
            raise SystemExit(f"--tweets {size}: choose 1..{available} or all")
    return counts


def scores(run, report_sets: dict[str, list], max_length: int) -> dict[str, float]:
    return {
        name: float(evaluate("ner", logits_fn(run.parts), run.tokenizer, sentences, max_length)["f1"])
        for name, sentences in report_sets.items()
    }


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="benchmark root with wnut17/ and conll2003/")
    parser.add_argument("--adapter", type=Path, default=Path("adapters/ner"), help="the NER bundle to start from")
    parser.add_argument("--tweets", nargs="+", default=["300", "1000", "all"], help="sizes: numbers or `all`")
    parser.add_argument("--epochs", type=int, default=None, help="default: the nightly retrain's")
    parser.add_argument("--json", type=Path, required=True)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> list[dict]:
    argv = sys.argv[1:] if argv is None else argv
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    args = parse_args(argv)
    settings = retrain_defaults()
    epochs = args.epochs or settings["epochs"]
    conll = args.data / datasets.data_spec("ner").folder
    tweets = read_wnut(args.data / "wnut17" / "wnut17train.conll")
    counts = tweet_counts(args.tweets, len(tweets))
    pool = datasets.training_examples("ner", conll, settings["seed"])
    report_sets = {
        "wnut_dev_f1": read_wnut(args.data / "wnut17" / "emerging.dev.conll"),
        "conll_testb_f1": datasets.load_split("ner", conll, "report"),
    }
    max_length = BundleInfo.read(args.adapter).max_length
    scorer = Scorer()
    rows = [
        {
            "tweets": 0,
            "epochs": 0,
            **{name: scorer.score("ner", args.adapter, sentences) for name, sentences in report_sets.items()},
            "seconds": 0,
        }
    ]
    log.info("starting adapter: %s", rows[0])
    for count in counts:
        started = time.time()
        sample = random.Random(settings["seed"]).sample(tweets, count)
        run = train_on_tweets(sample, pool, args.adapter, conll, settings, epochs)
        rows.append(
            {
                "tweets": count,
                "epochs": epochs,
                **scores(run, report_sets, max_length),
                "seconds": round(time.time() - started),
            }
        )
        log.info("%s", rows[-1])
    result = {"command": "python -m bench.wnut_ceiling " + shlex.join(argv), "settings": settings, "rows": rows}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    print("| WNUT train tweets (gold) | epochs | WNUT dev F1 | CoNLL testb F1 |\n|---|---|---|---|")
    for row in rows:
        print(f"| {row['tweets']} | {row['epochs']} | {row['wnut_dev_f1']:.2f} | {row['conll_testb_f1']:.2f} |")
    return rows


if __name__ == "__main__":
    main()
