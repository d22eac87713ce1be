"""The example index shipped with an adapter bundle (`skills/examples.py`): which examples, with which labels.

`training.train` builds it from the run's training examples; `training.retrain` gives a candidate its parent's
index plus the candidate's accepted feedback examples. For a bundle trained before indexes existed:

    python -m training.example_index --skill ner --data ../shared/data/conll2003 --adapter adapters/ner

adds one without retraining, from the same training split `training.train` used (same seed and `--limit`).

Labels in the skill's terms: NER the sentence's entities [{"text", "type"}] from its gold BIO tags, sentiment
"positive"/"negative", QA the question's answer and its article title. Very large training sets (SST-2 has 64k
phrases) are capped by a seeded sample, recorded in bundle.json, so a bundle stays a few MB.
"""

from __future__ import annotations

import argparse
import logging
import random
import shlex
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from tqdm import tqdm

from skills.encoder import BundleInfo, SharedEncoder
from skills.examples import Embed, ExampleIndex
from skills.registry import get_skill, skill_names
from training import data as datasets
from training.model_card import EXAMPLE_INDEX_PREFIX, example_index_line

if TYPE_CHECKING:
    from training.feedback import FeedbackExample

log = logging.getLogger(__name__)

MAX_EXAMPLES = 30_000  # about 1.5 MB of PQ codes and 1 MB of gzipped text
EMBED_BATCH = 512


def example_record(skill: str, example: Any, source: str = "training") -> dict[str, Any]:
    """A benchmark example as an index record {"text", "label", "source"}: what the skill reads, and its gold."""
    return {**get_skill(skill).data.example_record(example), "source": source}


def feedback_record(example: FeedbackExample) -> dict[str, Any]:
    """An accepted (gold or silver) feedback example as an index record, in the user's own text."""
    if example.label is None:
        raise ValueError(f"a {example.kind} feedback record has no label to show")
    label = get_skill(example.skill).feedback.shown_label(example.label)
    return {"text": example.question or example.text, "label": label, "source": "feedback"}


def distinct_sample(records: list[dict[str, Any]], cap: int, seed: int) -> list[dict[str, Any]]:
    """Records with distinct texts (the first of each), at most `cap` of them drawn with `seed`, in data order."""
    distinct: dict[str, dict[str, Any]] = {}
    for record in records:
        distinct.setdefault(record["text"], record)
    if len(distinct) <= cap:
        return list(distinct.values())
    kept = sorted(random.Random(seed).sample(range(len(distinct)), cap))
    return [list(distinct.values())[i] for i in kept]


def embed_texts(texts: list[str], embed: Embed, desc: str = "embedding examples") -> np.ndarray:
    batches = [texts[i : i + EMBED_BATCH] for i in range(0, len(texts), EMBED_BATCH)]
    return np.concatenate([embed(batch) for batch in tqdm(batches, desc=desc, unit="batch")])


def index_examples(
    skill: str, examples: list, folder: Path, embed: Embed, seed: int = 13, cap: int = MAX_EXAMPLES
) -> dict[str, Any]:
    """Build the index of a run's training examples into bundle `folder`; returns its record for bundle.json."""
    records = [example_record(skill, e) for e in examples]
    kept = distinct_sample(records, cap, seed)
    index = ExampleIndex.build(kept, embed_texts([r["text"] for r in kept], embed), embed)
    index.save(folder)
    log.info("example index in %s: %d examples (%s)", folder, len(index), index.summary()["index"])
    distinct = len({r["text"] for r in records})
    return {**index.summary(), "training_examples": len(records), "distinct_texts": distinct, "cap": cap, "seed": seed}


def extend_index(parent: Path, folder: Path, records: list[dict[str, Any]], embed: Embed) -> dict[str, Any] | None:
    """A retrain candidate's index: the parent version's plus the records of what it was trained on from users
    (`feedback_record`, or `example_record(..., source="feedback")`), saved in `folder`.

    None (and no index) when the parent has none."""
    index = ExampleIndex.load(parent, embed)
    if index is None:
        return None
    if records:
        index.add(records, embed_texts([r["text"] for r in records], embed, "embedding feedback"))
    index.save(folder)
    parent_info = BundleInfo.read(parent)
    return {**parent_info.training.get("example_index", {}), **index.summary(), "parent": parent_info.version}


def add_to_bundle(skill: str, data: str | Path, adapter: Path, cap: int = MAX_EXAMPLES) -> dict[str, Any]:
    """Index an existing bundle's training split (its recorded seed and limit) and record it in bundle.json."""
    info = BundleInfo.read(adapter)
    if info.skill != skill:
        raise ValueError(f"{adapter} holds a {info.skill} adapter, not {skill}")
    config = info.training.get("config", {})
    seed, limit = int(config.get("seed", 13)), config.get("limit")
    examples = datasets.training_examples(skill, data, seed)[:limit]
    encoder = SharedEncoder()
    return index_examples(skill, examples, adapter, encoder.embed, seed, cap)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skill", required=True, choices=skill_names(trainable=True, serving=None))
    parser.add_argument("--data", required=True, help="the benchmark folder (or hub name) the adapter was trained on")
    parser.add_argument("--adapter", required=True, type=Path, help="the adapter bundle folder to add the index to")
    parser.add_argument("--cap", type=int, default=MAX_EXAMPLES, help="most examples to index (a seeded sample)")
    args = parser.parse_args(argv)
    started = time.time()
    record = add_to_bundle(args.skill, args.data, args.adapter, args.cap)
    command = "python -m training.example_index " + shlex.join(argv)
    record = {**record, "command": command, "seconds": round(time.time() - started)}
    info = BundleInfo.read(args.adapter)
    info.training["example_index"] = record
    info.write(args.adapter)
    card = args.adapter / "README.md"
    if card.is_file():
        lines = [line for line in card.read_text().splitlines() if not line.startswith(EXAMPLE_INDEX_PREFIX)]
        while lines and not lines[-1].strip():
            lines.pop()
        card.write_text("\n".join([*lines, "", example_index_line(record), ""]))
    print(record)
    return record


if __name__ == "__main__":
    main()
