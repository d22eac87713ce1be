"""How well the bot understands what people type: the hand-written request sets (bench/data/understanding/) sent
through the `Assistant` API, scored on the skill, the kind of turn and the spans it read.

    python -m bench.understanding [--split heldout|dev] [--json docs/understanding.json] [--markdown FILE]

Every message goes through `Assistant.reply` on a throw-away home whose knowledge base holds the set's own
documents (`kb/`), single messages each in a new session, dialogues turn by turn in one session. A turn is right when
its skill is right and it read the right thing: the text to analyse (new text, or the previous turn's for a
follow-up), the passage and question in the message, the passage pasted earlier, the knowledge-base document the
answer is in, a passage kept, or help. Beside the app, a keyword-rule baseline picks a skill for the single messages
(no spans), so the figures have a floor. The held-out split is reported and never tuned on; dev selects.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import tempfile
import time
from collections import Counter
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from bench.kb import floor_of
from skills.qa.evaluate import squad_f1
from training.request_data import read_jsonl

log = logging.getLogger(__name__)
DATA = Path(__file__).parent / "data" / "understanding"
SKILLS = ("ner", "sentiment", "qa", "help")
CHOSEN = (*SKILLS, "asked")  # "asked": a clarifying question instead of an answer


@dataclass(frozen=True)
class Observed:
    """What the app did with one turn, in the terms the gold labels use."""

    skill: str
    kind: str  # new_text | followup_text | passage_question | pending_passage_question | kb_question | ...
    text: str | None  # what an analysing skill read
    passage: str | None  # the passage a QA answer came from
    question: str | None
    document: str | None  # the knowledge-base document a QA answer came from
    answer: str | None
    seconds: float
    probability: float | None = None  # the request model's probability for its reading, where it read
    floor: float | None = None  # the score a knowledge-base answer was held to the reader's floor with (bench.kb)


def observe(reply: dict[str, Any], seconds: float) -> Observed:
    """The app's reply (`Reply.to_dict()`) as what it did: which skill, on what."""
    skill, data = reply["skill"], reply["data"]
    evidence = (reply["rationale"].get("skill") or {}).get("evidence") or {}
    source = evidence.get("source")
    if data.get("kind") == "clarify":
        kind = "clarify"
    elif skill == "help":
        kind = "passage_keep" if data.get("kind") == "passage_saved" else "help"
    elif skill == "qa":
        kinds = {"message": "passage_question", "conversation": "pending_passage_question"}
        kind = kinds.get(source, "kb_question")
    else:
        kind = "analysis"  # new text or a follow-up: told apart by what it read (score_turn)
    return Observed(
        skill=skill,
        kind=kind,
        text=data.get("text") if skill in ("ner", "sentiment") else None,
        passage=evidence.get("text"),
        question=data.get("question"),
        document=source[3:] if isinstance(source, str) and source.startswith("kb:") else None,
        answer=data.get("answer"),
        seconds=seconds,
        probability=(reply["rationale"]["route"].get("request") or {}).get("probability"),
        floor=floor_of(reply),
    )


def same(a: str | None, b: str | None) -> bool:
    """Spans compared as a reader would: surrounding whitespace and quotes do not count."""
    strip = " \t\n\"'“”‘’«»`"
    return a is not None and b is not None and a.strip(strip) == b.strip(strip)


def previous_text(earlier: list[dict[str, Any]]) -> str | None:
    """The text a follow-up refers to: the last earlier turn's text to analyse, or its passage."""
    for turn in reversed(earlier):
        if turn.get("text") or turn.get("passage"):
            return turn.get("text") or turn.get("passage")
    return None


