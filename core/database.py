"""Opening the app's database: one SQLAlchemy engine per store, tuned the same way for every store on one URL.

The feedback store (`core/store.py`) and the knowledge-base store (`core/knowledge_store.py`) keep their own tables
in the same database (`AppConfig.db_url`: SQLite by default, PostgreSQL for replicas on several machines).

SQLite runs in WAL mode with a busy timeout, so Gradio worker threads and several processes on one file can
write at once; write transactions start with `BEGIN IMMEDIATE` so a read-then-write never hits the
read-to-write lock upgrade that SQLite answers with "database is locked" instead of waiting.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import DateTime, Dialect, TypeDecorator, create_engine, event, insert, select, text, update
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

WRITE_OPTION = "exchat_write"  # connection execution option: this transaction will write
WRITE = {WRITE_OPTION: True}  # execution options of a write transaction (sessionmaker/connection)
_SCHEMA_LOCK_KEY = 0x45584348  # PostgreSQL advisory lock held while creating tables ("EXCH")
_VERSION_ROW = 1  # a version table's single row
_VECTOR_DTYPE = np.dtype("<f4")  # vectors are stored as little-endian float32 bytes on every platform


def vector_bytes(vector: np.ndarray) -> bytes:
    """An embedding as a BLOB: little-endian float32 bytes (no vector extension needed: Debian 12 has no pgvector)."""
    return np.asarray(vector, dtype=_VECTOR_DTYPE).tobytes()


def bytes_vector(data: bytes) -> np.ndarray:
    """The embedding `vector_bytes` stored."""
    return np.frombuffer(data, dtype=_VECTOR_DTYPE).astype(np.float32)


def seed_version(connection: Connection, table: type) -> None:
    """Give a version table (a mapped class with `id` and `version` columns) its single row at 0, once."""
    if connection.scalar(select(table.version).where(table.id == _VERSION_ROW)) is None:
        connection.execute(insert(table).values(id=_VERSION_ROW, version=0))


def read_version(session: Session, table: type) -> int:
    """The counter every change of a store bumps: one indexed single-row read."""
    return session.scalar(select(table.version).where(table.id == _VERSION_ROW)) or 0


def lock_version(session: Session, table: type) -> int:
    """The counter, locked for this write transaction: FOR UPDATE makes writers on PostgreSQL take turns (SQLite's
    BEGIN IMMEDIATE already has), so two replicas never act on the same version."""
    return session.scalar(select(table.version).where(table.id == _VERSION_ROW).with_for_update())


def bump_version(session: Session, table: type, version: int) -> None:
    """Move the counter on from the `version` that `lock_version` read."""
    session.execute(update(table).where(table.id == _VERSION_ROW).values(version=version + 1))


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


def open_engine(url: str) -> Engine:
    """An engine for `url`: SQLite tuned for several writers (see the module docstring), others as they come."""
    if make_url(url).get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True)


@contextmanager
def schema_transaction(engine: Engine) -> Iterator[Connection]:
    """A write transaction in which to create tables, one process at a time, even when several replicas open a
    fresh database at the same moment."""
    # On SQLite BEGIN IMMEDIATE makes the others wait instead of failing "database is locked" on the lock upgrade;
    # PostgreSQL's catalog has no such lock, so concurrent CREATE TABLEs collide ("already exists") unless an
    # advisory lock serialises them.
    with engine.connect().execution_options(**WRITE) as connection, connection.begin():
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK_KEY})
        yield connection


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
            _switch_to_wal(cursor)
            cursor.execute("PRAGMA synchronous=NORMAL")  # WAL-safe: a power cut loses only the last commits
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # IMMEDIATE takes the write lock up front (waiting up to busy_timeout), so a transaction that reads
        # and then writes cannot fail on a lock upgrade; reads use a plain BEGIN and never block writers.
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _switch_to_wal(cursor: Any) -> None:
    """`PRAGMA journal_mode=WAL`, retried: while another connection switches a fresh file, SQLite answers
    "database is locked" at once, without waiting for busy_timeout (replicas starting together hit it)."""
    for attempt in range(100):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == 99:
                raise
            time.sleep(0.05)
