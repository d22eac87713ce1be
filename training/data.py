"""Reading a skill's benchmark splits, from a folder or the hub, the same way for every skill.

Each skill's package says where its data lives and which file trains, selects and reports (`SkillSpec.data`,
following `../shared/data/README.md`) and how to read one (`skills/<name>/data.py`); selection never uses a report
split. Where a folder is expected, a Hugging Face hub data set name works too (`eriktks/conll2003`,
`stanfordnlp/sst2`, `rajpurkar/squad`, or `NAME:CONFIG` such as `nyu-mll/glue:sst2`), read with `datasets` into the
same examples; its splits are the spec's `hub_splits` (the hub's SQuAD `validation` is the whole official dev set,
not this project's article split of it).
"""

from __future__ import annotations

import random
from pathlib import Path

from skills.registry import DataSpec, get_skill

SELECT_FRACTION = 0.05  # SST-2 and our SQuAD split have no separate selection file: hold out part of train


def data_spec(skill: str) -> DataSpec:
    """Where `skill`'s benchmark lives; ValueError for a skill that trains nothing."""
    spec = get_skill(skill).spec
    if spec.data is None:
        raise ValueError(f"the {skill} skill has no training data (it has no adapter)")
    return spec.data


def is_hub_name(data: str | Path) -> bool:
    """A hub data set name rather than a local folder: not an existing folder, and not written as a path."""
    text = str(data)
    return not Path(text).is_dir() and not text.startswith((".", "/", "~"))


def read_hub(skill: str, name: str, split: str) -> list:
    """One split of a hub data set (`NAME` or `NAME:CONFIG`) as the skill's examples."""
    import datasets

    repo, _, config = name.partition(":")
    try:
        table = datasets.load_dataset(repo, config or None, split=split)
    except Exception as error:  # the hub client raises many types; all mean "not available here"
        raise ValueError(
            f"{name!r} is neither a local folder nor a data set the hub could provide ({type(error).__name__}: "
            f"{error}); offline, pass a folder such as ../shared/data/conll2003"
        ) from error
    return get_skill(skill).data.from_hub_rows(table, table.features)


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
        return read_hub(skill, str(data), data_spec(skill).hub_splits[split])
    return get_skill(skill).data.read_file(Path(data) / data_spec(skill).files[split])


def load_split(skill: str, data: str | Path, split: str, seed: int = 13) -> list:
    """Examples of `split` ("train", "select" or "report") for `skill` from a benchmark folder or hub name."""
    if split in data_spec(skill).files:
        return read_split(skill, data, split)
    if split != "select":
        raise ValueError(f"unknown split {split!r}; expected train, select or report")
    return _held_out_selection(skill, read_split(skill, data, "train"), seed)[1]


def training_examples(skill: str, data: str | Path, seed: int = 13) -> list:
    """The train split, minus the held-out selection part where the benchmark has no selection file."""
    examples = load_split(skill, data, "train")
    if "select" in data_spec(skill).files:
        return examples
    return _held_out_selection(skill, examples, seed)[0]


def extra_training_examples(skill: str, path: Path, data: str | Path, seed: int = 13) -> list:
    """Extra training examples (e.g. QA questions from `bench.synthetic_qa`) in the skill's file format, for the
    benchmark `data`. Refused when any shares its provenance (QA: article or paragraph) with the selection or report
    split: it would leak into the model choice or the reported score."""
    parts = get_skill(skill).data
    if not hasattr(parts, "provenance"):
        raise ValueError(f"the {skill} skill takes no extra training examples")
    extra = parts.read_file(path)
    held = load_split(skill, data, "select", seed) + load_split(skill, data, "report")
    seen = set().union(*(parts.provenance(e) for e in held))
    leaks = [e for e in extra if parts.provenance(e) & seen]
    if leaks:
        spec = data_spec(skill)
        first = sorted(parts.provenance(leaks[0]) & seen)[0][1]
        raise ValueError(
            f"{len(leaks)} of {len(extra)} {spec.item} in {path} come from selection or report {spec.unit} (first: "
            f"{first!r}); make extra {spec.item} from training {spec.unit} only"
        )
    return extra


def _held_out_selection(skill: str, train: list, seed: int) -> tuple[list, list]:
    """(train, select) for a skill whose benchmark has no selection file; both sides come from the same seed, and
    the skill's data part may narrow them (`selection_split`: SST-2 selects on whole sentences only)."""
    parts = get_skill(skill).data
    train, select = hold_out(train, SELECT_FRACTION, seed, getattr(parts, "selection_group", None))
    narrow = getattr(parts, "selection_split", None)
    return narrow(train, select) if narrow else (train, select)


def split_sources(skill: str, seed: int = 13, data: str | Path | None = None) -> dict[str, dict]:
    """Where each split is read from (and which part, for a held-out selection slice), for bundle.json."""
    hub = data is not None and is_hub_name(data)
    files = data_spec(skill).hub_splits if hub else data_spec(skill).files
    where = "hub_split" if hub else "file"
    sources = {split: {where: files.get(split, files["train"])} for split in ("train", "select", "report")}
    if hub:
        for source in sources.values():
            source["hub"] = str(data)
    if "select" not in files:
        spec = data_spec(skill)
        select = f"{SELECT_FRACTION:.0%} of the {spec.unit}, held out with seed {seed}"
        train = f"the other {1 - SELECT_FRACTION:.0%} of the {spec.unit}"
        sources["select"]["part"] = f"{select}: {spec.select_part}" if spec.select_part else select
        sources["train"]["part"] = f"{train}, {spec.train_part}" if spec.train_part else train
    return sources
