"""The correction memory through the app: does a corrected input asked again get the correction, do near-duplicates,
do unrelated inputs stay clear of it, and what does it cost a turn? Every message goes through `Assistant.reply`.

    python -m bench.memory_corrections [--split heldout|dev] [--json FILE]
    python -m bench.memory_corrections --split dev --sweep      # the similarity threshold (dev only)

The sets (bench/data/memory/, README there): per corrected input (NER, sentiment, QA with its passage) the same text,
a surface variant (case, punctuation, spacing), a near-duplicate (one or two words changed, the same answer) and
unrelated inputs (another text on the topic, or another topic); "contrast" rows change one word and the answer.

One throw-away home per run. For each corrected input, its own session asks it and corrects the answer as a user
would (NER: the first name found gets another type, or a missed word is added; sentiment: the other label; QA: the
whole sentence around the answer), then asks every variant; a hit is a reply whose explanation says the memory
answered (`rationale.skill["memory"]`), a name lexicon's answer counted apart. Then another session asks the same text
(it must not see one session's correction), a second session makes the same correction, and a third asks (it must).

Time: with every correction stored, each variant is asked with the memory and without it (the same Assistant, its
`memory` set to None), alternately, and "what can you do?" help turns between them; reported as the median seconds
the memory adds to a turn (and the time inside `CorrectionMemory.answer`) over the median help turn of the same run.
The sweep embeds each pair once and reports hits and false hits per threshold (near-duplicates also need at most
`MAX_CHANGED_WORDS` changed words).
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from training.request_data import read_jsonl

log = logging.getLogger(__name__)
SPLITS = {split: Path(__file__).parent / "data" / "memory" / f"{split}.jsonl" for split in ("heldout", "dev")}
TYPES = ("PER", "ORG", "LOC", "MISC")
HELP = "what can you do?"
ROUNDS = 2  # timing rounds over every variant
SWEEP = (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def message(row: dict[str, Any], text: str) -> str:
    """What a user types to ask `text` of the row's skill."""
    if row["skill"] == "qa":
        return f"Context: {row['passage']} Question: {text}"
    return f"/{row['skill']} {text}"


def correction_for(row: dict[str, Any], reply) -> str:
    """A correction that changes the reply, as a user would write it (module docstring)."""
    data = reply.data
    if row["skill"] == "ner":
        if data["entities"]:
            first = data["entities"][0]
            other = TYPES[(TYPES.index(first["type"]) + 1) % len(TYPES)]
            return f"{first['text']}={other}"
        word = max(data["text"].split(), key=len).strip(".,!?")
        return f"{word}=MISC"
    if row["skill"] == "sentiment":
        return "positive" if data["label"] == "negative" else "negative"
    sentences = row["passage"].split(". ")
    sentence = next((s for s in sentences if data["span_text"] in s), sentences[0])
    return sentence if sentence != data["span_text"] else sentences[-1]


def memory_match(reply) -> str | None:
    note = reply.rationale.skill.get("memory")
    return note["match"] if note else None


def run(split: str) -> dict[str, Any]:
    from chatbot.assistant import Assistant
    from core.config import AppConfig
    from core.errors import InputError

    rows = read_jsonl(SPLITS[split])
    corrected = list(dict.fromkeys((r["skill"], r["corrected"]) for r in rows))
    first_row = {(r["skill"], r["corrected"]): r for r in rows}
    with tempfile.TemporaryDirectory() as home:
        assistant = Assistant.from_config(AppConfig.from_env(environ={}, home=Path(home)))
        outcomes: dict[str, list[str | None]] = defaultdict(list)
        remember_seconds, refused = [], []
        for n, key in enumerate(tqdm(corrected, desc="corrections")):
            row = first_row[key]
            reply = assistant.reply(message(row, row["corrected"]), f"user-{n}")
            started = time.perf_counter()
            try:
                assistant.rate(reply.turn_id, correction=correction_for(row, reply))
            except InputError as error:
                refused.append(f"{row['corrected']}: {error}")
                continue
            remember_seconds.append(time.perf_counter() - started)
            for variant in (r for r in rows if (r["skill"], r["corrected"]) == key):
                outcomes[variant["kind"]].append(
                    memory_match(assistant.reply(message(row, variant["asked"]), f"user-{n}"))
                )
            outcomes["other session, one correction"].append(
                memory_match(assistant.reply(message(row, row["corrected"]), "stranger"))
            )
            second = assistant.reply(message(row, row["corrected"]), f"second-{n}")
            assistant.rate(second.turn_id, correction=correction_for(row, second))
            outcomes["other session, confirmed"].append(
                memory_match(assistant.reply(message(row, row["corrected"]), "stranger"))
            )
        timing = time_turns(assistant, rows)
        entries = len(assistant.memory.entries())
        assistant.close()
    rates = {
        kind: {
            "asked": len(found),
            "hits": sum(m in ("same text", "similar text") for m in found),
            "lexicon": sum(m == "lexicon" for m in found),
        }
        for kind, found in outcomes.items()
    }
    return {
        "split": split,
        "corrected inputs": len(corrected),
        "entries stored": entries,
        "rates": rates,
        "refused corrections": refused,
        "remember seconds (median)": round(statistics.median(remember_seconds), 4),
        "time": timing,
    }


