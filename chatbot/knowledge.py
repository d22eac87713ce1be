"""The document knowledge base: chunked .txt/.md documents in a FAISS inner-product index for QA retrieval.

Chunks are embedded with the plain base encoder (L2-normalised, so inner product is cosine similarity) and
searched exhaustively with `faiss.IndexFlatIP` (Johnson et al. 2019, "Billion-scale similarity search with
GPUs"); a few thousand chunks need no approximate index. The folder holds three files:

    chunks.jsonl    one JSON object per chunk: document, position, text, and the document's sha256/added_at
    index.faiss     the chunk vectors, in chunks.jsonl order (faiss.serialize_index)
    manifest.json   the documents, plus the sha256 of the two files above

Each file is replaced atomically, in that order: index, chunks, manifest. `chunks.jsonl` is the source of
truth; if the manifest's hashes do not match the files (a crash between two replaces), the manifest is
rebuilt from the chunks and the chunks are embedded again, so a crash never leaves a half index.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from core.errors import InputError
from core.files import write_bytes_atomically
from skills.base import Passage

log = logging.getLogger(__name__)

SUPPORTED_EXTENSIONS = (".txt", ".md", ".markdown")
INDEX_FILE, CHUNKS_FILE, MANIFEST_FILE = "index.faiss", "chunks.jsonl", "manifest.json"

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_WORD = re.compile(r"\S+")
_HEADING = re.compile(r"#{1,6}[ \t]")  # a Markdown ATX heading
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")

Embed = Callable[[list[str]], np.ndarray]


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph (text between blank lines), without surrounding whitespace."""
    spans, cursor = [], 0
    for match in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        piece = text[cursor:end]
        if piece.strip():
            start = cursor + len(piece) - len(piece.lstrip())
            spans.append((start, cursor + len(piece.rstrip())))
        cursor = match.end() if match else len(text)
    return spans