def score_turn(gold: dict[str, Any], seen: Observed, earlier: list[dict[str, Any]]) -> dict[str, Any]:
    """Whether one turn was understood: its skill, and what it read (see the module docstring). `earlier` holds the
    dialogue's previous gold turns."""
    kind = gold["kind"]
    if kind == "new_text":
        read = same(seen.text, gold["text"])
    elif kind == "followup_text":
        read = same(seen.text, previous_text(earlier))
    elif kind == "passage_question":
        read = seen.kind == kind and same(seen.passage, gold["passage"]) and same(seen.question, gold["question"])
    elif kind == "pending_passage_question":
        pasted = earlier[gold["passage_turn"]]
        read = same(seen.passage, pasted.get("passage") or pasted.get("text"))  # a passage, or a text analysed
    elif kind == "kb_question":
        read = seen.document == gold["document"]
    else:  # passage_keep, help
        read = seen.kind == kind
    spans = {}
    if kind == "new_text":
        spans["text"] = same(seen.text, gold["text"])
    if kind == "passage_question":
        spans["passage"] = same(seen.passage, gold["passage"])
    if kind in ("passage_question", "kb_question", "pending_passage_question") and gold.get("question"):
        spans["question"] = same(seen.question, gold["question"])
    answer_f1 = squad_f1(seen.answer or "", gold["answer"]) if gold.get("answer") and seen.skill == "qa" else None
    read_spans = {"text": seen.text, "passage": seen.passage, "question": seen.question}
    return {
        "skill_right": seen.skill == gold["skill"],
        "turn_right": seen.skill == gold["skill"] and read,
        "spans": spans,
        "misread": {name: read_spans[name] for name, right in spans.items() if not right},  # what to look at next
        "answer_f1": answer_f1,
        "gold": gold["skill"],
        "seen": seen.skill,
        "kind": kind,
        "seconds": seen.seconds,
        "probability": seen.probability,
        "floor": seen.floor,
        "hard": bool(gold.get("hard")),
    }


KEYWORDS = {
    "ner": r"\b(names?|who|people|persons?|entit|companies|company|organi[sz]ations?|places?|locations?|mentioned)\b",
    "sentiment": r"\b(sentiment|positive|negative|tone|mood|feel|opinion|happy|angry|good or bad|review)\b",
    "qa": r"(\?|\b(what|when|where|which|how|why|whats|when's|where's)\b)",
    "help": r"\b(hi|hello|hey|thanks|thank|bye|help|can you|who are you)\b",
}


