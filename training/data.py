"""Readers for the benchmark formats and the pure functions that turn examples into model features.

Formats: CoNLL-2003 columns (IOB1 tags, Tjong Kim Sang & De Meulder 2003), GLUE SST-2 TSV (Wang et al. 2018),
SQuAD v1.1 JSON (Rajpurkar et al. 2016). Which file trains, selects and reports is fixed per skill in
`SPLIT_FILES`, following `../shared/data/README.md`; selection never uses a report split.

Where a folder is expected, a Hugging Face hub data set name works too (`eriktks/conll2003`, `stanfordnlp/sst2`,
`rajpurkar/squad`, or `NAME:CONFIG` such as `nyu-mll/glue:sst2`), read with `datasets` in the same examples; its
splits are mapped in `HUB_SPLITS` (the hub's SQuAD `validation` is the whole official dev set, not this project's
article split of it).
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass
from pathlib import Path

from skills.ner import NER_LABELS

# skill -> its folder under the benchmark root (../shared/data).
DATA_FOLDERS: dict[str, str] = {"ner": "conll2003", "sentiment": "sst2", "qa": "squad-v1.1"}
# skill -> split -> file name inside the data folder. "select" is the split for early stopping/model choice.
SPLIT_FILES: dict[str, dict[str, str]] = {
    "ner": {"train": "eng.train", "select": "eng.testa", "report": "eng.testb"},
    "sentiment": {"train": "train.tsv", "report": "dev.tsv"},
    "qa": {"train": "dev-split-train.json", "report": "dev-split-test.json"},
}
# The same roles for the hub's copies of these data sets (split names as the hub publishes them).
HUB_SPLITS: dict[str, dict[str, str]] = {
    "ner": {"train": "train", "select": "validation", "report": "test"},
    "sentiment": {"train": "train", "report": "validation"},
    "qa": {"train": "train", "report": "validation"},
}
SELECT_FRACTION = 0.05  # SST-2 and our SQuAD split have no separate selection file: hold out part of train


@dataclass(frozen=True)
class TaggedSentence:
    tokens: list[str]
    tags: list[str]  # BIO (IOB2)


@dataclass(frozen=True)
class LabeledText:
    text: str
    label: int  # 0 negative, 1 positive


@dataclass(frozen=True)
class QAExample:
    id: str
    title: str
    question: str
    context: str
    answers: list[str]
    answer_starts: list[int]


def iob1_to_bio(tags: list[str]) -> list[str]:
    """CoNLL-2003's IOB1 (I- opens an entity unless it continues one of the same type) to BIO/IOB2."""
    bio: list[str] = []
    previous = "O"
    for tag in tags:
        if tag.startswith("I-") and (previous == "O" or previous[2:] != tag[2:]):
            bio.append("B-" + tag[2:])
        else:
            bio.append(tag)
        previous = tag
    return bio


def parse_conll(lines: list[str], tag_column: int = -1, iob1: bool = True) -> list[TaggedSentence]:
    """Sentences from CoNLL column lines; `-DOCSTART-` lines and blank (or whitespace-only) lines separate."""
    sentences: list[TaggedSentence] = []
    tokens: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if tokens:
            sentences.append(TaggedSentence(list(tokens), iob1_to_bio(tags) if iob1 else list(tags)))
        tokens.clear()
        tags.clear()

    for line in lines:
        columns = line.split()
        if not columns or columns[0] == "-DOCSTART-":
            flush()
            continue
        tokens.append(columns[0])
        tags.append(columns[tag_column])
    flush()
    return sentences


def read_conll(path: Path) -> list[TaggedSentence]:
    return parse_conll(Path(path).read_text(encoding="utf-8").splitlines())


def read_sst_tsv(path: Path) -> list[LabeledText]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [LabeledText(text.strip(), int(label)) for text, label in rows[1:]]


def read_squad(path: Path) -> list[QAExample]:
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    examples = []
    for article in raw["data"]:
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                examples.append(
                    QAExample(
                        id=qa["id"],
                        title=article["title"],
                        question=qa["question"],
                        context=paragraph["context"],
                        answers=[a["text"] for a in qa["answers"]],
                        answer_starts=[a["answer_start"] for a in qa["answers"]],
                    )
                )
    return examples


def is_hub_name(data: str | Path) -> bool:
    """A hub data set name rather than a local folder: not an existing folder, and not written as a path."""
    text = str(data)
    return not Path(text).is_dir() and not text.startswith((".", "/", "~"))


def from_hub_rows(skill: str, rows, tag_names: list[str] | None = None) -> list:
    """The hub's rows (dicts, as `datasets` yields them) as this module's examples.

    NER rows have `tokens` and `ner_tags` (class ids into `tag_names`, already BIO on the hub); sentiment rows
    `sentence` and `label`; QA rows SQuAD's fields with `answers` as {"text": [...], "answer_start": [...]}.
    """
    if skill == "ner":
        if tag_names is None:
            raise ValueError("NER rows need the tag names of their ner_tags")
        return [TaggedSentence(list(r["tokens"]), [tag_names[t] for t in r["ner_tags"]]) for r in rows]
    if skill == "sentiment":
        return [LabeledText(r["sentence"].strip(), int(r["label"])) for r in rows if int(r["label"]) in (0, 1)]
    if skill == "qa":
        return [
            QAExample(
                id=str(r["id"]),
                title=r["title"],
                question=r["question"],
                context=r["context"],
                answers=list(r["answers"]["text"]),
                answer_starts=[int(a) for a in r["answers"]["answer_start"]],
            )
            for r in rows
        ]
    raise ValueError(f"unknown skill {skill!r}")


