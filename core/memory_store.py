"""The correction memory's rows in the app's database, so that every replica answers a corrected input alike.

Three tables beside the feedback store's, on the same SQLAlchemy URL (engine from `core/database.py`), kept like the
knowledge base's (`core/knowledge_store.py`):

- `memory_entries`: one per corrected input and claim: the skill, what it read (`text`: for a question, the
  question), the text's normalised form (`key`), the correction as the skill stores it, its `claim` (what it says,
  without offsets: two sessions agree when their claims match), the text's embedding (float32 bytes), the adapter
  version that answered wrongly, and `approved_at` (an admin's approval, or NULL).
- `memory_votes`: the ratings behind an entry: session, turn, rating and time. An entry is confirmed once votes from
  two sessions or an admin's approval stand behind it.
- `memory_version`: one row bumped by every change in the same transaction; each process keeps its copy of the
  entries (and its FAISS index of them) and reads them again only when this value moves.

Every write locks the version row first, so writers from any process take turns.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, ClassVar

import numpy as np
from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text, delete, select, update
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

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
from core.store import MAX_SESSION_ID_CHARS

logger = logging.getLogger(__name__)


class _Base(DeclarativeBase):
    pass


class MemoryEntry(_Base):
    __tablename__ = "memory_entries"
    __table_args__: ClassVar[dict[str, Any]] = {"sqlite_autoincrement": True}  # ids are never reused

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    skill: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(Text, index=True)
    text: Mapped[str] = mapped_column(Text)
    correction: Mapped[dict[str, Any]] = mapped_column(JSON)
    claim: Mapped[str] = mapped_column(Text)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    adapter_version: Mapped[str | None] = mapped_column(String(128), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class MemoryVote(_Base):
    __tablename__ = "memory_votes"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("memory_entries.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[str] = mapped_column(String(MAX_SESSION_ID_CHARS), index=True)
    turn_id: Mapped[int] = mapped_column(Integer, index=True)
    rating_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MemoryVersion(_Base):
    __tablename__ = "memory_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


@dataclass(frozen=True)
class NewCorrection:
    """One rating's correction, to remember."""

    skill: str
    key: str
    text: str
    correction: dict[str, Any]
    claim: str
    vector: np.ndarray
    adapter_version: str | None
    session_id: str
    turn_id: int
    rating_id: int


@dataclass(frozen=True)
class StoredCorrection:
    id: int
    skill: str
    key: str
    text: str
    correction: dict[str, Any]
    claim: str
    vector: np.ndarray
    adapter_version: str | None
    created_at: datetime
    approved_at: datetime | None
    sessions: tuple[str, ...]  # the sessions that voted for it, first vote first

    @property
    def confirmed(self) -> bool:
        """Shared with everyone: two sessions agree, or an admin approved it."""
        return self.approved_at is not None or len(self.sessions) >= 2


