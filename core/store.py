"""The feedback store: every chat turn and every rating is written to a real database the moment it happens.

Two tables, via the SQLAlchemy 2.0 ORM so any SQLAlchemy URL works (SQLite by default, PostgreSQL for several
replicas):

- `turns`: one row per answer — the message, the skill that answered, the reply, the router's scores and the
  structured output (the JSON form of `core.records.TurnOutput`: data, inputs, rationale, passage) that
  retraining and the audit trail read back.
- `ratings`: append-only rating events (👍, 👎, a thumb taken back, a reason, a correction). Nothing is
  ever updated in place, so the history of every rating stays auditable; the *current* rating of a turn is
  its latest event.

Privacy is the one exception: `delete_session` removes a session's turns and ratings, and `purge_text_before`
replaces the raw text of old turns (message, reply, output; the reasons and corrections of their ratings) while
keeping skill, times, scores and thumbs, so statistics survive; such a turn has `purged_at` set.

The engine (SQLite in WAL mode with a busy timeout, `BEGIN IMMEDIATE` for writes such as `rate`'s
read-then-write) comes from `core/database.py`, shared with the knowledge-base store.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    String,
    Text,
    delete,
    func,
    inspect,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from core.database import WRITE, UTCDateTime, open_engine, schema_transaction
from core.errors import InputError
from core.records import Thumb

logger = logging.getLogger(__name__)

THUMBS = (Thumb.UP.value, Thumb.DOWN.value)  # the thumbs a user gives; Thumb.RETRACTED takes one back
MAX_REASON_CHARS = 2_000
MAX_SESSION_ID_CHARS = 128  # the width of the session_id columns
PURGED_TEXT = "[deleted after the retention period]"
PURGED_OUTPUT: dict[str, Any] = {"data": {}, "rationale": {}, "passage": None}


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class Turn(Base):
    __tablename__ = "turns"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(String(MAX_SESSION_ID_CHARS), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    message: Mapped[str] = mapped_column(Text)
    skill: Mapped[str] = mapped_column(String(64))
    reply_text: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    router_scores: Mapped[dict[str, float]] = mapped_column(JSON)
    output: Mapped[dict[str, Any]] = mapped_column(JSON)
    adapter_version: Mapped[str | None] = mapped_column(String(128), nullable=True)
    subject_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # how the message came in: "text", "audio" or "image" (None: stored before voice and pictures); the text heard
    # or read is in the output's rationale ("input"), the kept files (EXCHAT_KEEP_MEDIA) are named in `media`
    modality: Mapped[str | None] = mapped_column(String(16), nullable=True)
    media: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True), nullable=True)


class Rating(Base):
    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    turn_id: Mapped[int] = mapped_column(ForeignKey("turns.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[str] = mapped_column(String(MAX_SESSION_ID_CHARS))
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
    purged_at: datetime | None = None  # when its text was replaced after the retention period
    modality: str | None = None  # "text", "audio" or "image"; None for turns stored before voice and pictures
    media: list[str] | None = None  # the recordings and pictures kept with it (EXCHAT_KEEP_MEDIA), by name

    def to_dict(self) -> dict[str, Any]:
        purged = self.purged_at.isoformat() if self.purged_at else None
        return {**asdict(self), "created_at": self.created_at.isoformat(), "purged_at": purged}


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


class FeedbackStore:
    """Turns and rating events in one database; safe to use from many threads (one session per call)."""

    def __init__(self, url: str) -> None:
        self.dialect = make_url(url).get_backend_name()
        self.engine = open_engine(url)
        self._create_schema()
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine, expire_on_commit=False, execution_options=WRITE)
        logger.info("feedback store open at %s", make_url(url).render_as_string(hide_password=True))

    def _create_schema(self) -> None:
        """Create the tables once, even when several replicas open a fresh database at the same moment."""
        with schema_transaction(self.engine) as connection:
            Base.metadata.create_all(connection)
            _add_missing_columns(connection)

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
        modality: str = "text",
        media: list[str] | None = None,
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
            modality=modality,
            media=media or None,
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
        thumb: Thumb | str | None,
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
        Raises InputError (nothing stored) for an unknown or purged turn, a bad thumb, a bad session id, a reason
        over 2,000 characters or a correction that is not a JSON-serialisable dict. Lone surrogates in the reason
        (which UTF-8 cannot hold) become "?".
        """
        if isinstance(turn_id, bool) or not isinstance(turn_id, int):
            raise InputError(f"An answer id is a whole number, got {turn_id!r}.")
        if thumb is not None and thumb not in (Thumb.UP, Thumb.DOWN):
            raise InputError(f"A rating is 'up', 'down' or none (to take it back), got {thumb!r}.")
        thumb = None if thumb is None else Thumb(thumb).value
        if session_id is not None and session_id != "":
            session_id = check_session_id(session_id)
        reason = _check_reason(reason)
        correction = _check_correction(correction)
        with self._write.begin() as session:
            # FOR UPDATE serialises ratings of one turn on PostgreSQL; on SQLite, BEGIN IMMEDIATE already has.
            turn = session.scalars(select(Turn).where(Turn.id == turn_id).with_for_update()).one_or_none()
            if turn is None:
                raise InputError(f"no answer with id {turn_id}")
            if turn.purged_at is not None:
                raise InputError(purged_message(turn_id))
            if thumb is None and reason is None and correction is None:
                thumb = Thumb.RETRACTED.value
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

    def media_turns(self) -> list[TurnRecord]:
        """Every turn whose message came from a recording or a picture and whose text is not purged, oldest first."""
        query = select(Turn).where(Turn.modality.in_(("audio", "image")), Turn.purged_at.is_(None)).order_by(Turn.id)
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

    def delete_session(self, session_id: str) -> dict[str, int]:
        """Delete a session's turns with all their ratings, and every rating the session gave, in one transaction.

        Returns {"turns": n, "ratings": m} deleted (zeros for an unknown session); InputError for a bad session id.
        """
        session_id = check_session_id(session_id)
        own_turns = select(Turn.id).where(Turn.session_id == session_id)
        no_sync = {"synchronize_session": False}
        with self._write.begin() as session:
            ratings = session.execute(
                delete(Rating).where(or_(Rating.session_id == session_id, Rating.turn_id.in_(own_turns))),
                execution_options=no_sync,
            ).rowcount
            turns = session.execute(
                delete(Turn).where(Turn.session_id == session_id), execution_options=no_sync
            ).rowcount
        logger.info("session %s deleted: %d turns, %d ratings", session_id, turns, ratings)
        return {"turns": turns, "ratings": ratings}

    def purge_text_before(self, cutoff: datetime) -> dict[str, int]:
        """Replace the raw text of every turn created before `cutoff` and not purged yet, in one transaction.

        The message and reply become PURGED_TEXT, the output PURGED_OUTPUT, the subject and media None, and the reasons
        and corrections of the turn's ratings None; skill, times, scores, adapter version and thumbs stay (so
        `counts` does not change) and `purged_at` marks the turn. Returns {"turns": n, "ratings": m}: the turns
        purged now and the ratings whose reason or correction was removed.
        """
        if cutoff.tzinfo is None:
            raise ValueError(f"naive cutoff {cutoff!r}: give a timezone-aware time")
        expired = (Turn.created_at < cutoff) & Turn.purged_at.is_(None)
        no_sync = {"synchronize_session": False}
        with self._write.begin() as session:
            ratings = session.execute(
                update(Rating)
                .where(Rating.turn_id.in_(select(Turn.id).where(expired)))
                .where(or_(Rating.reason.is_not(None), Rating.correction.is_not(None)))
                .values(reason=None, correction=None),
                execution_options=no_sync,
            ).rowcount
            turns = session.execute(
                update(Turn)
                .where(expired)
                .values(
                    message=PURGED_TEXT,
                    reply_text=PURGED_TEXT,
                    output=PURGED_OUTPUT,
                    subject_text=None,
                    media=None,
                    purged_at=_now(),
                ),
                execution_options=no_sync,
            ).rowcount
        logger.info("text of %d turns created before %s purged (%d ratings' reasons)", turns, cutoff, ratings)
        return {"turns": turns, "ratings": ratings}

    def close(self) -> None:
        """Close every pooled connection; the store is unusable afterwards."""
        self.engine.dispose()


