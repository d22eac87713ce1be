"""The knowledge base's rows in the app's database, so that every replica answers from the same documents.

Three tables beside the feedback store's, on the same SQLAlchemy URL (`AppConfig.db_url`; engine from
`core/database.py`):

- `kb_documents`: one row per document: its unique name, sha256 of the uploaded bytes, when it was added, its text
  as decoded (NULL for a document migrated from the folder format of earlier versions, which kept only chunks) and
  its number of chunks. Replacing a document deletes its row and inserts a new one (a new id).
- `kb_chunks`: its chunks in order: the text (an exact slice of the document, `start_offset`..`end_offset`; NULL
  offsets for migrated chunks), the heading path above it, and its embedding as little-endian float32 bytes.
- `kb_version`: one row whose counter every change of the documents bumps in the same transaction. Processes keep
  their search index in memory and compare this single value before a search (`version`), then read only the
  documents they lack (`changes`). (Debian 12 ships no `pgvector`: vectors as rows plus a per-process cache need none.)

Every write (`put`, `delete`) is one transaction that first locks the version row, so writers from any process take
turns and a reader never sees a document without its chunks or a change without its version bump.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, ClassVar

import numpy as np
from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, delete, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from core.database import (
    WRITE,
    UTCDateTime,
    bump_version,
    bytes_vector,
    lock_version,
    open_engine,
    read_version,
    schema_transaction,
    seed_version,
    vector_bytes,
)

logger = logging.getLogger(__name__)

MAX_NAME_CHARS = 512  # the width of kb_documents.name


class _Base(DeclarativeBase):
    pass


class KbDocument(_Base):
    __tablename__ = "kb_documents"
    # Ids are never reused (SQLite would otherwise give a replaced document its predecessor's id): a process tells the
    # documents it has indexed from new ones by id.
    __table_args__: ClassVar[dict[str, Any]] = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME_CHARS), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    chunks: Mapped[int] = mapped_column(Integer)


class KbChunk(_Base):
    __tablename__ = "kb_chunks"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("kb_documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    start_offset: Mapped[int | None] = mapped_column(Integer, nullable=True)
    end_offset: Mapped[int | None] = mapped_column(Integer, nullable=True)
    heading: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class KbVersion(_Base):
    __tablename__ = "kb_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


@dataclass(frozen=True)
class NewChunk:
    text: str
    heading: str
    vector: np.ndarray  # 1-d
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class NewDocument:
    name: str
    sha256: str
    text: str | None
    chunks: tuple[NewChunk, ...]
    added_at: datetime | None = None  # None: now (a migrated document keeps its time)


@dataclass(frozen=True)
class StoredDocument:
    id: int
    name: str
    sha256: str
    added_at: datetime
    chunks: int


@dataclass(frozen=True)
class StoredChunk:
    document_id: int
    document: str  # its document's name
    position: int
    start: int | None
    end: int | None
    heading: str
    text: str
    vector: np.ndarray


@dataclass(frozen=True)
class Changes:
    """What a process lacks: every stored document (oldest first), and the chunks of those it does not know."""

    documents: list[StoredDocument]
    chunks: list[StoredChunk]


class KnowledgeStore:
    """The knowledge base's documents, chunks and version counter in one database; safe to use from many threads."""

    def __init__(self, url: str) -> None:
        self.engine = open_engine(url)
        with schema_transaction(self.engine) as connection:
            _Base.metadata.create_all(connection)
            seed_version(connection, KbVersion)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine, expire_on_commit=False, execution_options=WRITE)
        self.where = make_url(url).render_as_string(hide_password=True)

    def version(self) -> int:
        """The counter that every change bumps: one indexed single-row read."""
        with self._read() as session:
            return read_version(session, KbVersion)

    def documents(self) -> list[StoredDocument]:
        """Every document, oldest first (a replaced document counts as added when it was replaced)."""
        with self._read() as session:
            return _documents(session)

    def changes(self, known: Mapping[int, str]) -> Changes:
        """Every document, and the chunks of those not in `known` (id -> sha256), in document then chunk order.

        A document replaced between the two reads (on PostgreSQL each statement sees the latest commit) may be listed
        without its chunks; its replacement bumped the version, so the next `changes` brings it.
        """
        with self._read() as session:
            documents = _documents(session)
            fresh = [d.id for d in documents if known.get(d.id) != d.sha256]
            rows = session.execute(
                select(KbChunk, KbDocument.name)
                .join(KbDocument, KbDocument.id == KbChunk.document_id)
                .where(KbChunk.document_id.in_(fresh))
                .order_by(KbChunk.document_id, KbChunk.position)
            ).all()
        chunks = [
            StoredChunk(
                c.document_id, name, c.position, c.start_offset, c.end_offset, c.heading, c.text, bytes_vector(c.vector)
            )
            for c, name in rows
        ]
        return Changes(documents, chunks)

    def put(self, documents: list[NewDocument], replace: bool = True) -> list[str]:
        """Store documents in one transaction with one version bump; returns the names written.

        A document stored with the same sha256 is left as it is; one with the same name and other content is replaced
        (its chunks with it), or left as it is when `replace` is False (a migration never overwrites newer documents).
        """
        with self._write.begin() as session:
            # Locked: without it two replicas replacing one document would both insert its name.
            version = lock_version(session, KbVersion)
            stored = dict(session.execute(select(KbDocument.name, KbDocument.sha256)).all())
            written = [d for d in documents if d.name not in stored or (replace and stored[d.name] != d.sha256)]
            for document in written:
                _insert(session, document)
            if written:
                bump_version(session, KbVersion, version)
        logger.info("kb: %d of %d documents written to %s", len(written), len(documents), self.where)
        return [d.name for d in written]

    def delete(self, names: list[str]) -> list[str]:
        """Delete documents (and their chunks) by name in one transaction with one version bump; returns the names
        that were stored."""
        with self._write.begin() as session:
            version = lock_version(session, KbVersion)
            found = list(session.scalars(select(KbDocument.name).where(KbDocument.name.in_(names))))
            ids = select(KbDocument.id).where(KbDocument.name.in_(found))
            session.execute(delete(KbChunk).where(KbChunk.document_id.in_(ids)))
            session.execute(delete(KbDocument).where(KbDocument.name.in_(found)))
            if found:
                bump_version(session, KbVersion, version)
        logger.info("kb: %d documents deleted from %s", len(found), self.where)
        return found

    def close(self) -> None:
        """Close the pooled connections."""
        self.engine.dispose()


