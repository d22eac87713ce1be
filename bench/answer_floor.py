"""Choose the reader's score floor (`EXCHAT_QA_MIN_ANSWER_SCORE`) on both dev sets at once.

The floor refuses an answer read from the knowledge base whose score is low: the documents probably do not answer
the question. It was first chosen on the knowledge-base dev set alone (bench/data/kb_dev, questions sent with `/qa`),
where refusing an unanswerable question counts as much as answering one; the understanding dev set
(bench/data/understanding) asks the same documents the way people type, in single messages and dialogues, and there a
refused answer is a turn lost. Both are run once with the floor off, keeping each answer's floor score, and every
floor is then scored from those rows:

    EXCHAT_QA_MIN_ANSWER_SCORE=-1000 python -m bench.kb --split dev --systems "hybrid + new reader" \\
        --json runs/kb-dev-nofloor.json
    EXCHAT_QA_MIN_ANSWER_SCORE=-1000 python -m bench.understanding --split dev --request-model adapters/request \\
        --request-threshold 0 --json runs/und-dev-nofloor.json
    python -m bench.answer_floor --kb runs/kb-dev-nofloor.json --understanding runs/und-dev-nofloor.json

Per floor: the knowledge-base set's answer F1 summed over its answerable questions plus one per unanswerable question
refused (as when the floor was first chosen), and the understanding set's right turns (single messages and dialogue
turns; a refused knowledge-base turn is answered as help, right only where help was the gold skill). A dialogue turn
refused would also change the turns after it; this replay does not see that, so the chosen floor is re-run through
the app (both benches, floor set) before it is kept. Dev splits only: the held-out sets report.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

FLOORS = [float(f) for f in range(0, 31)]


def refused(floor_score: float | None, floor: float) -> bool:
    """Whether an answer with this floor score is refused at `floor` (None: no floor applies to it)."""
    return floor_score is not None and floor_score < floor


def kb_points(system: dict[str, Any], floor: float) -> tuple[float, int, int]:
    """(F1 summed over the answerable questions, unanswerable ones refused, answerable ones refused) at `floor`."""
    f1 = sum(0.0 if refused(row["floor"], floor) else row["f1"] for row in system["rows"])
    declined = sum(row["refused"] or refused(row["floor"], floor) for row in system["unanswerable_rows"])
    lost = sum(row["skill"] == "qa" and refused(row["floor"], floor) for row in system["rows"])
    return f1, declined, lost


def turn_right_at(row: dict[str, Any], floor: float) -> bool:
    """Whether an understanding turn is right at `floor`: a refused knowledge-base answer becomes a help turn."""
    if row["seen"] == "qa" and refused(row["floor"], floor):
        return row["gold"] == "help"
    return row["turn_right"]


def understanding_right(system: dict[str, Any], floor: float) -> tuple[int, int]:
    """(single messages right, dialogue turns right) at `floor`."""
    return (
        sum(turn_right_at(row, floor) for row in system["single"]),
        sum(turn_right_at(row, floor) for row in system["dialogue"]),
    )


def sweep(kb: dict[str, Any], understanding: dict[str, Any], floors: list[float] = FLOORS) -> list[dict[str, Any]]:
    """One row per floor: both sets' scores and the joint points (knowledge-base points + understanding turns)."""
    rows = []
    for floor in floors:
        f1, declined, lost = kb_points(kb, floor)
        single, dialogue = understanding_right(understanding, floor)
        rows.append(
            {
                "floor": floor,
                "kb_points": round(f1 + declined, 2),
                "kb_f1": round(100 * f1 / len(kb["rows"]), 2),
                "unanswerable_refused": declined,
                "answerable_refused": lost,
                "single_right": single,
                "dialogue_right": dialogue,
                "joint": round(f1 + declined + single + dialogue, 2),
            }
        )
    return rows


def table(rows: list[dict[str, Any]], kb: dict[str, Any], understanding: dict[str, Any]) -> str:
    lines = [
        f"Knowledge-base dev: {len(kb['rows'])} answerable, {len(kb['unanswerable_rows'])} unanswerable; "
        f"understanding dev: {len(understanding['single'])} single messages, {len(understanding['dialogue'])} "
        "dialogue turns.",
        "",
        "| floor | KB F1 | KB unanswerable refused | KB answerable refused | KB points | single right | dialogue right "
        "| joint |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    best = max(row["joint"] for row in rows)
    for row in rows:
        mark = " **best**" if row["joint"] == best else ""
        lines.append(
            f"| {row['floor']:g} | {row['kb_f1']} | {row['unanswerable_refused']} | {row['answerable_refused']} | "
            f"{row['kb_points']} | {row['single_right']} | {row['dialogue_right']} | {row['joint']}{mark} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kb", type=Path, required=True, help="bench.kb --split dev --json, run with the floor off")
    parser.add_argument(
        "--understanding", type=Path, required=True, help="bench.understanding --split dev --json, the floor off"
    )
    parser.add_argument("--kb-system", default="hybrid + new reader")
    parser.add_argument("--understanding-system", default="request model")
    parser.add_argument("--markdown", type=Path, help="write the table here")
    args = parser.parse_args(argv)
    kb_run, understanding_run = json.loads(args.kb.read_text()), json.loads(args.understanding.read_text())
    if kb_run.get("split") != "dev" or understanding_run.get("split") != "dev":
        parser.error("the floor is chosen on the dev splits only")
    kb = kb_run["systems"][args.kb_system]
    understanding = understanding_run["rows"][args.understanding_system]
    rows = sweep(kb, understanding)
    text = table(rows, kb, understanding)
    print(text)
    if args.markdown:
        args.markdown.write_text(text)
    return rows


if __name__ == "__main__":
    main()