class MemoryStore:
    """The correction memory's entries, votes and version counter; safe to use from many threads and processes."""

    def __init__(self, url: str) -> None:
        self.engine = open_engine(url)
        with schema_transaction(self.engine) as connection:
            _Base.metadata.create_all(connection)
            seed_version(connection, MemoryVersion)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine, expire_on_commit=False, execution_options=WRITE)

    def version(self) -> int:
        """The counter every change bumps: one indexed single-row read."""
        with self._read() as session:
            return read_version(session, MemoryVersion)

    def entries(self) -> list[StoredCorrection]:
        """Every entry with the sessions behind it, oldest first."""
        with self._read() as session:
            votes: dict[int, list[str]] = {}
            for entry_id, session_id in session.execute(
                select(MemoryVote.entry_id, MemoryVote.session_id).order_by(MemoryVote.id)
            ):
                if session_id not in votes.setdefault(entry_id, []):
                    votes[entry_id].append(session_id)
            rows = session.scalars(select(MemoryEntry).order_by(MemoryEntry.id)).all()
        return [_stored(row, tuple(votes.get(row.id, ()))) for row in rows]

    def add(self, correction: NewCorrection, agree_with: int | None = None) -> int:
        """Remember a correction: a vote for entry `agree_with` (a near-duplicate input with the same claim), or for
        the entry of the same skill, key and claim, or a new entry. Returns the entry's id."""
        with self._write.begin() as session:
            version = lock_version(session, MemoryVersion)
            entry_id = agree_with or session.scalar(
                select(MemoryEntry.id).where(
                    MemoryEntry.skill == correction.skill,
                    MemoryEntry.key == correction.key,
                    MemoryEntry.claim == correction.claim,
                )
            )
            if entry_id is None or session.get(MemoryEntry, entry_id) is None:
                row = MemoryEntry(
                    skill=correction.skill,
                    key=correction.key,
                    text=correction.text,
                    correction=correction.correction,
                    claim=correction.claim,
                    vector=vector_bytes(correction.vector),
                    adapter_version=correction.adapter_version,
                    created_at=_now(),
                )
                session.add(row)
                session.flush()
                entry_id = row.id
            session.add(
                MemoryVote(
                    entry_id=entry_id,
                    session_id=correction.session_id,
                    turn_id=correction.turn_id,
                    rating_id=correction.rating_id,
                    created_at=_now(),
                )
            )
            bump_version(session, MemoryVersion, version)
        return entry_id

    def forget_turns(self, turn_ids: list[int]) -> int:
        """Drop the votes of these turns (their correction was taken back, or their session deleted) and the entries
        left without votes; returns the number of entries deleted."""
        with self._write.begin() as session:
            version = lock_version(session, MemoryVersion)
            dropped = session.execute(delete(MemoryVote).where(MemoryVote.turn_id.in_(turn_ids))).rowcount
            orphans = select(MemoryEntry.id).where(~MemoryEntry.id.in_(select(MemoryVote.entry_id)))
            deleted = session.execute(delete(MemoryEntry).where(MemoryEntry.id.in_(orphans))).rowcount
            if dropped:
                bump_version(session, MemoryVersion, version)
        return deleted

    def forget_before(self, cutoff: datetime) -> int:
        """Drop the votes made before `cutoff` and the entries left without votes; returns the entries deleted."""
        with self._read() as session:
            turns = list(session.scalars(select(MemoryVote.turn_id).where(MemoryVote.created_at < cutoff)))
        return self.forget_turns(turns) if turns else 0

    def forget_session(self, session_id: str) -> int:
        """Drop a session's votes and the entries left without votes; returns the number of entries deleted."""
        with self._read() as session:
            turns = list(session.scalars(select(MemoryVote.turn_id).where(MemoryVote.session_id == session_id)))
        return self.forget_turns(turns) if turns else 0

    def approve(self, entry_id: int) -> bool:
        """Share an entry with everyone (an admin's approval); False when there is no such entry."""
        with self._write.begin() as session:
            version = lock_version(session, MemoryVersion)
            changed = session.execute(
                update(MemoryEntry).where(MemoryEntry.id == entry_id).values(approved_at=_now())
            ).rowcount
            if changed:
                bump_version(session, MemoryVersion, version)
        return bool(changed)

    def delete(self, entry_ids: list[int]) -> int:
        """Delete entries and their votes; returns how many were stored."""
        with self._write.begin() as session:
            version = lock_version(session, MemoryVersion)
            session.execute(delete(MemoryVote).where(MemoryVote.entry_id.in_(entry_ids)))
            deleted = session.execute(delete(MemoryEntry).where(MemoryEntry.id.in_(entry_ids))).rowcount
            if deleted:
                bump_version(session, MemoryVersion, version)
        return deleted

    def close(self) -> None:
        self.engine.dispose()


def _stored(row: MemoryEntry, sessions: tuple[str, ...]) -> StoredCorrection:
    return StoredCorrection(
        id=row.id,
        skill=row.skill,
        key=row.key,
        text=row.text,
        correction=row.correction,
        claim=row.claim,
        vector=bytes_vector(row.vector),
        adapter_version=row.adapter_version,
        created_at=row.created_at,
        approved_at=row.approved_at,
        sessions=sessions,
    )


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)
