"""Load: concurrent API clients against the real app in a child process; every answer rated; nothing may be lost.

    python -m bench.load [--clients 32] [--turns 50] [--replicas 1] [--postgres] [--json docs/load.json]

Each client is its own `gradio_client.Client` with its own session id. It sends `--turns` messages from a fixed mix
(names, sentiment, questions over the knowledge base and over a pasted passage, help) through `/reply` and rates
every answer through `/rate_turn`: 👍, 👎 with a reason, a correction in the skill's own terms, 👍 taken back, 👎
turned into 👍. Afterwards the app is stopped and the database is read back through `core.store`: every
acknowledged turn and rating event must be there, with nothing extra, and the integrity check must pass.

`--replicas 2` runs two app processes on one database (clients alternate between them); `--postgres` puts that
database on a throw-away PostgreSQL server (Debian's server binaries, see `bench/server.py`) instead of SQLite.
Results: docs/RELIABILITY.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.server import AppProcess, PostgresServer, postgres_bindir

# (message, a correction in that skill's terms: one that changes the answer, or it is refused)
MESSAGES = [
    ("find the names in: Priya Nair joined Infosys in Pune", "Infosys=LOC; -Pune"),
    ("what's the sentiment of: the plot was dull and the ending never came", "positive"),
    ("how do I correct a wrong answer?", "write the right answer in the correction box"),
    ("what can you do?", "a list of the skills"),
    ("find the names in: Angela Merkel met Emmanuel Macron in Berlin on Tuesday", "Berlin=ORG"),
    ("how does this review feel: a warm, funny and beautifully acted film", "negative"),
    (
        "Context: The Eiffel Tower was completed in 1889 for the World's Fair in Paris. "
        "Question: when was it completed?",
        "in 1889",
    ),
    ("where are my ratings stored?", "in the feedback database"),
]
# One answer's ratings, as (thumb, reason, use the correction) calls in order; every call is one stored event.
RATING_PLANS = [
    [("up", None, False)],
    [("down", "the answer missed the point", False)],
    [(None, None, True)],
    [("up", None, False), ("retract", None, False)],
    [("down", None, False), ("up", "on second thought it was right", False)],
]


@dataclass
class ClientResult:
    turns: list[int] = field(default_factory=list)  # acknowledged turn ids
    ratings: list[dict[str, Any]] = field(default_factory=list)  # acknowledged rating events, as returned
    skills: Counter = field(default_factory=Counter)
    turn_ms: list[float] = field(default_factory=list)
    rating_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run_client(url: str, index: int, turns: int, result: ClientResult) -> None:
    """One simulated user: `turns` messages, each answer rated by one of the RATING_PLANS."""
    from gradio_client import Client

    client = Client(url, verbose=False)
    session_id = f"load-{index}"
    try:
        for t in range(turns):
            message, correction = MESSAGES[(index + t) % len(MESSAGES)]
            started = time.perf_counter()
            reply = _call(client, result, message, session_id, api_name="/reply")
            if reply is None:
                continue
            result.turn_ms.append(1000 * (time.perf_counter() - started))
            result.turns.append(reply["turn_id"])
            result.skills[reply["skill"]] += 1
            for thumb, reason, corrected in RATING_PLANS[(index * 3 + t) % len(RATING_PLANS)]:
                started = time.perf_counter()
                rating = _call(
                    client,
                    result,
                    reply["turn_id"],
                    thumb,
                    reason,
                    correction if corrected else None,
                    api_name="/rate_turn",
                )
                if rating is not None:
                    result.rating_ms.append(1000 * (time.perf_counter() - started))
                    result.ratings.append(rating)
    finally:
        client.close()


def _call(client: Any, result: ClientResult, *args: Any, api_name: str) -> dict | None:
    """One API call; an exception or an `{"error": ...}` answer is counted as an error and gives None."""
    try:
        answer = client.predict(*args, api_name=api_name)
    except Exception as error:  # any failure of a request is a load error to count, not to hide
        result.errors.append(f"{api_name}: {type(error).__name__}: {error}")
        return None
    if not isinstance(answer, dict) or "error" in answer:
        result.errors.append(f"{api_name}: {answer!r}")
        return None
    return answer


def drive(urls: list[str], clients: int, turns: int) -> tuple[list[ClientResult], float]:
    """`clients` threads, client i on urls[i % len(urls)], started together; returns their results and wall time."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no telemetry thread per client
    results = [ClientResult() for _ in range(clients)]
    barrier = threading.Barrier(clients + 1)

    def work(i: int) -> None:
        barrier.wait()
        try:
            run_client(urls[i % len(urls)], i, turns, results[i])
        except Exception as error:  # e.g. the client could not connect: counted, never lost in a thread
            results[i].errors.append(f"client {i}: {type(error).__name__}: {error}")

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def verify(db_url: str, results: list[ClientResult]) -> dict[str, Any]:
    """Read the database back: which acknowledged turns and rating events are missing or differ, which are extra."""
    from core.store import FeedbackStore

    store = FeedbackStore(db_url)
    try:
        stored = {r.id: r for r in store.ratings()}
        turn_ids = {t.id for t in store.turns(limit=1_000_000)}
        acknowledged = [rating for result in results for rating in result.ratings]
        missing = [r["id"] for r in acknowledged if r["id"] not in stored]
        differing = [
            r["id"]
            for r in acknowledged
            if r["id"] in stored and (stored[r["id"]].turn_id, stored[r["id"]].thumb) != (r["turn_id"], r["thumb"])
        ]
        acknowledged_turns = [turn for result in results for turn in result.turns]
        return {
            "ratings_acknowledged": len(acknowledged),
            "ratings_stored": len(stored),
            "ratings_missing": len(missing),
            "ratings_differing": len(differing),
            "ratings_extra": len(set(stored) - {r["id"] for r in acknowledged}),
            "turns_acknowledged": len(acknowledged_turns),
            "turns_missing": len(set(acknowledged_turns) - turn_ids),
            "turns_extra": len(turn_ids - set(acknowledged_turns)),  # stored, but the client got an error
            "integrity_ok": store.check_integrity(),
        }
    finally:
        store.close()