def check_session_id(session_id: object) -> str:
    """`session_id` if it is 1 to 128 printable characters, not all spaces; InputError otherwise."""
    if not isinstance(session_id, str) or not session_id.strip():
        raise InputError("A session id is required.")
    if len(session_id) > MAX_SESSION_ID_CHARS or not session_id.isprintable():
        raise InputError(f"A session id is at most {MAX_SESSION_ID_CHARS} printable characters.")
    return session_id


def purged_message(turn_id: int) -> str:
    return f"Answer #{turn_id} is older than the retention period: its text was deleted, so it cannot be rated."


def _add_missing_columns(connection: Connection) -> None:
    """Add the nullable columns that a database made by an older version lacks (`create_all` adds only tables)."""
    for table in Base.metadata.sorted_tables:
        present = {column["name"] for column in inspect(connection).get_columns(table.name)}
        for column in table.columns:
            if column.name not in present:
                kind = column.type.compile(connection.dialect)
                connection.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}"))
                logger.info("added column %s.%s to the feedback store", table.name, column.name)


def _current(session: Session, turn_id: int) -> RatingRecord | None:
    row = session.scalars(
        select(Rating).where(Rating.turn_id == turn_id).order_by(Rating.id.desc()).limit(1)
    ).one_or_none()
    return None if row is None or row.thumb == Thumb.RETRACTED else _record(RatingRecord, row)


def _check_reason(reason: str | None) -> str | None:
    if reason is None:
        return None
    if not isinstance(reason, str):
        raise InputError(f"A reason is text, got {type(reason).__name__}.")
    reason = _encodable(reason).strip()
    if len(reason) > MAX_REASON_CHARS:
        raise InputError(f"The reason is {len(reason):,} characters; the limit is {MAX_REASON_CHARS:,}.")
    return reason or None


def _encodable(text: str) -> str:
    """`text` with lone surrogates (from broken clients; UTF-8 cannot hold them) replaced by "?"."""
    return text.encode("utf-8", "replace").decode("utf-8")


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