def _windows(words: list[re.Match[str]], max_words: int, overlap_words: int) -> list[tuple[int, int]]:
    """Word windows (first, last+1) over one long paragraph: cut after a sentence when one ends in the second
    half of the window, else mid-sentence; each window starts on a sentence within `overlap_words` of the
    previous end if it can, else exactly `overlap_words` words back."""
    ends_sentence = [bool(_SENTENCE_END.search(w.group())) for w in words]
    windows: list[tuple[int, int]] = []
    first, previous_end = 0, 0
    while True:
        if len(words) - first <= max_words:
            windows.append((first, len(words)))
            return windows
        limit = first + max_words
        lowest = max(previous_end + 1, first + max_words // 2)
        cuts = [i + 1 for i in range(lowest - 1, limit) if ends_sentence[i]]
        end = cuts[-1] if cuts else limit
        windows.append((first, end))
        starts = [i for i in range(end - overlap_words, end) if i > first and ends_sentence[i - 1]]
        first = max(starts[0] if starts else end - overlap_words, first + 1)
        previous_end = end


def chunk_text(text: str, max_words: int = 120, overlap_words: int = 30) -> list[str]:
    """Split a document into retrieval chunks, each an exact slice of `text` (original whitespace kept).

    Consecutive paragraphs share a chunk while they fit in `max_words`; a Markdown heading starts a new
    chunk and goes with the paragraph after it (one topic per chunk retrieves better). A longer paragraph
    is cut on sentence boundaries into windows that overlap by up to `overlap_words` words, so an answer
    near a cut is whole in at least one chunk.
    """
    if max_words < 2 or not 0 <= overlap_words < max_words:
        raise ValueError(f"need 0 <= overlap_words < max_words and max_words >= 2: {max_words}, {overlap_words}")
    chunks: list[tuple[int, int]] = []
    group: list[tuple[int, int, int]] = []  # (start, end, words) of the paragraphs in the current chunk

    def flush(carry_headings: bool) -> None:
        split = len(group)
        while carry_headings and split and _is_heading(text, group[split - 1]):
            split -= 1
        if split:
            chunks.append((group[0][0], group[split - 1][1]))
        group[:] = group[split:]

    for start, end in _paragraph_spans(text):
        words = list(_WORD.finditer(text, start, end))
        if _is_heading(text, (start,)):
            flush(carry_headings=True)
        if sum(g[2] for g in group) + len(words) <= max_words:
            group.append((start, end, len(words)))
            continue
        flush(carry_headings=True)
        if len(words) <= max_words:
            group.append((start, end, len(words)))
            continue
        heading_start = group[0][0] if group else None
        group.clear()
        for n, (first, last) in enumerate(_windows(words, max_words, overlap_words)):
            window_start = heading_start if n == 0 and heading_start is not None else words[first].start()
            chunks.append((window_start, words[last - 1].end()))
    flush(carry_headings=False)
    return [text[start:end] for start, end in chunks]


def _is_heading(text: str, paragraph: tuple[int, ...]) -> bool:
    return bool(_HEADING.match(text, paragraph[0]))


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


@dataclass(frozen=True)
class Chunk:
    document: str
    position: int  # index of the chunk within its document
    text: str


@dataclass(frozen=True)
class _Validated:
    name: str
    text: str
    sha256: str


class KnowledgeBase:
    """Documents chunked, embedded and searchable; persisted in `folder`; safe to share between threads."""

    def __init__(self, folder: Path, embed: Embed, max_document_bytes: int = 2_000_000) -> None:
        self.folder = Path(folder)
        self.embed = embed
        self.max_document_bytes = max_document_bytes
        self._lock = threading.Lock()
        self._documents: dict[str, DocumentRecord] = {}
        self._chunks: list[Chunk] = []
        self._vectors = np.zeros((0, 0), dtype=np.float32)
        self._index: faiss.IndexFlatIP | None = None
        self._load()

    def __len__(self) -> int:
        with self._lock:
            return len(self._chunks)

    def documents(self) -> list[dict[str, Any]]:
        """Each document's name, chunk count, sha256 and time added, oldest first."""
        with self._lock:
            return [record.to_dict() for record in self._documents.values()]

    def add_document(self, name: str, data: bytes) -> int:
        """Add (or replace) one document; returns its number of chunks, or 0 if it is already stored as is."""
        return self._ingest([self._validate(name, data)])[0][1]

    def add_paths(self, paths: list[Path]) -> list[tuple[str, int]]:
        """Add files and folders (recursively, their .txt/.md/.markdown files in name order).

        Every file is read and checked before anything is added, so one bad file adds nothing.
        """
        documents: list[_Validated] = []
        for name, path in _expand_paths([Path(p) for p in paths]):
            try:
                data = path.read_bytes()
            except OSError as error:
                raise InputError(f"cannot read {path}: {error.strerror}") from error
            documents.append(self._validate(name, data))
        return self._ingest(documents)

    def search(self, query: str, k: int = 3) -> list[Passage]:
        """The `k` chunks most similar to `query`, best first, as passages from `kb:<document name>`."""
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        if not query.strip() or len(self) == 0:
            return []
        vector = self.embed([query])
        with self._lock:
            if self._index is None:
                return []
            _check_dimension(vector, self._index.d)
            scores, ids = self._index.search(vector, min(k, len(self._chunks)))
            hits = [(self._chunks[i], min(float(s), 1.0)) for s, i in zip(scores[0], ids[0], strict=True) if i >= 0]
        return [Passage(chunk.text, f"kb:{chunk.document}", round(score, 4)) for chunk, score in hits]

    def _validate(self, name: str, data: bytes) -> _Validated:
        text = decode_document(name, data, self.max_document_bytes)
        return _Validated(name, text, hashlib.sha256(data).hexdigest())

    def _ingest(self, documents: list[_Validated]) -> list[tuple[str, int]]:
        """Chunk, embed and store documents under one lock and one save; unchanged ones are skipped.

        Embedding happens under the lock too, so that the "unchanged?" check and the update are one step.
        """
        with self._lock:
            stored = {name: record.sha256 for name, record in self._documents.items()}
            fresh = [d for d in documents if stored.get(d.name) != d.sha256]
            pieces = {d.name: chunk_text(d.text) for d in fresh}
            texts = [text for d in fresh for text in pieces[d.name]]
            if texts:
                vectors = self.embed(texts)
                if self._index is not None:
                    _check_dimension(vectors, self._index.d)
                self._apply(fresh, pieces, vectors)
                self._save()
            for d in fresh:
                log.info("kb: %s -> %d chunks", d.name, len(pieces[d.name]))
            return [(d.name, len(pieces.get(d.name, []))) for d in documents]

    def _apply(self, fresh: list[_Validated], pieces: dict[str, list[str]], vectors: np.ndarray) -> None:
        """Drop the old chunks of replaced documents and append the new ones; rebuild the flat index."""
        replaced = {d.name for d in fresh}
        keep = [i for i, chunk in enumerate(self._chunks) if chunk.document not in replaced]
        old_vectors = self._vectors[keep] if keep else np.zeros((0, vectors.shape[1]), dtype=np.float32)
        self._chunks = [self._chunks[i] for i in keep]
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        for d in fresh:
            self._documents.pop(d.name, None)
            self._documents[d.name] = DocumentRecord(d.name, len(pieces[d.name]), d.sha256, now)
            self._chunks += [Chunk(d.name, n, text) for n, text in enumerate(pieces[d.name])]
        self._set_vectors(np.vstack([old_vectors, np.asarray(vectors, dtype=np.float32)]))

    def _set_vectors(self, vectors: np.ndarray) -> None:
        self._vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self._index = faiss.IndexFlatIP(self._vectors.shape[1])
        self._index.add(self._vectors)

    def _save(self) -> None:
        assert self._index is not None, "saving an empty knowledge base"
        self.folder.mkdir(parents=True, exist_ok=True)
        index_bytes = faiss.serialize_index(self._index).tobytes()
        chunks_bytes = "".join(_chunk_line(c, self._documents[c.document]) for c in self._chunks).encode()
        manifest = {
            "documents": [record.to_dict() for record in self._documents.values()],
            "chunks": len(self._chunks),
            "dimension": int(self._index.d),
            "index_sha256": hashlib.sha256(index_bytes).hexdigest(),
            "chunks_sha256": hashlib.sha256(chunks_bytes).hexdigest(),
        }
        write_bytes_atomically(self.folder / INDEX_FILE, index_bytes)
        write_bytes_atomically(self.folder / CHUNKS_FILE, chunks_bytes)
        write_bytes_atomically(self.folder / MANIFEST_FILE, (json.dumps(manifest, indent=2) + "\n").encode())

    def _load(self) -> None:
        chunks_path = self.folder / CHUNKS_FILE
        if not chunks_path.is_file():
            return
        chunks_bytes = chunks_path.read_bytes()
        rows = [json.loads(line) for line in chunks_bytes.decode().splitlines() if line.strip()]
        if not rows:
            return
        self._chunks = [Chunk(row["document"], row["position"], row["text"]) for row in rows]
        self._documents = _records_from_rows(rows)
        manifest = _read_json(self.folder / MANIFEST_FILE)
        index_path = self.folder / INDEX_FILE
        index_bytes = index_path.read_bytes() if index_path.is_file() else b""
        if (
            manifest.get("chunks_sha256") == hashlib.sha256(chunks_bytes).hexdigest()
            and manifest.get("index_sha256") == hashlib.sha256(index_bytes).hexdigest()
        ):
            index = faiss.deserialize_index(np.frombuffer(index_bytes, dtype=np.uint8))
            self._set_vectors(index.reconstruct_n(0, index.ntotal))
            self._documents = {d["name"]: DocumentRecord(**d) for d in manifest["documents"]}
        else:
            log.warning("knowledge base in %s was not saved completely; embedding again", self.folder)
            self._set_vectors(self.embed([chunk.text for chunk in self._chunks]))
            self._save()
        log.info("kb: %d documents, %d chunks in %s", len(self._documents), len(rows), self.folder)


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


def _chunk_line(chunk: Chunk, record: DocumentRecord) -> str:
    row = {**asdict(chunk), "sha256": record.sha256, "added_at": record.added_at}
    return json.dumps(row, ensure_ascii=False) + "\n"


def _records_from_rows(rows: list[dict[str, Any]]) -> dict[str, DocumentRecord]:
    """The document list as chunks.jsonl alone tells it (used when the manifest is stale)."""
    records: dict[str, DocumentRecord] = {}
    for row in rows:
        previous = records.get(row["document"])
        count = previous.chunks + 1 if previous else 1
        records[row["document"]] = DocumentRecord(row["document"], count, row["sha256"], row["added_at"])
    return records


def _read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text()) if path.is_file() else {}


def _check_dimension(vectors: np.ndarray, dimension: int) -> None:
    if vectors.ndim != 2 or vectors.shape[1] != dimension:
        raise RuntimeError(
            f"the encoder gives vectors of shape {vectors.shape} but the knowledge base holds {dimension}-d "
            "vectors; was the base model changed? Delete the folder and add the documents again"
        )
