"""Several replicas on one database: two real app processes take turns and ratings at once without losing any, on
SQLite (WAL, busy timeout) and on PostgreSQL (a throw-away server from Debian's binaries; skipped only where they
are not installed); stores opening a fresh database at the same moment all come up with one schema."""

from __future__ import annotations

import threading

import pytest

from bench.load import run_load
from bench.server import PostgresServer, postgres_bindir
from core.store import FeedbackStore

OPENERS = 8


@pytest.fixture(scope="module")
def postgres():
    bindir = postgres_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server installed (/usr/lib/postgresql/*/bin); Debian: apt-get install postgresql")
    with PostgresServer(bindir) as server:
        yield server


def open_at_once(url: str) -> list[str]:
    """`OPENERS` stores opening `url` at the same moment (as replicas starting together do); their errors."""
    barrier = threading.Barrier(OPENERS)
    errors: list[str] = []

    def open_store() -> None:
        barrier.wait()
        try:
            store = FeedbackStore(url)
            store.record_turn(
                session_id="opener",
                message="m",
                skill="help",
                reply_text="r",
                confidence=1.0,
                router_scores={},
                output={},
                adapter_version=None,
            )
            store.close()
        except Exception as error:  # collected so that the test shows every opener's failure
            errors.append(f"{type(error).__name__}: {error}")

    threads = [threading.Thread(target=open_store) for _ in range(OPENERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def check_two_replicas(summary: dict) -> None:
    assert summary["errors"] == 0, summary["error_examples"]
    assert summary["warm_up_errors"] == []
    check = summary["check"]
    # 2 warm-up turns (one per replica) + 4 clients x 4 turns, every answer rated
    assert check["turns_acknowledged"] == 18 and check["turns_missing"] == check["turns_extra"] == 0
    assert check["ratings_acknowledged"] == check["ratings_stored"] >= 18
    assert check["ratings_missing"] == check["ratings_differing"] == check["ratings_extra"] == 0
    assert check["integrity_ok"]


@pytest.mark.parametrize("attempt", range(3))
def test_stores_opening_a_fresh_sqlite_file_at_once_all_work(tmp_path, attempt):
    url = f"sqlite:///{tmp_path / 'feedback.db'}"
    assert open_at_once(url) == []
    store = FeedbackStore(url)
    assert store.counts()["turns"] == OPENERS and store.check_integrity()
    store.close()


@pytest.mark.parametrize("attempt", range(3))
def test_stores_opening_a_fresh_postgresql_database_at_once_all_work(postgres, attempt):
    url = postgres.create_database(f"fresh_{attempt}")
    assert open_at_once(url) == []
    store = FeedbackStore(url)
    assert store.counts()["turns"] == OPENERS and store.check_integrity()
    store.close()


@pytest.mark.slow
def test_two_app_replicas_on_one_sqlite_file_lose_no_rating(tmp_path):
    summary = run_load(clients=4, turns=4, home=tmp_path, replicas=2)
    check_two_replicas(summary)


@pytest.mark.slow
def test_two_app_replicas_on_one_postgresql_database_lose_no_rating(tmp_path, postgres):
    summary = run_load(clients=4, turns=4, home=tmp_path, replicas=2, db_url=postgres.create_database("replicas"))
    check_two_replicas(summary)