def keyword_skill(message: str) -> str:
    """The baseline: the first skill (in this order) one of whose keywords occurs; help otherwise."""
    for skill in ("help", "sentiment", "ner", "qa"):
        if re.search(KEYWORDS[skill], message, re.I):
            return skill
    return "help"


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Accuracies, span exact match, answer F1 and the skill confusion matrix of scored turns."""
    if not rows:
        return {"n": 0}
    spans = Counter()
    span_right = Counter()
    for row in rows:
        for name, right in row["spans"].items():
            spans[name] += 1
            span_right[name] += right
    f1s = [row["answer_f1"] for row in rows if row["answer_f1"] is not None]
    confusion = {g: {s: 0 for s in CHOSEN} for g in SKILLS}
    for row in rows:
        seen = "asked" if row["seen"] == "clarify" else row["seen"] if row["seen"] in SKILLS else "help"
        confusion[row["gold"]][seen] += 1
    all_spans = sum(spans.values())
    return {
        "n": len(rows),
        "skill_accuracy": percent(sum(r["skill_right"] for r in rows), len(rows)),
        "turn_accuracy": percent(sum(r["turn_right"] for r in rows), len(rows)),
        "span_exact_match": percent(sum(span_right.values()), all_spans) if all_spans else None,
        "span_exact_match_by_kind": {k: percent(span_right[k], spans[k]) for k in sorted(spans)},
        "answer_f1": round(100 * sum(f1s) / len(f1s), 2) if f1s else None,
        "hard_turn_accuracy": percent(sum(r["turn_right"] for r in rows if r["hard"]), sum(r["hard"] for r in rows)),
        "by_kind": {
            kind: percent(sum(r["turn_right"] for r in rows if r["kind"] == kind), count)
            for kind, count in sorted(Counter(r["kind"] for r in rows).items())
        },
        "confusion": confusion,
        "clarify_rate": percent(sum(r["seen"] == "clarify" for r in rows), len(rows)),
        "mean_ms": round(1000 * sum(r["seconds"] for r in rows) / len(rows), 1),
        "help_ms": mean_ms([r for r in rows if r["seen"] == "help" and r["gold"] == "help"]),
    }


def mean_ms(rows: list[dict[str, Any]]) -> float | None:
    return round(1000 * sum(r["seconds"] for r in rows) / len(rows), 1) if rows else None


def threshold_table(rows: list[dict[str, Any]], thresholds: tuple[float, ...] = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)):
    """For a run that never asked (threshold 0): at each threshold, the share of turns the bot would ask about and
    the turn accuracy of those it would answer. The threshold is chosen on dev from this, never on held-out."""
    read = [r for r in rows if r["probability"] is not None]
    table = []
    for threshold in thresholds:
        answered = [r for r in read if r["probability"] >= threshold]
        table.append(
            {
                "threshold": threshold,
                "asks": percent(len(read) - len(answered), len(read)),
                "answered_turn_accuracy": percent(sum(r["turn_right"] for r in answered), len(answered)),
            }
        )
    return table


def percent(right: int, total: int) -> float | None:
    return round(100 * right / total, 2) if total else None


def run(assistant, messages: list[dict], dialogues: list[dict]) -> tuple[list[dict], list[dict]]:
    """Every single message in its own session and every dialogue in one; the scored rows of each."""
    singles = []
    for gold in tqdm(messages, desc="messages"):
        singles.append(score_turn(gold, ask(assistant, gold["message"], f"single-{gold['id']}"), []))
    turns = []
    for dialogue in tqdm(dialogues, desc="dialogues"):
        for i, gold in enumerate(dialogue["turns"]):
            seen = ask(assistant, gold["message"], f"dialogue-{dialogue['id']}")
            turns.append({**score_turn(gold, seen, dialogue["turns"][:i]), "dialogue": dialogue["id"], "turn": i})
    return singles, turns


def ask(assistant, message: str, session: str) -> Observed:
    from core.errors import InputError

    started = time.perf_counter()
    try:
        reply = assistant.reply(message, session).to_dict()
    except InputError as error:  # a refused message reads nothing
        return Observed("refused", "refused", None, None, None, None, str(error), time.perf_counter() - started)
    return observe(reply, time.perf_counter() - started)


def build_assistant(
    home: Path,
    documents: Path | None,
    request_model: Path | None,
    threshold: float | None = None,
    adapters_in_use: dict[str, Path] | None = None,
):
    """An Assistant on a throw-away home whose knowledge base holds `documents` (None: empty); with `request_model`
    (a bundle folder) beside the released adapters, the planner follows that model; `adapters_in_use` replaces
    released adapters by other bundles (skill -> folder)."""
    from chatbot.assistant import REQUEST_MODEL, Assistant
    from core.config import REPO_ROOT, AppConfig
    from skills.registry import skill_names

    adapters = home / "adapters"
    adapters.mkdir()
    for name in skill_names(trainable=True):
        (adapters / name).symlink_to((adapters_in_use or {}).get(name, REPO_ROOT / "adapters" / name).resolve())
    if request_model is not None:
        (adapters / REQUEST_MODEL).symlink_to(request_model.resolve())
    empty = home / "no-default-docs"
    empty.mkdir()
    overrides = {} if threshold is None else {"request_threshold": threshold}
    config = AppConfig.from_env(home=home, default_docs=empty, adapters=str(adapters), **overrides)
    assistant = Assistant.from_config(config)
    if documents is not None:
        assistant.knowledge.add_paths(sorted(p for p in documents.iterdir() if p.suffix in (".md", ".txt")))
    return assistant


@contextmanager
def without_context():
    """The ablation: the request model reads every message as if the conversation were empty (and without its
    knowledge match, which is context too)."""
    import chatbot.assistant
    from skills.request.generate import Context

    kept = chatbot.assistant.request_context
    chatbot.assistant.request_context = lambda state, kb_score=None: Context()
    try:
        yield
    finally:
        chatbot.assistant.request_context = kept


def run_system(name: str, args, messages, dialogues) -> dict[str, Any]:
    model = None if name == RULES else args.request_model
    with tempfile.TemporaryDirectory() as home:
        assistant = build_assistant(Path(home), args.data / "kb", model, args.request_threshold)
        try:
            with without_context() if name == NO_CONTEXT else nullcontext():
                singles, turns = run(assistant, messages, dialogues)
        finally:
            assistant.close()
    return {"single": singles, "dialogue": turns}


def report(result: dict[str, Any]) -> str:
    """Markdown tables of a run: each system and the keyword baseline, per-kind accuracy, the confusion matrices."""
    systems, baseline = result["systems"], result["keyword_single"]
    first = next(iter(systems.values()))
    lines = [
        f"Split **{result['split']}**: {first['single']['n']} single messages, {first['dialogue']['n']} dialogue "
        f"turns ({result['dialogues']} dialogues).",
        "",
        "| system | skill accuracy (single) | turn accuracy (single) | dialogue-turn accuracy | span exact match "
        "| QA answer F1 | asks (single) | mean ms/turn | help turn ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, block in systems.items():
        single, dialogue = block["single"], block["dialogue"]
        lines.append(
            f"| {name} | {single['skill_accuracy']} | {single['turn_accuracy']} | {dialogue['turn_accuracy']} | "
            f"{single['span_exact_match']} | {single['answer_f1']} | {single['clarify_rate']} | {single['mean_ms']} | "
            f"{single['help_ms']} |"
        )
    lines += [f"| keyword rules (skill only) | {baseline['skill_accuracy']} | – | – | – | – | – | – | – |", ""]
    for name, block in systems.items():
        single, dialogue = block["single"], block["dialogue"]
        lines += [f"Turn accuracy by kind, {name} (single / dialogue):", "", "| kind | single | dialogue |"]
        lines.append("|---|---:|---:|")
        for kind in sorted(set(single["by_kind"]) | set(dialogue["by_kind"])):
            lines.append(f"| {kind} | {single['by_kind'].get(kind, '–')} | {dialogue['by_kind'].get(kind, '–')} |")
        for part, scores in (("single messages", single), ("dialogue turns", dialogue)):
            header = "| gold \\ chosen | " + " | ".join(CHOSEN) + " |"
            lines += ["", f"Skill confusion, {name}, {part} (rows gold, columns chosen):", "", header]
            lines.append("|---|" + "---:|" * len(CHOSEN))
            for gold in SKILLS:
                lines.append(f"| **{gold}** | " + " | ".join(str(scores["confusion"][gold][s]) for s in CHOSEN) + " |")
        lines.append("")
    for name, table in result.get("thresholds", {}).items():
        lines += [
            f"If {name} asked below a threshold (all turns):",
            "",
            "| threshold | asks | turn accuracy answered |",
        ]
        lines.append("|---:|---:|---:|")
        lines += [f"| {r['threshold']} | {r['asks']} | {r['answered_turn_accuracy']} |" for r in table]
        lines.append("")
    return "\n".join(lines) + "\n"


RULES, MODEL, NO_CONTEXT = "rules (nearest-example router)", "request model", "request model, no context"


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=["heldout", "dev"], default="heldout")
    parser.add_argument("--data", type=Path, default=DATA, help="folder with the request sets and kb/")
    parser.add_argument("--request-model", type=Path, help="a request-model bundle: also run it, and without context")
    parser.add_argument(
        "--request-threshold",
        type=float,
        help="the request model's threshold (default: EXCHAT_REQUEST_THRESHOLD); 0 never asks, for the dev sweep",
    )
    parser.add_argument(
        "--model-only",
        action="store_true",
        help="run the request model alone (no rules, no ablation): a quicker dev comparison of bundles or settings",
    )
    parser.add_argument("--json", type=Path, help="write the scores and every turn's row here")
    parser.add_argument("--markdown", type=Path, help="write the tables here")
    args = parser.parse_args(argv)
    if args.model_only and not args.request_model:
        parser.error("--model-only needs --request-model")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    messages = read_jsonl(args.data / f"{args.split}_messages.jsonl")
    dialogues = read_jsonl(args.data / f"{args.split}_dialogues.jsonl")
    names = [MODEL] if args.model_only else [RULES] + ([MODEL, NO_CONTEXT] if args.request_model else [])
    rows = {name: run_system(name, args, messages, dialogues) for name in names}
    first = rows[names[0]]["single"]
    baseline = [
        {**row, "seen": keyword_skill(gold["message"]), "skill_right": keyword_skill(gold["message"]) == gold["skill"]}
        for row, gold in zip(first, messages, strict=True)
    ]
    result = {
        "split": args.split,
        "dialogues": len(dialogues),
        "systems": {name: {part: summarise(r) for part, r in block.items()} for name, block in rows.items()},
        "keyword_single": summarise(baseline),
        "thresholds": {
            name: threshold_table(block["single"] + block["dialogue"]) for name, block in rows.items() if name != RULES
        },
        "rows": rows,
    }
    text = report(result)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    if args.markdown:
        args.markdown.write_text(text)
    return result


if __name__ == "__main__":
    main()
