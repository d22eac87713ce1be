"""Knowledge-base question answering through the app: the hand-written sets of bench/data/kb_answers/ (held out,
reports) and bench/data/kb_dev/ (selects), every question sent to `Assistant.reply` as typed text.

    python -m bench.kb [--split heldout|dev] [--systems NAME ...] [--json FILE] [--markdown FILE]
    python -m bench.kb --split dev --sweep      # choose the reader's retrieval prior and λ (dev only)

Each system is the app on a throw-away home whose knowledge base holds the set's documents (all of them: retrieval
must find the right document), with one retrieval mode (`EXCHAT_KB_RETRIEVAL`: hybrid, dense, bm25) and one QA
reader (`EXCHAT_QA_READER`: phrases, or plain — today's reader: span logits alone, no phrase widening, no yes/no, no
retrieval prior). Questions are sent with a `/qa ` prefix, so routing is not what is measured; one system also sends
them bare, and reports how many the app then answers from the knowledge base.

Scores, per question, from the reply alone:
- retrieval recall@1/@3: one of the first 1/3 passages the reply lists (`rationale.skill["passages"]`: every passage
  the reader read, the one answered from first, then the others by their best span) comes from the question's
  document and holds one of its answers (whitespace collapsed, Markdown emphasis dropped from both);
- answer EM/F1: SQuAD v1.1 normalisation, the maximum over the answers; a yes/no question is right (1/1) when the
  reply's yes/no matches and its evidence sentence holds one of the answers, else 0/0;
- yes/no accuracy (the yes/no alone), and the evidence check;
- latency: the median seconds per question over the median of help turns ("/help") asked before and between the
  questions of the same run, so both see the same load.
The dev split's sweep reads each question's passages once (through the app), then re-runs the pure reader
(`skills.qa.reader.read`) for each prior and λ, and keeps the best F1 (the smallest λ on a tie).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from tqdm import tqdm

from skills.qa.evaluate import normalize_answer, squad_f1
from training.request_data import read_jsonl

log = logging.getLogger(__name__)
DATA = Path(__file__).parent / "data"
SPLITS = {"heldout": DATA / "kb_answers", "dev": DATA / "kb_dev"}
# name -> (retrieval mode, reader mode, /qa prefix)
SYSTEMS = {
    "hybrid + new reader": ("hybrid", "phrases", True),
    "dense + new reader": ("dense", "phrases", True),
    "bm25 + new reader": ("bm25", "phrases", True),
    "hybrid + today's reader": ("hybrid", "plain", True),
    "dense + today's reader": ("dense", "plain", True),
    "hybrid + new reader, no /qa": ("hybrid", "phrases", False),
}
HELP_TURNS = 5  # help turns before the questions, then one every HELP_EVERY questions; their median is the unit
HELP_EVERY = 10
SWEEP = {"rank": (0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 8.0), "cosine": (2.5, 5.0, 10.0, 20.0, 40.0, 80.0)}
SWEEP_TYPE = (0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 12.0)
SWEEP_OVERLAP = (0.0, 0.5, 1.0, 2.0, 3.0)
_EMPHASIS = re.compile(r"\*\*|__")


def plain(text: str) -> str:
    """Text compared for recall and evidence: Markdown emphasis dropped, whitespace collapsed."""
    return " ".join(_EMPHASIS.sub("", text).split())


def holds_answer(text: str, answers: list[str]) -> bool:
    return any(plain(answer) in plain(text) for answer in answers)


def score_reply(gold: dict[str, Any], reply: dict[str, Any] | None, seconds: float) -> dict[str, Any]:
    """One question's scores from the app's reply (`Reply.to_dict()`, None when the app refused the message)."""
    data = reply["data"] if reply else {}
    skill = reply["skill"] if reply else "refused"
    passages = (reply["rationale"].get("skill") or {}).get("passages") or [] if reply and skill == "qa" else []
    document = f"kb:{gold['document']}"
    found = [p["source"] == document and holds_answer(p["text"], gold["answers"]) for p in passages]
    answer = data.get("answer") or "" if skill == "qa" else ""
    row = {
        "id": gold["id"],
        "kind": gold["kind"],
        "style": gold["style"],
        "skill": skill,
        "answer": answer,
        "recall@1": any(found[:1]),
        "recall@3": any(found[:3]),
        "seconds": seconds,
        "floor": floor_of(reply) if reply else None,
    }
    if gold["kind"] == "yesno":
        sentence = (data.get("evidence_sentence") or {}).get("text") or ""
        row["yes_no"] = data.get("yes_no") if skill == "qa" else None
        row["undecided"] = skill == "qa" and "yes_no" in data and data["yes_no"] is None
        row["yes_no_right"] = row["yes_no"] == gold["yesno"]
        row["evidence_right"] = holds_answer(sentence, gold["answers"])
        row["em"] = row["f1"] = float(row["yes_no_right"] and row["evidence_right"])
    else:
        row["em"] = max(float(normalize_answer(answer) == normalize_answer(a)) for a in gold["answers"])
        row["f1"] = max(squad_f1(answer, a) for a in gold["answers"])
    return row


def floor_of(reply: dict[str, Any]) -> float | None:
    """The score a knowledge-base answer was held to the reader's floor with (None where no floor applied), from
    the reply: what `bench.answer_floor` sweeps."""
    floor = (reply["rationale"].get("skill") or {}).get("floor") if reply["skill"] == "qa" else None
    return None if floor is None else floor["score"]


def percent(values: list[float]) -> float | None:
    return round(100 * sum(values) / len(values), 1) if values else None


def summarise(rows: list[dict[str, Any]], help_seconds: float) -> dict[str, Any]:
    """A system's figures: overall, without the yes/no questions, per kind and per style."""

    def block(part: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "n": len(part),
            "recall@1": percent([r["recall@1"] for r in part]),
            "recall@3": percent([r["recall@3"] for r in part]),
            "em": percent([r["em"] for r in part]),
            "f1": percent([r["f1"] for r in part]),
        }

    yes_no = [r for r in rows if r["kind"] == "yesno"]
    seconds = [r["seconds"] for r in rows]
    return {
        **block(rows),
        "not_yes_no": block([r for r in rows if r["kind"] != "yesno"]),
        "by_kind": {k: block([r for r in rows if r["kind"] == k]) for k in sorted({r["kind"] for r in rows})},
        "by_style": {s: block([r for r in rows if r["style"] == s]) for s in sorted({r["style"] for r in rows})},
        "yes_no_accuracy": percent([r["yes_no_right"] for r in yes_no]),
        "yes_no_evidence": percent([r["evidence_right"] for r in yes_no]),
        "yes_no_undecided": sum(r["undecided"] for r in yes_no),
        "answered_by_qa": percent([r["skill"] == "qa" for r in rows]),
        "median_ms": round(1000 * statistics.median(seconds), 1),
        "help_ms": round(1000 * help_seconds, 1),
        "latency_ratio": round(statistics.median(seconds) / help_seconds, 2),
    }


