"""Turn latency through the real `Assistant` API (routing, skill, attributions, database write), per skill.

    python -m bench.latency [--repeats 30] [--json docs/latency.json]

Uses a throw-away home folder, so the benchmark never touches a real database or knowledge base; the knowledge base
is given the made-up documents of bench/data/understanding/kb/ (the app's starts empty).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

MESSAGES = {
    "ner": "find the names in: Priya Nair joined Infosys in Pune after leaving Wipro in Bangalore last March",
    "sentiment": "what's the sentiment of: the plot was dull, the acting wooden, and I will never watch it again",
    "qa": "when does the gym open on sundays?",
    "help": "what can you do?",
}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    from chatbot.assistant import Assistant
    from core.config import REPO_ROOT, AppConfig

    with tempfile.TemporaryDirectory() as home:
        documents = REPO_ROOT / "bench" / "data" / "understanding" / "kb"
        assistant = Assistant.from_config(AppConfig.from_env(home=home, default_docs=documents))
        results = {}
        for skill, message in MESSAGES.items():
            assistant.reply(message, "warm-up")
            timings = []
            for i in range(args.repeats):
                started = time.perf_counter()
                reply = assistant.reply(message, f"bench-{skill}-{i}")
                timings.append(1000 * (time.perf_counter() - started))
                assert reply.skill == skill, (skill, reply.rationale.route)
            results[skill] = {
                "p50_ms": round(statistics.median(timings), 1),
                "p95_ms": round(percentile(timings, 0.95), 1),
            }
        assistant.store.close()
    print("| skill | p50 ms | p95 ms |\n|---|---|---|")
    for skill, row in results.items():
        print(f"| {skill} | {row['p50_ms']} | {row['p95_ms']} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return results


if __name__ == "__main__":
    main()
