"""The document knowledge base: the user's .txt/.md documents, chunked, embedded and searched, shared by every process
that opens the app's database.

Documents, their chunks and the chunks' vectors live in the database (`core/knowledge_store.py`, the same URL as the
feedback store: SQLite by default, PostgreSQL for replicas). Each process keeps a search index of them in memory
(`chatbot/retrieval.py`: FAISS for the dense ranking, BM25, fused by reciprocal rank) as a cache of those rows.
Before a search it reads the stored version, one row, at most once every `refresh_seconds`; when another process
changed the documents (`python -m chatbot kb add`, the UI of another replica) it reads the documents it lacks, drops
those no longer stored and rebuilds its index, so a new document answers everywhere within seconds, without a restart.

Chunks follow the document's headings and sentences (`core/chunking.py`); the heading path is embedded and
keyword-indexed with each chunk, while a passage's text stays an exact slice of the document. A knowledge-base folder
of earlier versions (`AppConfig.kb_dir`) is moved into the database on first open (`chatbot/knowledge_folder.py`).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from chatbot.knowledge_folder import migrate_folder
from chatbot.retrieval import ChunkIndex, RetrievalConfig
from core.chunking import chunk_document, context_text, indexed_texts
from core.config import AppConfig
from core.errors import InputError
from core.knowledge_store import MAX_NAME_CHARS, Changes, KnowledgeStore, NewChunk, NewDocument, StoredDocument
from skills.base import Passage

log = logging.getLogger(__name__)

SUPPORTED_EXTENSIONS = (".txt", ".md", ".markdown")
REFRESH_SECONDS = 1.0  # how stale a process's index may be: one single-row read per second at most

Embed = Callable[[list[str]], np.ndarray]


def decode_document(name: str, data: bytes, max_bytes: int) -> str:
    """The text of an uploaded document, or InputError saying why it cannot be a knowledge-base document.

    Accepts UTF-8 .txt/.md/.markdown files; drops a byte-order mark and turns CRLF/CR line ends into LF.
    """
    if not name.lower().endswith(SUPPORTED_EXTENSIONS):
        raise InputError(f"{name}: unsupported file type; add .txt, .md or .markdown files")
    if len(data) > max_bytes:
        raise InputError(f"{name} is {len(data):,} bytes; the limit is {max_bytes:,} bytes per document")
    if b"\x00" in data:
        raise InputError(f"{name} is not a UTF-8 text file (it contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{name} is not a UTF-8 text file (bad byte at offset {error.start})") from error
    # Control and zero-width characters are not printable: a file of only those has nothing to answer from.
    if not any(ch.isprintable() and not ch.isspace() for ch in text):
        raise InputError(f"{name} is empty; there is no readable text to add")
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class DocumentRecord:
    name: str
    chunks: int
    sha256: str
    added_at: str  # ISO 8601, UTC

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_stored(cls, document: StoredDocument) -> DocumentRecord:
        return cls(document.name, document.chunks, document.sha256, document.added_at.isoformat(timespec="seconds"))


@dataclass(frozen=True)
class Chunk:
    document_id: int
    document: str
    position: int  # index of the chunk within its document
    text: str  # an exact slice of the document: what a passage shows
    heading: str  # the heading path above it ("" where none): indexed with the text, never shown as evidence


@dataclass(frozen=True)
class _Cache:
    """One process's view of the stored knowledge base; replaced whole, never changed, so readers need no lock."""

    version: int | None = None
    documents: dict[int, DocumentRecord] = field(default_factory=dict)  # by document id, oldest first
    chunks: tuple[Chunk, ...] = ()
    index: ChunkIndex | None = None  # None while there are no chunks


@dataclass(frozen=True)
class _Validated:
    name: str
    text: str
    sha256: str