def build_assistant(home: Path, documents: Path, retrieval: str, reader: str, min_score: float | None = None):
    """The app as configured by `EXCHAT_*` (released adapters and request model) on a throw-away home, with
    `retrieval` as its knowledge-base ranking, `reader` as its QA reader (and `min_score` as its least cosine to
    answer from, where given) and the set's documents added."""
    from chatbot.assistant import Assistant
    from core.config import AppConfig
    from skills.registry import reading

    empty = home / "no-default-docs"
    empty.mkdir()
    overrides = {} if min_score is None else {"kb_min_score": min_score}
    config = AppConfig.from_env(home=home, default_docs=empty, kb_retrieval=retrieval, **overrides)
    assistant = Assistant.from_config(config)
    qa = assistant.skills[reading("question").name]
    qa.reader = replace(qa.reader, mode=reader)
    assistant.knowledge.add_paths(sorted(p for p in documents.iterdir() if p.suffix in (".md", ".txt")))
    return assistant


def ask(assistant, message: str, session: str) -> tuple[dict[str, Any] | None, float]:
    from core.errors import InputError

    started = time.perf_counter()
    try:
        reply = assistant.reply(message, session).to_dict()
    except InputError:  # a refused message: scored as no answer
        reply = None
    return reply, time.perf_counter() - started


def help_seconds(assistant, name: str, turn: int) -> float:
    """The time of one help turn ("/help"): the latency unit, measured between the questions of the same run."""
    return ask(assistant, "/help", f"help-{name}-{turn}")[1]


