"""Compare nightly-retrain settings on one feedback database, the way the retrain's defaults were chosen.

    python -m bench.retrain_sweep --skill sentiment --data ../shared/data --db WORK/feedback.db --through-rating 300 \\
        --adapter adapters/sentiment --setting '{"replay_ratio": 3}' --setting '{"learning_rate": 1e-4}'

WORK is the folder a `bench.learning` run logs at its start (its database holds the simulated users' ratings).
The database is copied and cut after rating `--through-rating`; then, for each setting (RetrainConfig fields as
JSON, the rest at their defaults), a candidate is trained from `--adapter` in a fresh registry with the gate's
margin lifted, and scored on the retrain's own gate sets only: the benchmark's selection split and the held-out
feedback, never a report split. Results are appended to a JSON-lines file and printed as a table
(docs/LEARNING.md, "How the retrain settings were chosen").
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from skills.registry import skill_names
from training.retrain import RetrainConfig, retrain

log = logging.getLogger(__name__)

NO_MARGIN = 100.0  # every candidate is scored to the end; the sweep compares, it does not promote


def cut_database(source: Path, target: Path, through_rating: int) -> int:
    """Copy the SQLite feedback database `source` to `target` without the ratings after id `through_rating`."""
    if not source.is_file():
        raise SystemExit(f"no feedback database at {source}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    with sqlite3.connect(source) as original, sqlite3.connect(target) as copy:
        original.backup(copy)
        copy.execute("DELETE FROM ratings WHERE id > ?", (through_rating,))
        (kept,) = copy.execute("SELECT COUNT(*) FROM ratings").fetchone()
    return kept


def sweep(args: argparse.Namespace) -> list[dict[str, Any]]:
    work = args.work
    database = work / "feedback.db"
    kept = cut_database(args.db, database, args.through_rating)
    log.info("%d ratings through id %d in %s", kept, args.through_rating, database)
    released = work / "released"
    shutil.rmtree(released, ignore_errors=True)
    shutil.copytree(args.adapter, released / args.skill, ignore=shutil.ignore_patterns("record.json"))
    results = []
    for number, setting in enumerate(args.setting):
        registry = work / f"registry{number}"
        shutil.rmtree(registry, ignore_errors=True)
        config = RetrainConfig(
            data=args.data,
            db_url=f"sqlite:///{database}",
            registry=registry,
            adapters=released,
            skills=args.skill,
            margin=NO_MARGIN,
            gate_limit=args.gate_limit,
            **setting,
        )
        (outcome,) = retrain(config)["skills"]
        if outcome["action"] == "skipped":
            raise SystemExit(f"no {args.skill} feedback through rating {args.through_rating} in {args.db}")
        line = {
            "setting": setting,
            "through_rating": args.through_rating,
            "benchmark": outcome["metrics"]["benchmark"],
            "feedback": outcome["metrics"]["feedback"],
            "data": outcome["data"],
            "seconds": outcome["seconds"],
        }
        results.append(line)
        with args.results.open("a") as out:
            out.write(json.dumps(line) + "\n")
    return results


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| setting | benchmark selection (current -> candidate) | held-out feedback (current -> candidate) | s |",
        "|---|---|---|---|",
    ]
    for r in results:
        bench, feedback = r["benchmark"], r["feedback"]
        lines.append(
            f"| {json.dumps(r['setting'])} | {bench['current']:.2f} -> {bench['candidate']:.2f} "
            f"({bench['candidate'] - bench['current']:+.2f}) | {feedback['current']:.2f} -> {feedback['score']:.2f} "
            f"({feedback['score'] - feedback['current']:+.2f}, n={feedback['examples']}) | {r['seconds']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skill", choices=skill_names(trainable=True), required=True)
    parser.add_argument("--data", type=Path, required=True, help="benchmark root (../shared/data)")
    parser.add_argument("--db", type=Path, required=True, help="SQLite feedback database of a bench.learning run")
    parser.add_argument("--through-rating", type=int, required=True, help="keep the ratings up to this id")
    parser.add_argument("--adapter", type=Path, required=True, help="adapter bundle the candidates start from")
    parser.add_argument(
        "--setting", type=json.loads, action="append", required=True, help="RetrainConfig fields as JSON (repeat)"
    )
    parser.add_argument("--gate-limit", type=int, help="score only the first N selection examples")
    parser.add_argument("--work", type=Path, default=Path("runs/retrain_sweep"), help="copies and registries")
    parser.add_argument("--results", type=Path, help="JSON lines to append to (default WORK/results.jsonl)")
    args = parser.parse_args(argv)
    args.results = args.results or args.work / "results.jsonl"
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    results = sweep(args)
    print(table(results))
    return results


if __name__ == "__main__":
    main()