class KnowledgeBase:
    """Documents chunked, embedded and searchable, stored in the database at `db_url`; safe to share between threads
    and between processes (each keeps its own index, refreshed from the database)."""

    def __init__(
        self,
        db_url: str,
        embed: Embed,
        max_document_bytes: int = 2_000_000,
        retrieval: RetrievalConfig | None = None,
        legacy_folder: Path | None = None,
        refresh_seconds: float = REFRESH_SECONDS,
    ) -> None:
        self.store = KnowledgeStore(db_url)
        self.embed = embed
        self.max_document_bytes = max_document_bytes
        self.retrieval = retrieval or RetrievalConfig()
        self.refresh_seconds = refresh_seconds
        self._lock = threading.Lock()
        self._cache = _Cache()
        self._checked_at = float("-inf")
        if legacy_folder is not None:
            migrate_folder(Path(legacy_folder), self.store, embed)
        self.refresh(force=True)

    @classmethod
    def from_config(cls, config: AppConfig, embed: Embed) -> KnowledgeBase:
        """The app's knowledge base: its database, limits and ranking, and its old folder to migrate."""
        return cls(
            config.db_url,
            embed,
            max_document_bytes=config.max_upload_bytes,
            retrieval=RetrievalConfig(mode=config.kb_retrieval),
            legacy_folder=config.kb_dir,
        )

    def __len__(self) -> int:
        return len(self.refresh().chunks)

    def documents(self) -> list[dict[str, Any]]:
        """Each document's name, chunk count, sha256 and time added, oldest first."""
        return [record.to_dict() for record in self.refresh().documents.values()]

    def add_document(self, name: str, data: bytes) -> int:
        """Add (or replace) one document; returns its number of chunks, or 0 if it is already stored as is."""
        return self._ingest([self._validate(name, data)])[0][1]

    def add_paths(self, paths: list[Path]) -> list[tuple[str, int]]:
        """Add files and folders (recursively, their .txt/.md/.markdown files in name order).

        Every file is read and checked before anything is added, and all are stored in one transaction, so one bad
        file adds nothing.
        """
        documents: list[_Validated] = []
        for name, path in _expand_paths([Path(p) for p in paths]):
            try:
                data = path.read_bytes()
            except OSError as error:
                raise InputError(f"cannot read {path}: {error.strerror}") from error
            documents.append(self._validate(name, data))
        return self._ingest(documents)

    def remove_documents(self, names: list[str]) -> list[str]:
        """Delete documents by name, all or none: InputError naming those not stored; returns the names deleted."""
        stored = {d.name for d in self.store.documents()}
        missing = [name for name in names if name not in stored]
        if missing:
            raise InputError(f"no document named {', '.join(missing)} in the knowledge base")
        removed = self.store.delete(names)
        self.refresh(force=True)
        return removed

    def search(self, query: str, k: int = 3, vector: np.ndarray | None = None) -> list[Passage]:
        """The `k` best chunks for `query`, best first, as passages from `kb:<document name>`.

        Ranked as `retrieval.mode` says (hybrid by default); a passage's `retrieval_score` is always its dense cosine
        similarity to the query (rounded to 4 places), so thresholds on it mean the same in every mode. `vector`: the
        query's embedding where the caller has it already.
        """
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        if not query.strip():
            return []
        cache = self.refresh()
        if cache.index is None:
            return []
        vector = np.asarray(self.embed([query]) if vector is None else vector, dtype=np.float32).reshape(1, -1)
        _check_dimension(vector, cache.index.dimension)
        hits = cache.index.search(vector[0], query, k, self.retrieval)
        return [
            Passage(cache.chunks[hit.position].text, f"kb:{cache.chunks[hit.position].document}", round(hit.cosine, 4))
            for hit in hits
        ]

    def closest_cosine(self, vector: np.ndarray) -> float | None:
        """The highest cosine of any chunk to an embedded message (what the request model reads as the "knowledge
        match"), or None while the knowledge base is empty."""
        cache = self.refresh()
        if cache.index is None:
            return None
        vector = np.asarray(vector, dtype=np.float32).reshape(1, -1)
        _check_dimension(vector, cache.index.dimension)
        return cache.index.best_cosine(vector[0])

    def refresh(self, force: bool = False) -> _Cache:
        """The index, brought up to date with the database when its version changed (checked at most once every
        `refresh_seconds`, or now when `force`)."""
        with self._lock:
            now = time.monotonic()
            if not force and now - self._checked_at < self.refresh_seconds:
                return self._cache
            self._checked_at = now
            version = self.store.version()  # read before the rows: rows newer than it only cause one more read
            if version != self._cache.version:
                known = {id_: record.sha256 for id_, record in self._cache.documents.items()}
                self._cache = _updated(self._cache, self.store.changes(known), version)
            return self._cache

    def close(self) -> None:
        """Close the database connections (a later call opens new ones)."""
        self.store.close()

    def _validate(self, name: str, data: bytes) -> _Validated:
        if len(name) > MAX_NAME_CHARS:
            raise InputError(f"{name[:60]}...: a document name is at most {MAX_NAME_CHARS} characters")
        text = decode_document(name, data, self.max_document_bytes)
        return _Validated(name, text, hashlib.sha256(data).hexdigest())

    def _ingest(self, documents: list[_Validated]) -> list[tuple[str, int]]:
        """Chunk and embed the documents not stored as they are, store them in one transaction, refresh the index.

        Embedding happens outside any transaction (it is the slow part); the store checks again, in its transaction,
        which documents changed, so two processes adding one document write it once.
        """
        stored = {d.name: d.sha256 for d in self.store.documents()}
        prepared = self._prepare([d for d in documents if stored.get(d.name) != d.sha256])
        written = set(self.store.put(prepared)) if prepared else set()
        self.refresh(force=True)
        counts = {d.name: len(d.chunks) for d in prepared if d.name in written}
        for name, chunks in counts.items():
            log.info("kb: %s -> %d chunks", name, chunks)
        return [(d.name, counts.get(d.name, 0)) for d in documents]

    def _prepare(self, documents: list[_Validated]) -> list[NewDocument]:
        """Documents with their chunks (offsets, heading paths) and the chunks' vectors, embedded in one batch."""
        spans = [chunk_document(d.text) for d in documents]
        pairs = zip(documents, spans, strict=True)
        texts = [text for d, pieces in pairs for text in indexed_texts(d.text, pieces)]
        if not texts:
            return []
        vectors = np.asarray(self.embed(texts), dtype=np.float32)
        if self._cache.index is not None:
            _check_dimension(vectors, self._cache.index.dimension)
        prepared, row = [], 0
        for document, pieces in zip(documents, spans, strict=True):
            chunks = [
                NewChunk(document.text[s.start : s.end], s.heading, vectors[row + n], s.start, s.end)
                for n, s in enumerate(pieces)
            ]
            row += len(pieces)
            prepared.append(NewDocument(document.name, document.sha256, document.text, tuple(chunks)))
        return prepared