def run_system(
    name: str, questions: list[dict], documents: Path, unanswerable: list[dict], min_score: float | None = None
) -> dict[str, Any]:
    """One system's rows and summary; questions whose answer is in no document (dev only) count as right when the
    app does not answer them from the knowledge base."""
    retrieval, reader, prefix = SYSTEMS[name]
    with tempfile.TemporaryDirectory() as home:
        assistant = build_assistant(Path(home), documents, retrieval, reader, min_score)
        try:
            helps = [help_seconds(assistant, name, turn) for turn in range(HELP_TURNS)]
            rows = []
            for n, gold in enumerate(tqdm(questions, desc=name)):
                if n and n % HELP_EVERY == 0:  # the machine's load drifts: the unit is measured all along
                    helps.append(help_seconds(assistant, name, len(helps)))
                message = f"/qa {gold['question']}" if prefix else gold["question"]
                reply, seconds = ask(assistant, message, f"kb-{gold['id']}")
                rows.append(score_reply(gold, reply, seconds))
            unanswered = []
            for gold in unanswerable:
                reply, _ = ask(assistant, f"/qa {gold['question']}" if prefix else gold["question"], f"kb-{gold['id']}")
                refused = reply is None or reply["skill"] != "qa"
                unanswered.append({"id": gold["id"], "refused": refused, "floor": None if refused else floor_of(reply)})
        finally:
            assistant.close()
    summary = summarise(rows, statistics.median(helps))
    summary["unanswerable_refused"] = percent([row["refused"] for row in unanswered])
    return {"summary": summary, "rows": rows, "unanswerable_rows": unanswered}


def sweep(questions: list[dict], documents: Path) -> list[dict[str, Any]]:
    """F1 on the split for each prior and λ, from one pass of the app (hybrid retrieval) whose reader's inputs are
    kept: the passages each question was given and each passage's candidate spans."""
    from skills.qa.model import SPANS_PER_PASSAGE
    from skills.registry import reading

    kept: list[tuple[dict, tuple, list, list]] = []
    with tempfile.TemporaryDirectory() as home:
        assistant = build_assistant(Path(home), documents, "hybrid", "phrases")
        qa = assistant.skills[reading("question").name]
        run = qa.run

        def keep(request):
            spans = [qa.answer_spans(request.text, p.text, top_k=SPANS_PER_PASSAGE) for p in request.passages]
            kept.append((gold, request.passages, spans, qa.evidence(request)))
            return run(request)

        qa.run = keep
        try:
            for gold in tqdm(questions, desc="sweep"):
                assistant.reply(f"/qa {gold['question']}", f"sweep-{gold['id']}")
        finally:
            assistant.close()
    results = []
    grid = [
        {"prior": prior, "retrieval_weight": weight, "type_weight": bonus, "overlap_weight": overlap}
        for prior, weights in SWEEP.items()
        for weight in weights
        for bonus in SWEEP_TYPE
        for overlap in SWEEP_OVERLAP
    ]
    for point in tqdm(grid, desc="grid"):
        rows = [_offline_row(g, p, s, e, replace(qa.reader, **point)) for g, p, s, e in kept]
        results.append({**point, "f1": percent([r["f1"] for r in rows])})
    plain_rows = [_offline_row(g, p, s, e, replace(qa.reader, mode="plain")) for g, p, s, e in kept]
    results.append(
        {"prior": "plain reader", "weight": 0.0, "type_weight": 0.0, "f1": percent([r["f1"] for r in plain_rows])}
    )
    return results


def _offline_row(gold: dict, passages, spans, evidence, config) -> dict[str, Any]:
    """A question scored from the pure reader's answer on kept inputs, as `score_reply` scores the app's."""
    from skills.qa.reader import read

    reading = read(gold["question"], passages, spans, config, evidence)
    data: dict[str, Any] = {}
    if reading is not None:
        text = passages[reading.passage].text
        data = {"answer": reading.answer, "yes_no": reading.yes_no.answer if reading.yes_no else None}
        if reading.yes_no is not None:
            data["evidence_sentence"] = {"text": text[slice(*reading.yes_no.sentence)]}
    reply = {"skill": "qa", "data": data, "rationale": {"skill": {}}}
    return score_reply(gold, reply, 0.0)