def summarise(results: list[ClientResult], wall_s: float) -> dict[str, Any]:
    turn_ms = [ms for result in results for ms in result.turn_ms]
    rating_ms = [ms for result in results for ms in result.rating_ms]
    errors = [error for result in results for error in result.errors]
    requests = len(turn_ms) + len(rating_ms)

    def spread(values: list[float]) -> dict[str, float]:
        if not values:
            return {}
        quantiles = {"p50_ms": statistics.median(values), "p95_ms": percentile(values, 0.95)}
        return {k: round(v, 1) for k, v in {**quantiles, "max_ms": max(values)}.items()}

    return {
        "wall_s": round(wall_s, 1),
        "turns": len(turn_ms),
        "rating_events": len(rating_ms),
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:5],
        "turn_latency": spread(turn_ms),
        "rating_latency": spread(rating_ms),
        "turns_per_s": round(len(turn_ms) / wall_s, 2),
        "requests_per_s": round(requests / wall_s, 2),
        "skills": dict(sum((result.skills for result in results), Counter()).most_common()),
    }


def run_load(
    clients: int, turns: int, home: Path, replicas: int = 1, db_url: str | None = None, env: dict | None = None
) -> dict[str, Any]:
    """Start `replicas` app processes on one database, warm them up, drive the load, stop them, verify the database."""
    apps = [
        AppProcess(home / f"replica-{i}", db_url=db_url or f"sqlite:///{home / 'feedback.db'}", env=env)
        for i in range(replicas)
    ]
    with ExitStack() as stack:
        for app in apps:
            app.launch()
            stack.callback(app.stop)
        for app in apps:
            app.wait_ready()
        warm_up, _ = drive([app.url for app in apps], len(apps), 1)  # first calls pay one-off costs
        results, wall_s = drive([app.url for app in apps], clients, turns)
    summary = summarise(results, wall_s)
    summary["check"] = verify(apps[0].db_url, warm_up + results)
    summary["warm_up_errors"] = [error for result in warm_up for error in result.errors]
    if summary["errors"] or summary["warm_up_errors"]:  # the apps' own account, before their home folders go
        summary["app_log_tails"] = [app.log_tail(30) for app in apps]
    return summary


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--turns", type=int, default=50, help="messages per client, each answer rated")
    parser.add_argument("--replicas", type=int, default=1, help="app processes on one database")
    parser.add_argument("--postgres", action="store_true", help="the database on a temporary PostgreSQL server")
    parser.add_argument("--ratings-per-minute", type=int, help="sets EXCHAT_RATINGS_PER_MINUTE in the app")
    parser.add_argument("--json", type=Path, default=Path("docs/load.json"), help="write the results here")
    args = parser.parse_args(argv)

    env = {}
    if args.ratings_per_minute:
        env["EXCHAT_RATINGS_PER_MINUTE"] = str(args.ratings_per_minute)
    load_before = round(os.getloadavg()[0], 2)
    with tempfile.TemporaryDirectory(prefix="exchat-load-") as home, ExitStack() as stack:
        db_url = None
        if args.postgres:
            bindir = postgres_bindir()
            if bindir is None:
                parser.error("--postgres needs Debian's postgresql server (/usr/lib/postgresql/*/bin)")
            db_url = stack.enter_context(PostgresServer(bindir)).url
        summary = run_load(args.clients, args.turns, Path(home), args.replicas, db_url, env)
    load_after = round(os.getloadavg()[0], 2)
    import gradio

    summary["setup"] = {
        "clients": args.clients,
        "turns_per_client": args.turns,
        "replicas": args.replicas,
        "database": "postgresql" if args.postgres else "sqlite",
        "app_env": env,
        "cpu_count": os.cpu_count(),
        "machine": platform.machine(),
        "gradio": gradio.__version__,
        "date": time.strftime("%Y-%m-%d"),
        "load_average_1m": [load_before, load_after],  # before and after: other work on the machine shares the cores
    }
    print(markdown_table(summary))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n")
    return summary


