"""The feedback store: every chat turn and every rating is written to a real database the moment it happens.

Two tables, via the SQLAlchemy 2.0 ORM so any SQLAlchemy URL works (SQLite by default, PostgreSQL for several
replicas):

- `turns`: one row per answer — the message, the skill that answered, the reply, the router's scores and the
  structured output (`{"data": ..., "rationale": ...}`) that retraining and the audit trail read back.
- `ratings`: append-only rating events (👍, 👎, a thumb taken back, a reason, a correction). Nothing is
  ever updated in place, so the history of every rating stays auditable; the *current* rating of a turn is
  its latest event.

SQLite runs in WAL mode with a busy timeout, so Gradio worker threads and several processes on one file can
write at once; write transactions start with `BEGIN IMMEDIATE` so a read-then-write (`rate`) never hits the
read-to-write lock upgrade that SQLite answers with "database is locked" instead of waiting.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    String,
    Text,
    TypeDecorator,
    create_engine,
    event,
    func,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool

from skills.base import InputError

logger = logging.getLogger(__name__)

THUMBS = ("up", "down")
RETRACTED = "retracted"
MAX_REASON_CHARS = 2_000
_WRITE_OPTION = "exchat_write"  # connection execution option: this transaction will write


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every dialect (SQLite keeps no offset: it is put back on read)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the store keeps timezone-aware UTC times")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class Turn(Base):
    __tablename__ = "turns"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(String(128), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    message: Mapped[str] = mapped_column(Text)
    skill: Mapped[str] = mapped_column(String(64))
    reply_text: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    router_scores: Mapped[dict[str, float]] = mapped_column(JSON)
    output: Mapped[dict[str, Any]] = mapped_column(JSON)
    adapter_version: Mapped[str | None] = mapped_column(String(128), nullable=True)
    subject_text: Mapped[str | None] = mapped_column(Text, nullable=True)


class Rating(Base):
    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    turn_id: Mapped[int] = mapped_column(ForeignKey("turns.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    thumb: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    # none_as_null: a missing correction is SQL NULL, not the JSON text 'null'
    correction: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), nullable=True)


@dataclass(frozen=True)
class TurnRecord:
    id: int
    session_id: str
    created_at: datetime
    message: str
    skill: str
    reply_text: str
    confidence: float
    router_scores: dict[str, float]
    output: dict[str, Any]  # {"data": ..., "rationale": ...}
    adapter_version: str | None
    subject_text: str | None  # the text the skill worked on

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "created_at": self.created_at.isoformat()}


@dataclass(frozen=True)
class RatingRecord:
    id: int
    turn_id: int
    session_id: str
    created_at: datetime
    thumb: str  # "up", "down" or "retracted"
    reason: str | None
    correction: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "created_at": self.created_at.isoformat()}


_R = TypeVar("_R", TurnRecord, RatingRecord)


def _record(kind: type[_R], row: Turn | Rating) -> _R:
    """The frozen record of an ORM row: the dataclass fields are named like the columns."""
    return kind(**{f.name: getattr(row, f.name) for f in fields(kind)})


def _sqlite_engine(url: str) -> Engine:
    """An SQLite engine tuned for several writer threads and processes on one file."""
    database = make_url(url).database
    in_memory = database in (None, "", ":memory:") or "mode=memory" in url
    if not in_memory and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    # An in-memory database exists once per connection: share one, or each thread would see its own.
    pool = {"poolclass": StaticPool} if in_memory else {}
    engine = create_engine(url, connect_args={"check_same_thread": False}, **pool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (see `_on_begin`).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA busy_timeout=10000")  # first, so switching to WAL also waits for locks
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")  # WAL-safe: a power cut loses only the last commits
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # IMMEDIATE takes the write lock up front (waiting up to busy_timeout), so a transaction that reads
        # and then writes cannot fail on a lock upgrade; reads use a plain BEGIN and never block writers.
        write = connection.get_execution_options().get(_WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


class FeedbackStore:
    """Turns and rating events in one database; safe to use from many threads (one session per call)."""

    def __init__(self, url: str) -> None:
        self.dialect = make_url(url).get_backend_name()
        self.engine = _sqlite_engine(url) if self.dialect == "sqlite" else create_engine(url, pool_pre_ping=True)
        Base.metadata.create_all(self.engine)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine, expire_on_commit=False, execution_options={_WRITE_OPTION: True})
        logger.info("feedback store open at %s", make_url(url).render_as_string(hide_password=True))

    def record_turn(
        self,
        *,
        session_id: str,
        message: str,
        skill: str,
        reply_text: str,
        confidence: float,
        router_scores: dict[str, float],
        output: dict,
        adapter_version: str | None,
        subject_text: str | None = None,
    ) -> int:
        """Store one answered message and commit; returns the new turn's id."""
        if not isinstance(session_id, str) or not session_id:
            raise ValueError(f"session_id must be a non-empty string, got {session_id!r}")
        if not isinstance(output, dict) or not isinstance(router_scores, dict):
            raise ValueError(f"output and router_scores must be dicts, got {type(output)}, {type(router_scores)}")
        row = Turn(
            session_id=session_id,
            message=message,
            skill=skill,
            reply_text=reply_text,
            confidence=float(confidence),
            router_scores={str(k): float(v) for k, v in router_scores.items()},
            output=output,
            adapter_version=adapter_version,
            subject_text=subject_text,
        )
        with self._write.begin() as session:
            session.add(row)
            session.flush()
            turn_id = row.id
        logger.debug("turn %d stored (session %s, skill %s)", turn_id, session_id, skill)
        return turn_id

    def rate(
        self,
        turn_id: int,
        *,
        session_id: str | None = None,
        thumb: str | None,
        reason: str | None = None,
        correction: dict | None = None,
    ) -> int:
        """Append one rating event for a turn and commit; returns the event's id.

        `thumb` is "up", "down" or None. None means:
        - with no reason and no correction: the user takes the thumb back → a "retracted" event (stored even
          when there was no thumb to take back, so every click stays in the audit trail; `current_rating` is
          then None);
        - with a reason or a correction: the turn's current thumb is kept (the event repeats it beside the new
          reason/correction); InputError if the turn has no current thumb, since a reason must say up or down.
        A blank reason and an empty correction count as none. `session_id` defaults to the turn's session.
        Raises InputError (nothing stored) for an unknown turn, a bad thumb, a reason over 2,000 characters
        or a correction that is not a JSON-serialisable dict.
        """
        if isinstance(turn_id, bool) or not isinstance(turn_id, int):
            raise InputError(f"An answer id is a whole number, got {turn_id!r}.")
        if thumb is not None and thumb not in THUMBS:
            raise InputError(f"A rating is 'up', 'down' or none (to take it back), got {thumb!r}.")
        reason = _check_reason(reason)
        correction = _check_correction(correction)
        with self._write.begin() as session:
            # FOR UPDATE serialises ratings of one turn on PostgreSQL; on SQLite, BEGIN IMMEDIATE already has.
            turn = session.scalars(select(Turn).where(Turn.id == turn_id).with_for_update()).one_or_none()
            if turn is None:
                raise InputError(f"no answer with id {turn_id}")
            if thumb is None and reason is None and correction is None:
                thumb = RETRACTED
            elif thumb is None:
                current = _current(session, turn_id)
                if current is None:
                    raise InputError(
                        f"Answer #{turn_id} has no 👍/👎 yet: choose one to go with your reason or correction."
                    )
                thumb = current.thumb
            row = Rating(
                turn_id=turn_id,
                session_id=session_id or turn.session_id,
                thumb=thumb,
                reason=reason,
                correction=correction,
            )
            session.add(row)
            session.flush()
            rating_id = row.id
        logger.debug("rating %d stored for turn %d: %s", rating_id, turn_id, thumb)
        return rating_id

    def turn(self, turn_id: int) -> TurnRecord:
        """One stored turn; InputError if there is none with this id."""
        with self._read() as session:
            row = session.get(Turn, turn_id)
            if row is None:
                raise InputError(f"no answer with id {turn_id}")
            return _record(TurnRecord, row)

    def turns(self, session_id: str | None = None, limit: int = 100) -> list[TurnRecord]:
        """The latest `limit` turns, newest first; only those of `session_id` when given."""
        if limit < 1:
            raise ValueError(f"limit must be at least 1, got {limit}")
        query = select(Turn).order_by(Turn.id.desc()).limit(limit)
        if session_id is not None:
            query = query.where(Turn.session_id == session_id)
        with self._read() as session:
            return [_record(TurnRecord, row) for row in session.scalars(query)]

    def rated_turns(self) -> list[TurnRecord]:
        """Every turn with at least one rating event (a taken-back thumb included), oldest first."""
        query = select(Turn).where(Turn.id.in_(select(Rating.turn_id))).order_by(Turn.id)
        with self._read() as session:
            return [_record(TurnRecord, row) for row in session.scalars(query)]

    def ratings(self, turn_id: int | None = None) -> list[RatingRecord]:
        """Rating events, oldest first; only those of `turn_id` when given."""
        query = select(Rating).order_by(Rating.id)
        if turn_id is not None:
            query = query.where(Rating.turn_id == turn_id)
        with self._read() as session:
            return [_record(RatingRecord, row) for row in session.scalars(query)]

    def current_rating(self, turn_id: int) -> RatingRecord | None:
        """The turn's latest rating event; None if it was never rated or the thumb was taken back."""
        with self._read() as session:
            return _current(session, turn_id)

    def counts(self) -> dict[str, Any]:
        """Totals: {"turns": n, "ratings": rating events, "by_skill": {skill: {"turns", "up", "down"}}}.

        "up"/"down" count turns by their current rating (latest event), so a changed mind counts once.
        """
        latest = select(func.max(Rating.id).label("id")).group_by(Rating.turn_id).subquery()
        current = (
            select(Turn.skill, Rating.thumb, func.count())
            .join(Rating, Rating.turn_id == Turn.id)
            .join(latest, latest.c.id == Rating.id)
            .group_by(Turn.skill, Rating.thumb)
        )
        with self._read() as session:
            turns = session.scalar(select(func.count()).select_from(Turn)) or 0
            ratings = session.scalar(select(func.count()).select_from(Rating)) or 0
            by_skill: dict[str, dict[str, int]] = {
                skill: {"turns": n, "up": 0, "down": 0}
                for skill, n in session.execute(select(Turn.skill, func.count()).group_by(Turn.skill))
            }
            for skill, thumb, n in session.execute(current):
                if thumb in THUMBS:
                    by_skill[skill][thumb] = n
        return {"turns": turns, "ratings": ratings, "by_skill": by_skill}

    def check_integrity(self) -> bool:
        """True when the database is sound: SQLite's integrity check passes; elsewhere both tables read."""
        try:
            with self.engine.connect() as connection:
                if self.dialect == "sqlite":
                    rows = connection.exec_driver_sql("PRAGMA integrity_check").scalars().all()
                    ok = rows == ["ok"]
                    if not ok:
                        logger.error("SQLite integrity check failed: %s", rows[:10])
                    return ok
                connection.execute(text("SELECT 1 FROM turns LIMIT 1")).all()
                connection.execute(text("SELECT 1 FROM ratings LIMIT 1")).all()
                return True
        except SQLAlchemyError:
            logger.exception("feedback store integrity check failed")
            return False

    def close(self) -> None:
        """Close every pooled connection; the store is unusable afterwards."""
        self.engine.dispose()


def _current(session: Session, turn_id: int) -> RatingRecord | None:
    row = session.scalars(
        select(Rating).where(Rating.turn_id == turn_id).order_by(Rating.id.desc()).limit(1)
    ).one_or_none()
    return None if row is None or row.thumb == RETRACTED else _record(RatingRecord, row)


def _check_reason(reason: str | None) -> str | None:
    if reason is None:
        return None
    if not isinstance(reason, str):
        raise InputError(f"A reason is text, got {type(reason).__name__}.")
    reason = reason.strip()
    if len(reason) > MAX_REASON_CHARS:
        raise InputError(f"The reason is {len(reason):,} characters; the limit is {MAX_REASON_CHARS:,}.")
    return reason or None


def _check_correction(correction: dict | None) -> dict | None:
    if correction is None:
        return None
    if not isinstance(correction, dict):
        raise InputError(f"A correction must be a dict, got {type(correction).__name__}.")
    try:
        json.dumps(correction)
    except (TypeError, ValueError) as error:
        raise InputError(f"The correction cannot be stored: {error}.") from error
    return correction or None