def time_turns(assistant, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Median seconds per turn with and without the memory, the time inside it, and a help turn (module docstring)."""
    memory = assistant.memory
    inside: list[float] = []
    answer = memory.answer

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return answer(*args, **kwargs)
        finally:
            inside.append(time.perf_counter() - started)

    memory.answer = timed
    with_memory, without, helps = [], [], []
    for _ in range(ROUNDS):
        for n, row in enumerate(rows):
            for on in (n % 2 == 0, n % 2 == 1):  # alternate which goes first
                assistant.memory = memory if on else None
                started = time.perf_counter()
                assistant.reply(message(row, row["asked"]), "timing")
                (with_memory if on else without).append(time.perf_counter() - started)
            started = time.perf_counter()
            assistant.reply(HELP, "timing")
            helps.append(time.perf_counter() - started)
    assistant.memory = memory
    del memory.answer
    help_turn = statistics.median(helps)
    added = statistics.median(with_memory) - statistics.median(without)
    return {
        "turns": len(with_memory),
        "help turn s": round(help_turn, 4),
        "turn with memory s": round(statistics.median(with_memory), 4),
        "turn without memory s": round(statistics.median(without), 4),
        "added s (difference of medians)": round(added, 4),
        "added / help turn": round(added / help_turn, 4),
        "inside memory.answer s (median)": round(statistics.median(inside), 6),
        "inside memory.answer s (mean)": round(statistics.fmean(inside), 6),
        "inside / help turn (mean)": round(statistics.fmean(inside) / help_turn, 4),
    }


def sweep(split: str) -> list[dict[str, Any]]:
    """Hits on near-duplicates and false hits elsewhere for each threshold: the embedding of each pair once."""
    from chatbot.memory import MAX_CHANGED_WORDS, changed_words, normalised
    from skills.encoder import SharedEncoder

    rows = [r for r in read_jsonl(SPLITS[split]) if normalised(r["asked"]) != normalised(r["corrected"])]
    encoder = SharedEncoder()
    similarity = np.sum(encoder.embed([r["corrected"] for r in rows]) * encoder.embed([r["asked"] for r in rows]), 1)
    words = [changed_words(normalised(r["corrected"]), normalised(r["asked"])) for r in rows]
    table = []
    for threshold in SWEEP:
        line: dict[str, Any] = {"threshold": threshold}
        for kind in ("near", "unrelated", "contrast"):
            mine = [i for i, r in enumerate(rows) if r["kind"] == kind]
            hits = sum(similarity[i] >= threshold and words[i] <= MAX_CHANGED_WORDS for i in mine)
            cosine_only = sum(similarity[i] >= threshold for i in mine)
            line[kind] = f"{hits}/{len(mine)} (cosine alone {cosine_only})"
        table.append(line)
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=sorted(SPLITS), default="heldout")
    parser.add_argument("--sweep", action="store_true", help="hits per similarity threshold (dev only)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.sweep and args.split != "dev":
        parser.error("the threshold is chosen on the dev split: add --split dev")
    result: Any = sweep(args.split) if args.sweep else run(args.split)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