def markdown_table(summary: dict[str, Any]) -> str:
    check, turn, rating = summary["check"], summary["turn_latency"], summary["rating_latency"]
    rows = [
        ("turns answered", summary["turns"]),
        ("rating events acknowledged", summary["rating_events"]),
        ("errors", summary["errors"]),
        (
            "in the database (warm-up included): ratings acknowledged / missing / differing / extra",
            f"{check['ratings_acknowledged']} / {check['ratings_missing']} / {check['ratings_differing']} / "
            f"{check['ratings_extra']}",
        ),
        ("turns: acknowledged missing / stored unacknowledged", f"{check['turns_missing']} / {check['turns_extra']}"),
        ("integrity check", "ok" if check["integrity_ok"] else "FAILED"),
        ("turn latency p50 / p95 / max (ms)", f"{turn.get('p50_ms')} / {turn.get('p95_ms')} / {turn.get('max_ms')}"),
        (
            "rating latency p50 / p95 / max (ms)",
            f"{rating.get('p50_ms')} / {rating.get('p95_ms')} / {rating.get('max_ms')}",
        ),
        ("throughput: turns/s, requests/s", f"{summary['turns_per_s']}, {summary['requests_per_s']}"),
        ("wall time (s)", summary["wall_s"]),
    ]
    return "\n".join(["| measure | value |", "|---|---|", *(f"| {name} | {value} |" for name, value in rows)])


if __name__ == "__main__":
    main()