def report(result: dict[str, Any]) -> str:
    """Markdown tables: the systems side by side, then the first system per kind and per style."""
    systems = result["systems"]
    gate = "EXCHAT_KB_MIN_SCORE" if result.get("min_score") is None else f"{result['min_score']:g}"
    refusals = f"; {result['unanswerable']} with no answer in any document" if result.get("unanswerable") else ""
    lines = [
        f"Split **{result['split']}**: {result['questions']} questions over {result['documents']} documents"
        f"{refusals}; least cosine to answer from: {gate}.",
        "",
        "| system | recall@1 | recall@3 | EM | F1 | F1 without yes/no | yes/no right | yes/no evidence | undecided "
        "| answered by qa | no-answer refused | median ms | help ms | latency / help |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, block in systems.items():
        s = block["summary"]
        refused = s.get("unanswerable_refused")
        lines.append(
            f"| {name} | {s['recall@1']} | {s['recall@3']} | {s['em']} | {s['f1']} | {s['not_yes_no']['f1']} | "
            f"{s['yes_no_accuracy']} | {s['yes_no_evidence']} | {s['yes_no_undecided']} | {s['answered_by_qa']} | "
            f"{'–' if refused is None else refused} | {s['median_ms']} | {s['help_ms']} | {s['latency_ratio']} |"
        )
    for name, block in list(systems.items())[:1] + [(n, b) for n, b in systems.items() if "today" in n][:1]:
        for part in ("by_kind", "by_style"):
            lines += [
                "",
                f"{name}, {part.replace('_', ' ')}:",
                "",
                "| | n | recall@3 | EM | F1 |",
                "|---|---:|---:|---:|---:|",
            ]
            for key, b in block["summary"][part].items():
                lines.append(f"| {key} | {b['n']} | {b['recall@3']} | {b['em']} | {b['f1']} |")
    if result.get("sweep"):
        lines += sweep_lines(result["sweep"])
    return "\n".join(lines) + "\n"


def sweep_lines(results: list[dict[str, Any]], shown: int = 12) -> list[str]:
    """The sweep's best points (ties: smaller weights first), today's reader and every μ, ν at the best λ."""
    points = [r for r in results if "retrieval_weight" in r]
    order = sorted(points, key=lambda r: (-r["f1"], r["type_weight"], r["retrieval_weight"], r["overlap_weight"]))
    lines = ["", "Reader sweep (hybrid retrieval; F1 of the questions the reader was given), best first:", ""]
    lines += ["| prior | λ | μ | ν | F1 |", "|---|---:|---:|---:|---:|"]
    for r in order[:shown]:
        lines.append(
            f"| {r['prior']} | {r['retrieval_weight']:g} | {r['type_weight']:g} | {r['overlap_weight']:g} | {r['f1']} |"
        )
    lines += [f"| {r['prior']} | – | – | – | {r['f1']} |" for r in results if "retrieval_weight" not in r]
    best = order[0]
    lines += [
        "",
        f"At the best prior ({best['prior']}, λ {best['retrieval_weight']:g}), F1 by μ (rows) and ν (columns):",
    ]
    overlaps = sorted({r["overlap_weight"] for r in points})
    lines += ["", "| μ \\ ν | " + " | ".join(f"{o:g}" for o in overlaps) + " |", "|---|" + "---:|" * len(overlaps)]
    for bonus in sorted({r["type_weight"] for r in points}):
        cells = {
            r["overlap_weight"]: r["f1"]
            for r in points
            if (r["prior"], r["retrieval_weight"], r["type_weight"]) == (best["prior"], best["retrieval_weight"], bonus)
        }
        lines.append(f"| {bonus:g} | " + " | ".join(str(cells.get(o, "–")) for o in overlaps) + " |")
    return lines


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=sorted(SPLITS), default="heldout")
    parser.add_argument("--systems", nargs="+", choices=sorted(SYSTEMS), default=list(SYSTEMS), metavar="NAME")
    parser.add_argument("--sweep", action="store_true", help="choose the reader's prior and λ (dev split only)")
    parser.add_argument(
        "--min-score", type=float, help="the least cosine to answer from (default: EXCHAT_KB_MIN_SCORE)"
    )
    parser.add_argument("--json", type=Path, help="write the scores and every question's row here")
    parser.add_argument("--markdown", type=Path, help="write the tables here")
    args = parser.parse_args(argv)
    if args.sweep and args.split != "dev":
        parser.error("--sweep selects, so it runs on the dev split only; the held-out split reports")
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    folder = SPLITS[args.split]
    questions = read_jsonl(folder / "questions.jsonl")
    documents = folder / "docs"
    unanswerable = read_jsonl(folder / "unanswerable.jsonl") if (folder / "unanswerable.jsonl").exists() else []
    result: dict[str, Any] = {
        "split": args.split,
        "questions": len(questions),
        "documents": sum(1 for p in documents.iterdir() if p.suffix in (".md", ".txt")),
        "min_score": args.min_score,
        "unanswerable": len(unanswerable),
        "systems": {
            name: run_system(name, questions, documents, unanswerable, args.min_score) for name in args.systems
        },
    }
    if args.sweep:
        result["sweep"] = sweep(questions, documents)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    text = report(result)
    print(text)
    if args.markdown:
        args.markdown.write_text(text)
    return result


if __name__ == "__main__":
    main()