def _documents(session: Session) -> list[StoredDocument]:
    query = select(KbDocument.id, KbDocument.name, KbDocument.sha256, KbDocument.added_at, KbDocument.chunks)
    return [StoredDocument(*row) for row in session.execute(query.order_by(KbDocument.id))]


def _insert(session: Session, document: NewDocument) -> None:
    """Insert one document and its chunks, after deleting the document of that name (and its chunks) if any."""
    if len(document.name) > MAX_NAME_CHARS:
        raise ValueError(f"document name over {MAX_NAME_CHARS} characters: {document.name[:80]}...")
    old = select(KbDocument.id).where(KbDocument.name == document.name).scalar_subquery()
    session.execute(delete(KbChunk).where(KbChunk.document_id == old))
    session.execute(delete(KbDocument).where(KbDocument.name == document.name))
    row = KbDocument(
        name=document.name,
        sha256=document.sha256,
        added_at=document.added_at or datetime.now(timezone.utc).replace(microsecond=0),
        text=document.text,
        chunks=len(document.chunks),
    )
    session.add(row)
    session.flush()  # gives the row its id
    session.add_all(
        KbChunk(
            document_id=row.id,
            position=n,
            start_offset=chunk.start,
            end_offset=chunk.end,
            heading=chunk.heading,
            text=chunk.text,
            vector=vector_bytes(chunk.vector),
        )
        for n, chunk in enumerate(document.chunks)
    )
