"""Example-based explanations: the training (and accepted feedback) examples nearest to what a skill analysed.

Each adapter bundle may ship an index of the examples its adapter learned from, built at training time
(`training/example_index.py`): the examples' sentence embeddings from the plain base encoder (adapters off,
L2-normalised, so inner product is cosine similarity) in a FAISS index (Johnson et al. 2019, "Billion-scale
similarity search with GPUs"), with each example's text and gold label. Two files in the bundle folder:

    examples.faiss      the vectors (faiss.write_index); exact `IndexFlatIP` up to FLAT_LIMIT examples, above that
                        product quantisation (Jégou et al. 2011) in 48 bytes a vector, so bundles stay small
    examples.jsonl.gz   one {"text", "label", "source"} per vector, in index order; source "training" or "feedback"

A bundle without these files has no index (`ExampleIndex.load` returns None): older bundles keep working.
"""

from __future__ import annotations

import gzip
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import faiss
import numpy as np

INDEX_FILE, RECORDS_FILE = "examples.faiss", "examples.jsonl.gz"
SOURCES = ("training", "feedback")
# Exact search up to here (a flat index of 2,000 vectors is 3 MB); beyond it, 48 one-byte PQ codes a vector.
FLAT_LIMIT = 2_000
PQ_SUBQUANTIZERS, PQ_BITS = 48, 8

Embed = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class SimilarExample:
    """One example near a query: its text, gold label (in the skill's terms), where it came from, cosine score
    (`approximate` for a PQ index: measured on the released bundles, off by about 0.08 on average)."""

    text: str
    label: Any
    source: str
    score: float
    approximate: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_record(record: dict[str, Any]) -> dict[str, Any]:
    """A record as stored: text, label and source only; ValueError when one is missing or the source is unknown."""
    missing = {"text", "label", "source"} - set(record)
    if missing:
        raise ValueError(f"an example record needs text, label and source; {sorted(missing)} missing in {record!r}")
    if record["source"] not in SOURCES:
        raise ValueError(f"unknown example source {record['source']!r}; expected one of {SOURCES}")
    return {"text": record["text"], "label": record["label"], "source": record["source"]}


def new_faiss_index(dimension: int, examples: int, flat_limit: int = FLAT_LIMIT) -> faiss.Index:
    """An empty index for `examples` vectors: exact inner product up to `flat_limit`, else product quantisation
    (untrained; `ExampleIndex.build` trains it on the vectors it indexes)."""
    if examples <= flat_limit:
        return faiss.IndexFlatIP(dimension)
    if dimension % PQ_SUBQUANTIZERS:
        raise ValueError(f"product quantisation splits a vector in {PQ_SUBQUANTIZERS}; {dimension} does not divide")
    index = faiss.IndexPQ(dimension, PQ_SUBQUANTIZERS, PQ_BITS, faiss.METRIC_INNER_PRODUCT)
    # faiss warns below 39 training points per centroid (256 per sub-quantiser); a few thousand examples still give
    # codebooks good enough to pick three neighbours to show, so only warn where training is really thin.
    index.pq.cp.min_points_per_centroid = 4
    return index


def _as_matrix(vectors: np.ndarray, dimension: int | None = None) -> np.ndarray:
    matrix = np.ascontiguousarray(np.atleast_2d(np.asarray(vectors, dtype=np.float32)))
    if matrix.ndim != 2 or (dimension is not None and matrix.shape[1] != dimension):
        raise ValueError(f"expected vectors of dimension {dimension}, got shape {matrix.shape}")
    return matrix


