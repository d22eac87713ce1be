"""The knowledge-base folder of earlier versions, read once to move its documents into the database.

That format (up to the database-backed knowledge base) kept three files in `AppConfig.kb_dir`:

    chunks.jsonl    one JSON object per chunk: document, position, text, and the document's sha256/added_at
    index.faiss     the chunk vectors, in chunks.jsonl order (faiss.serialize_index)
    manifest.json   the documents, plus the sha256 of the two files above

`chunks.jsonl` was the source of truth: when the manifest's hashes do not match (a crash between two replaces) the
chunks are embedded again. The documents' own text was never kept, so migrated documents keep their old chunks (no
heading paths, no offsets); adding a document again re-chunks it. After a migration the folder is renamed to
`<folder>.migrated` (left in place, never deleted); a migration interrupted before the rename runs again harmlessly,
since the store leaves documents it already holds alone.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from core.knowledge_store import KnowledgeStore, NewChunk, NewDocument

log = logging.getLogger(__name__)

INDEX_FILE, CHUNKS_FILE, MANIFEST_FILE = "index.faiss", "chunks.jsonl", "manifest.json"
MIGRATED_SUFFIX = ".migrated"

Embed = Callable[[list[str]], np.ndarray]


def read_folder(folder: Path, embed: Embed) -> list[NewDocument]:
    """The documents of an old knowledge-base folder with their chunks and vectors; [] when it holds none."""
    chunks_path = folder / CHUNKS_FILE
    if not chunks_path.is_file():
        return []
    chunks_bytes = chunks_path.read_bytes()
    rows = [json.loads(line) for line in chunks_bytes.decode().splitlines() if line.strip()]
    if not rows:
        return []
    vectors = _saved_vectors(folder, chunks_bytes, len(rows))
    if vectors is None:
        log.warning("kb: %s was not saved completely (its index does not match its chunks); embedding again", folder)
        vectors = np.asarray(embed([row["text"] for row in rows]), dtype=np.float32)
    documents: dict[str, list[tuple[dict[str, Any], np.ndarray]]] = {}
    for row, vector in zip(rows, vectors, strict=True):
        documents.setdefault(row["document"], []).append((row, vector))
    return [
        NewDocument(
            name=name,
            sha256=pieces[0][0]["sha256"],
            text=None,
            chunks=tuple(NewChunk(row["text"], "", vector) for row, vector in sorted(pieces, key=_position)),
            added_at=_time(pieces[0][0]["added_at"]),
        )
        for name, pieces in documents.items()
    ]


def migrate_folder(folder: Path, store: KnowledgeStore, embed: Embed) -> int:
    """Move an old folder's documents into `store` (never over a document of the same name) and rename the folder
    to `<folder>.migrated`; returns the number of documents written (0 when there is no old folder)."""
    documents = read_folder(folder, embed)
    if not documents:
        return 0
    written = store.put(documents, replace=False)
    target = _free_name(folder.with_name(folder.name + MIGRATED_SUFFIX))
    try:
        folder.rename(target)
    except FileNotFoundError:
        log.info("kb: %s was migrated by another process at the same time", folder)
        return len(written)
    except OSError as error:  # a read-only home: migrating again at the next start writes nothing new
        log.warning(
            "kb: %s is in the database but could not be renamed (%s); it is read again at each start", folder, error
        )
        return len(written)
    log.warning(
        "kb: moved %d documents of %s into the database at %s (%d were there already); the folder is kept, renamed "
        "to %s. Migrated documents keep their old chunks: add them again to chunk them by heading",
        len(written),
        folder,
        store.where,
        len(documents) - len(written),
        target,
    )
    return len(written)


def _saved_vectors(folder: Path, chunks_bytes: bytes, count: int) -> np.ndarray | None:
    """The saved index's vectors when the manifest vouches for both files; None otherwise."""
    manifest_path, index_path = folder / MANIFEST_FILE, folder / INDEX_FILE
    manifest = json.loads(manifest_path.read_text()) if manifest_path.is_file() else {}
    index_bytes = index_path.read_bytes() if index_path.is_file() else b""
    if (
        manifest.get("chunks_sha256") != hashlib.sha256(chunks_bytes).hexdigest()
        or manifest.get("index_sha256") != hashlib.sha256(index_bytes).hexdigest()
    ):
        return None
    index = faiss.deserialize_index(np.frombuffer(index_bytes, dtype=np.uint8))
    return index.reconstruct_n(0, index.ntotal) if index.ntotal == count else None


def _position(piece: tuple[dict[str, Any], np.ndarray]) -> int:
    return int(piece[0]["position"])


def _time(iso: str) -> datetime:
    moment = datetime.fromisoformat(iso)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _free_name(path: Path) -> Path:
    """`path`, or `path.2`, `path.3`, ... when taken (a folder migrated before and then recreated)."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.{n}")
    return candidate