def read_hub(skill: str, name: str, split: str) -> list:
    """One split of a hub data set (`NAME` or `NAME:CONFIG`) as this module's examples."""
    import datasets

    repo, _, config = name.partition(":")
    try:
        table = datasets.load_dataset(repo, config or None, split=split)
    except Exception as error:  # the hub client raises many types; all mean "not available here"
        raise ValueError(
            f"{name!r} is neither a local folder nor a data set the hub could provide ({type(error).__name__}: "
            f"{error}); offline, pass a folder such as ../shared/data/conll2003"
        ) from error
    tag_names = table.features["ner_tags"].feature.names if skill == "ner" else None
    return from_hub_rows(skill, table, tag_names)


def hold_out(items: list, fraction: float, seed: int, group=None) -> tuple[list, list]:
    """Split `items` into (train, select); with `group`, whole groups (e.g. SQuAD articles) go to one side."""
    rng = random.Random(seed)
    if group is None:
        shuffled = list(items)
        rng.shuffle(shuffled)
        cut = max(1, int(len(shuffled) * fraction))
        return shuffled[cut:], shuffled[:cut]
    groups = sorted({group(item) for item in items})
    rng.shuffle(groups)
    chosen = set(groups[: max(1, round(len(groups) * fraction))])
    return [i for i in items if group(i) not in chosen], [i for i in items if group(i) in chosen]


def read_split(skill: str, data: str | Path, split: str) -> list:
    """A split that the data set has itself (a file of the folder, or a split on the hub)."""
    if is_hub_name(data):
        return read_hub(skill, str(data), HUB_SPLITS[skill][split])
    reader = {"ner": read_conll, "sentiment": read_sst_tsv, "qa": read_squad}[skill]
    return reader(Path(data) / SPLIT_FILES[skill][split])


def load_split(skill: str, data: str | Path, split: str, seed: int = 13) -> list:
    """Examples of `split` ("train", "select" or "report") for `skill` from a benchmark folder or hub name."""
    if split in SPLIT_FILES[skill]:
        return read_split(skill, data, split)
    if split != "select":
        raise ValueError(f"unknown split {split!r}; expected train, select or report")
    return _held_out_selection(skill, read_split(skill, data, "train"), seed)[1]


def training_examples(skill: str, data: str | Path, seed: int = 13) -> list:
    """The train split, minus the held-out selection part where the benchmark has no selection file."""
    examples = load_split(skill, data, "train")
    if "select" in SPLIT_FILES[skill]:
        return examples
    return _held_out_selection(skill, examples, seed)[0]


def extra_qa_examples(path: Path, data: str | Path, seed: int = 13) -> list[QAExample]:
    """Extra training questions (SQuAD JSON, e.g. from `training.synthetic_qa`) for the QA benchmark `data`.
    Refused when any comes from an article or paragraph of its selection or report split: it would leak into the
    model choice or the reported score."""
    extra = read_squad(path)
    held = load_split("qa", data, "select", seed) + load_split("qa", data, "report")
    titles, contexts = {e.title for e in held}, {e.context for e in held}
    leaks = [e for e in extra if e.title in titles or e.context in contexts]
    if leaks:
        raise ValueError(
            f"{len(leaks)} of {len(extra)} questions in {path} come from selection or report articles (first: "
            f"{leaks[0].title!r}); make extra questions from training articles only"
        )
    return extra


def _held_out_selection(skill: str, train: list, seed: int) -> tuple[list, list]:
    """(train, select) for a skill whose benchmark has no selection file; both sides come from the same seed."""
    group = (lambda ex: ex.title) if skill == "qa" else None  # SQuAD: whole articles on one side
    return hold_out(train, SELECT_FRACTION, seed, group)


def split_sources(skill: str, seed: int = 13, data: str | Path | None = None) -> dict[str, dict]:
    """Where each split is read from (and which part, for a held-out selection slice), for bundle.json."""
    hub = data is not None and is_hub_name(data)
    files = HUB_SPLITS[skill] if hub else SPLIT_FILES[skill]
    where = "hub_split" if hub else "file"
    sources = {split: {where: files.get(split, files["train"])} for split in ("train", "select", "report")}
    if hub:
        for source in sources.values():
            source["hub"] = str(data)
    if "select" not in files:
        unit = "articles" if skill == "qa" else "examples"
        sources["select"]["part"] = f"{SELECT_FRACTION:.0%} of the {unit}, held out with seed {seed}"
        sources["train"]["part"] = f"the other {1 - SELECT_FRACTION:.0%} of the {unit}"
    return sources


def align_word_labels(word_ids: list[int | None], word_tags: list[str], ignore: int = -100) -> list[int]:
    """Label each word's first sub-token with its tag id; other sub-tokens and specials get `ignore`."""
    label_ids = []
    previous = None
    for word_id in word_ids:
        if word_id is None or word_id == previous:
            label_ids.append(ignore)
        else:
            label_ids.append(NER_LABELS.index(word_tags[word_id]))
        previous = word_id
    return label_ids
