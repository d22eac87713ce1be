"""Feedback as a dataset file: read the store, apply the rules of `training.feedback`, write JSON Lines or Parquet.

One row per example. Columns: skill, kind, text, question, passage, label, rejected, weight, count, turn_ids,
rating_ids, session_ids. `label` and `rejected` hold JSON text, because their shape depends on the skill (a string
for sentiment, a list of entities for NER, an answer with its start for QA) and an Arrow column keeps one type;
`json.loads` gives them back. Both files load with `datasets.load_dataset("json" | "parquet", data_files=PATH)`.
Nothing here imports torch or the encoder; pyarrow is imported only to write Parquet.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from core.files import replace_atomically
from core.store import FeedbackStore
from training.feedback import FeedbackConfig, FeedbackDataset, FeedbackExample, examples_from_feedback

log = logging.getLogger(__name__)

FORMATS = ("jsonl", "parquet")
JSON_COLUMNS = ("label", "rejected")


def load_feedback(store: FeedbackStore, config: FeedbackConfig | None = None) -> FeedbackDataset:
    """The examples that the store's current ratings make, by `config`'s rules."""
    # Ratings first: a turn is stored before its ratings, so every rating read has its turn in the second read,
    # unless its session was deleted in between (`delete_session`): such ratings are left out.
    ratings = store.ratings()
    turns = store.rated_turns()
    present = {turn.id for turn in turns}
    return examples_from_feedback(turns, [r for r in ratings if r.turn_id in present], config)


def export_row(example: FeedbackExample) -> dict[str, Any]:
    """An example as one flat, JSON-serialisable row (label and rejected as JSON text)."""
    row = example.to_dict()
    for column in JSON_COLUMNS:
        row[column] = None if row[column] is None else json.dumps(row[column], ensure_ascii=False)
    return row


def write_examples(examples: list[FeedbackExample], path: Path, fmt: str) -> Path:
    """Write the examples to `path` in `fmt` ("jsonl" or "parquet"), replacing the file atomically."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    rows = [export_row(example) for example in examples]
    writer = _write_jsonl if fmt == "jsonl" else _write_parquet
    replace_atomically(Path(path), lambda temporary: writer(rows, temporary))
    log.info("%d examples written to %s", len(rows), path)
    return Path(path)


def _write_jsonl(rows: list[dict[str, Any]], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def _write_parquet(rows: list[dict[str, Any]], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    # An explicit schema: columns keep their types even when every row has null there, or there are no rows.
    schema = pa.schema(
        [
            ("skill", pa.string()),
            ("kind", pa.string()),
            ("text", pa.string()),
            ("question", pa.string()),
            ("passage", pa.string()),
            ("label", pa.string()),
            ("rejected", pa.string()),
            ("weight", pa.float64()),
            ("count", pa.int64()),
            ("turn_ids", pa.list_(pa.int64())),
            ("rating_ids", pa.list_(pa.int64())),
            ("session_ids", pa.list_(pa.string())),
        ]
    )
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