class ExampleIndex:
    """Examples with gold labels, searchable by meaning; `embed` (the plain encoder) lets `nearest` take text."""

    def __init__(self, index: faiss.Index, records: list[dict[str, Any]], embed: Embed | None = None) -> None:
        if index.ntotal != len(records):
            raise ValueError(f"the index holds {index.ntotal} vectors but there are {len(records)} example records")
        self.index = index
        self.records = [check_record(r) for r in records]
        self.embed = embed

    @classmethod
    def build(
        cls,
        records: list[dict[str, Any]],
        vectors: np.ndarray,
        embed: Embed | None = None,
        flat_limit: int = FLAT_LIMIT,
    ) -> ExampleIndex:
        """An index of `records` with their (normalised) `vectors`, one row each, in the same order."""
        matrix = _as_matrix(vectors)
        if len(records) != len(matrix) or not records:
            raise ValueError(f"need one vector per example record, got {len(records)} records, {len(matrix)} vectors")
        index = new_faiss_index(matrix.shape[1], len(matrix), flat_limit)
        if not index.is_trained:
            index.train(matrix)
        built = cls(index, [], embed)
        built.add(records, matrix)
        return built

    @property
    def kind(self) -> str:
        """The index type: "flat" (exact scores) or "pq" (approximate scores)."""
        return "pq" if isinstance(self.index, faiss.IndexPQ) else "flat"

    def __len__(self) -> int:
        return len(self.records)

    def add(self, records: Iterable[dict[str, Any]], vectors: np.ndarray) -> None:
        """Append examples; a PQ index encodes them with its existing codebooks (it is not retrained)."""
        checked = [check_record(r) for r in records]
        matrix = _as_matrix(vectors, self.index.d)
        if len(checked) != len(matrix):
            raise ValueError(f"need one vector per example record, got {len(checked)} records, {len(matrix)} vectors")
        self.index.add(matrix)
        self.records.extend(checked)

    def nearest(self, query: str | np.ndarray, k: int = 3) -> list[SimilarExample]:
        """The `k` examples most similar to `query` (a text, or its normalised vector), most similar first."""
        if isinstance(query, str):
            if self.embed is None:
                raise ValueError("this example index has no embedding function: pass a vector")
            query = self.embed([query])
        matrix = _as_matrix(query, self.index.d)[:1]
        scores, positions = self.index.search(matrix, min(k, len(self.records)))
        return [
            SimilarExample(**self.records[int(i)], score=round(float(s), 4), approximate=self.kind == "pq")
            for s, i in zip(scores[0], positions[0], strict=True)
            if i >= 0
        ]

    def summary(self) -> dict[str, Any]:
        """What the index holds, for bundle.json and the model card."""
        sources = Counter(r["source"] for r in self.records)
        kind = "flat (exact)" if self.kind == "flat" else f"pq {PQ_SUBQUANTIZERS}x{PQ_BITS} bits (approximate)"
        return {"examples": len(self), "by_source": dict(sorted(sources.items())), "index": kind}

    def save(self, folder: str | Path) -> None:
        """Write both files into `folder`, each through a temporary file renamed into place."""
        folder = Path(folder)
        index_tmp, records_tmp = folder / f".{INDEX_FILE}.tmp", folder / f".{RECORDS_FILE}.tmp"
        faiss.write_index(self.index, str(index_tmp))
        with open(records_tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed:
            for record in self.records:  # mtime=0: the same examples give the same bytes
                packed.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
        os.replace(records_tmp, folder / RECORDS_FILE)
        os.replace(index_tmp, folder / INDEX_FILE)

    @classmethod
    def load(cls, folder: str | Path, embed: Embed | None = None) -> ExampleIndex | None:
        """The index in a bundle folder; None when it has none. ValueError when only one of the two files is there."""
        folder = Path(folder)
        present = [(folder / name).is_file() for name in (INDEX_FILE, RECORDS_FILE)]
        if not any(present):
            return None
        if not all(present):
            raise ValueError(f"{folder} holds only one of {INDEX_FILE} and {RECORDS_FILE}: the example index is broken")
        index = faiss.read_index(str(folder / INDEX_FILE))
        with gzip.open(folder / RECORDS_FILE, "rt", encoding="utf-8") as lines:
            records = [json.loads(line) for line in lines if line.strip()]
        return cls(index, records, embed)
