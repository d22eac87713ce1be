"""Voice and pictures end to end (issue 19): the NER and sentiment skills on the same sentences typed, spoken
(espeak-ng, heard by the app's speech path) and shown as a rendered picture (read by the app's text path), each
through `Assistant.reply` with the skill's command, so routing plays no part: only what was heard or read differs.

    python -m bench.multimodal_turns --data ../shared/data [--split dev|report] [--sentences 30] [--json PATH]

The report split: NER on CoNLL-2003 eng.testb, sentiment on SST-2 dev.tsv; nothing is chosen on them. The dev split,
for choosing settings: eng.testa and the first sentences of SST-2 train.tsv (which the sentiment adapter learned
from: its typed score there is high, the spoken/typed ratio is what is compared). NER takes the first sentences of 6
to 20 tokens with at least one name; a name counts when its words (lower-cased, without punctuation or apostrophes:
nobody hears an apostrophe) and type are found, since a heard or read text has other offsets than the gold one.
Sentiment takes the first sentences of 6 to 25 words; accuracy. Latency: the mean seconds of a turn, the recognition
included, as a ratio to the typed turn. The target: spoken and pictured at least 90% of the typed score.

Two diagnostics say where spoken names are lost: "names heard", the gold names whose words occur in what was heard
(what a perfect NER could find at most), and "typed plain", the typed sentence lower-cased without punctuation (what
a recogniser that hears every word but no casing or punctuation would pass on). The JSON keeps every sentence: the
text, what was heard or read, the gold and found names or labels.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.multimodal import words
from bench.throwaway import throwaway_assistant
from skills.ner.data import bio_entities, read_conll
from skills.sentiment.data import read_sst_tsv
from skills.words import detokenize

WAYS = ("typed", "spoken", "picture", "typed plain")
SPLITS = {"dev": ("eng.testa", "train.tsv"), "report": ("eng.testb", "dev.tsv")}


def ner_items(data: Path, count: int, split: str = "report") -> list[tuple[str, set[tuple[str, str]]]]:
    items = []
    for sentence in read_conll(data / "conll2003" / SPLITS[split][0]):
        entities = bio_entities(sentence.tokens, sentence.tags)
        if 6 <= len(sentence.tokens) <= 20 and entities:
            items.append((detokenize(sentence.tokens), {name_key(e["text"], e["type"]) for e in entities}))
        if len(items) == count:
            break
    return items


def sentiment_items(data: Path, count: int, split: str = "report") -> list[tuple[str, str]]:
    texts = []
    for text in read_sst_tsv(data / "sst2" / SPLITS[split][1]):
        if 6 <= len(text.text.split()) <= 25:
            texts.append(text)
        if len(texts) == count:
            break
    return [(t.text, "positive" if t.label else "negative") for t in texts]


def name_key(text: str, kind: str) -> tuple[str, str]:
    return " ".join(words(text)).replace("'", ""), kind


def heard_names(gold: set[tuple[str, str]], heard: str) -> int:
    """How many of the gold names occur, as whole words, in the text heard (or read)."""
    padded = f" {name_key(heard, '')[0]} "
    return sum(f" {name} " in padded for name, _kind in gold)


def plain(text: str) -> str:
    """`text` as a recogniser that hears every word but no casing or punctuation would pass it on."""
    return " ".join(re.findall(r"[a-z0-9']+", text.lower()))


def f1(gold: list[set], found: list[set]) -> float:
    hits = sum(len(g & f) for g, f in zip(gold, found, strict=True))
    precision = hits / max(sum(len(f) for f in found), 1)
    recall = hits / max(sum(len(g) for g in gold), 1)
    return 0.0 if hits == 0 else 2 * precision * recall / (precision + recall)


def ask(assistant, command: str, text: str, way: str, folder: Path, session: str):
    """The reply to `text` sent `way` with `/command` typed, and its seconds (recognition included); None where the
    clip or picture was refused (no speech, no text)."""
    from core.errors import InputError

    media = {}
    if way == "spoken":
        clip = folder / "clip.wav"
        subprocess.run(["espeak-ng", "-s", "150", "-w", str(clip), text], check=True)
        media = {"audio": str(clip)}
    elif way == "picture":
        media = {"image": picture_bytes(_wrapped(text))}
    typed = {"typed": text, "typed plain": plain(text)}
    message = f"/{command} {typed[way]}" if way in typed else f"/{command}"
    started = time.perf_counter()
    try:
        reply = assistant.reply(message, session, **media)
    except InputError:
        return None, time.perf_counter() - started
    return reply, time.perf_counter() - started


def picture_bytes(lines: list[str], size: int = 22) -> bytes:
    """Black text on white in DejaVu Sans (PIL's own font where it is missing), as a PNG: a clean screenshot."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    try:
        font = ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        font = ImageFont.load_default(size=size)
    step = int(size * 1.4)
    picture = Image.new("RGB", (int(max(font.getlength(line) for line in lines)) + 30, step * len(lines) + 16), "white")
    draw = ImageDraw.Draw(picture)
    for i, line in enumerate(lines):
        draw.text((10, 8 + step * i), line, fill="black", font=font)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def _wrapped(text: str, width: int = 48) -> list[str]:
    """`text` in lines of about `width` characters, as a screenshot or a page shows it."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line]


def run(assistant, data: Path, count: int, split: str = "report") -> dict:
    results: dict = {"ner": {}, "sentiment": {}}
    ner, sentiment = ner_items(data, count, split), sentiment_items(data, count, split)
    rows: dict = {
        "ner": [{"text": text, "gold": sorted(gold)} for text, gold in ner],
        "sentiment": [{"text": text, "gold": label} for text, label in sentiment],
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for way in WAYS:
            found, seconds, heard = [], [], 0
            for i, (text, gold) in enumerate(ner):
                reply, took = ask(assistant, "ner", text, way, folder, f"bench-{way}-ner-{i}")
                entities = reply.data.get("entities", []) if reply is not None else []
                found.append({name_key(e["text"], e["type"]) for e in entities})
                seconds.append(took)
                got = _input_text(reply)
                heard += heard_names(gold, got or "")
                rows["ner"][i][way] = {"input": got, "found": sorted(found[-1])}
            results["ner"][way] = {"f1": round(100 * f1([g for _, g in ner], found), 1), "seconds": seconds}
            results["ner"][way]["names_heard"] = f"{heard}/{sum(len(g) for _, g in ner)}"
            right, seconds = 0, []
            for i, (text, label) in enumerate(sentiment):
                reply, took = ask(assistant, "sentiment", text, way, folder, f"bench-{way}-sentiment-{i}")
                answer = reply.data.get("label") if reply is not None else None
                right += answer == label
                seconds.append(took)
                rows["sentiment"][i][way] = {"input": _input_text(reply), "found": answer}
            results["sentiment"][way] = {"accuracy": round(100 * right / len(sentiment), 1), "seconds": seconds}
    for skill in ("ner", "sentiment"):
        typed = statistics.mean(results[skill]["typed"]["seconds"])
        for way in WAYS:
            results[skill][way]["latency_ratio"] = round(statistics.mean(results[skill][way].pop("seconds")) / typed, 1)
    results["split"] = split
    results["sentences"] = {"ner": len(ner), "sentiment": len(sentiment)}
    results["rows"] = rows
    return results


def _input_text(reply) -> str | None:
    """What the skill was given: the text heard or read (the typed text for a typed turn); None where refused."""
    if reply is None:
        return None
    reading = reply.rationale.input
    return reading.text if reading is not None else None


def markdown(results: dict) -> str:
    ways = ", ".join(WAYS)
    lines = [
        f"| skill | metric | {ways.replace(', ', ' | ')} | spoken / typed | picture / typed |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for skill, metric in (("ner", "f1"), ("sentiment", "accuracy")):
        scores = [results[skill][way][metric] for way in WAYS]
        ratios = [f"{100 * s / scores[0]:.0f}%" if scores[0] else "-" for s in scores[1:3]]
        lines.append(f"| {skill} | {metric} | {' | '.join(map(str, scores))} | {' | '.join(ratios)} |")
    heard = " | ".join(results["ner"][way]["names_heard"] for way in WAYS)
    lines.append(f"| ner | names heard or read | {heard} | | |")
    lines += ["", "| skill | latency typed | spoken | picture |", "|---|---|---|---|"]
    for skill in ("ner", "sentiment"):
        spoken, picture = (results[skill][way]["latency_ratio"] for way in ("spoken", "picture"))
        lines.append(f"| {skill} | 1.0 | {spoken} | {picture} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.multimodal_turns", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with conll2003/ and sst2/")
    parser.add_argument("--sentences", type=int, default=30, help="sentences per skill (default 30)")
    parser.add_argument(
        "--split", choices=sorted(SPLITS), default="report", help="dev: to choose settings on; report (default)"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    if shutil.which("espeak-ng") is None:
        parser.error("espeak-ng is needed (apt-get install espeak-ng)")
    with throwaway_assistant(torch_threads=1) as assistant:
        results = run(assistant, args.data, args.sentences, args.split)
    print(markdown(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