def _updated(cache: _Cache, changes: Changes, version: int) -> _Cache:
    """`cache` with the chunks of documents no longer stored dropped and those of new documents appended."""
    arrived = {c.document_id for c in changes.chunks}
    kept = {d.id for d in changes.documents if d.id not in arrived and d.id in cache.documents}
    keep = [n for n, chunk in enumerate(cache.chunks) if chunk.document_id in kept]
    documents = {
        d.id: cache.documents[d.id] if d.id in kept else DocumentRecord.from_stored(d)
        for d in changes.documents
        if d.id in kept or d.id in arrived  # a document replaced while it was read comes with the next refresh
    }
    chunks = [cache.chunks[n] for n in keep] + [
        Chunk(c.document_id, c.document, c.position, c.text, c.heading) for c in changes.chunks
    ]
    vectors = [cache.index.vectors[n] for n in keep] if cache.index is not None else []
    vectors += [c.vector for c in changes.chunks]
    if len({len(v) for v in vectors}) > 1:
        raise RuntimeError(
            "the knowledge base holds vectors of different sizes (documents added with different encoders); "
            "add them again with one encoder (EXCHAT_BASE_MODEL)"
        )
    index = ChunkIndex(np.vstack(vectors), [context_text(c.heading, c.text) for c in chunks]) if chunks else None
    if changes.chunks or len(keep) != len(cache.chunks):
        log.info("kb: %d documents, %d chunks (version %d)", len(documents), len(chunks), version)
    return _Cache(version, documents, tuple(chunks), index)


def ensure_default_documents(kb: KnowledgeBase, folder: Path | None) -> int:
    """If `kb` has no documents, add the .md files of `folder` (an operator's example documents; None adds
    nothing, the default); returns the number of chunks added."""
    if folder is None or kb.documents():
        return 0
    files = sorted(Path(folder).glob("*.md"))
    if not files:
        log.warning("no default knowledge-base documents (*.md) in %s", folder)
        return 0
    return sum(chunks for _, chunks in kb.add_paths(files))


def _expand_paths(paths: list[Path]) -> list[tuple[str, Path]]:
    """(document name, file) for each file, and for each supported file under each folder (named relative
    to that folder); raises InputError for a missing path, an empty folder or a name given twice."""
    found: list[tuple[str, Path]] = []
    for path in paths:
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_EXTENSIONS
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not files:
                raise InputError(f"{path} holds no .txt, .md or .markdown files")
            found += [(p.relative_to(path).as_posix(), p) for p in files]
        elif path.is_file():
            found.append((path.name, path))
        else:
            raise InputError(f"{path}: no such file or folder")
    names = [name for name, _ in found]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise InputError(f"two documents would have the same name: {', '.join(duplicates)}")
    return found


def _check_dimension(vectors: np.ndarray, dimension: int) -> None:
    if vectors.ndim != 2 or vectors.shape[1] != dimension:
        raise RuntimeError(
            f"the encoder gives vectors of shape {vectors.shape} but the knowledge base holds {dimension}-d "
            "vectors; was the base model changed (EXCHAT_BASE_MODEL)? Set it back, or use a new database and add "
            "the documents again"
        )
