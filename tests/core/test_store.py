from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from core.errors import InputError
from core.store import PURGED_OUTPUT, PURGED_TEXT, FeedbackStore, RatingRecord, TurnRecord

OUTPUT = {
    "data": {
        "entities": [{"text": "Zoë Müller", "label": "PER", "start": 0, "end": 10}],
        "nested": {"a": [1, 2.5]},
    },
    "rationale": {"route": {"skill": "ner", "scores": {"ner": 0.91}}, "note": "日本語 ✓ 🚀"},
}


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'state' / 'feedback.db'}"


@pytest.fixture
def store(db_url: str) -> Iterator[FeedbackStore]:
    store = FeedbackStore(db_url)
    yield store
    store.close()


def add_turn(store: FeedbackStore, session_id: str = "s1", skill: str = "ner", **fields) -> int:
    values = {
        "message": "Zoë Müller joined Infosys in Pune",
        "reply_text": "**Zoë Müller** (PER)",
        "confidence": 0.87,
        "router_scores": {"ner": 0.91, "sentiment": 0.05},
        "output": OUTPUT,
        "adapter_version": "ner-v3",
        "subject_text": "Zoë Müller joined Infosys in Pune",
    }
    values.update(fields)
    return store.record_turn(session_id=session_id, skill=skill, **values)


def run_threads(count: int, work: Callable[[int], None]) -> None:
    """Run `work(i)` on `count` threads started together; re-raise the first error any of them hit."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def target(i: int) -> None:
        try:
            barrier.wait()
            work(i)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer thread hung"
    if errors:
        raise errors[0]


def test_recorded_turn_reads_back_with_every_field(store):
    before = datetime.now(timezone.utc)
    turn_id = add_turn(store, session_id="session-ü")
    turn = store.turn(turn_id)
    assert isinstance(turn, TurnRecord)
    assert turn.id == turn_id
    assert turn.session_id == "session-ü"
    assert turn.message == "Zoë Müller joined Infosys in Pune"
    assert turn.skill == "ner"
    assert turn.reply_text == "**Zoë Müller** (PER)"
    assert turn.confidence == pytest.approx(0.87)
    assert turn.router_scores == {"ner": pytest.approx(0.91), "sentiment": pytest.approx(0.05)}
    assert turn.output == OUTPUT
    assert turn.adapter_version == "ner-v3"
    assert turn.subject_text == "Zoë Müller joined Infosys in Pune"
    assert turn.created_at.tzinfo is not None and turn.created_at.utcoffset() == timedelta(0)
    assert before - timedelta(seconds=1) <= turn.created_at <= datetime.now(timezone.utc) + timedelta(seconds=1)


def test_optional_turn_fields_are_stored_as_none(store):
    turn = store.turn(add_turn(store, adapter_version=None, subject_text=None))
    assert turn.adapter_version is None and turn.subject_text is None


def test_to_dict_gives_iso_timestamps_and_plain_values(store):
    turn_id = add_turn(store)
    store.rate(turn_id, thumb="up", reason="good")
    turn = store.turn(turn_id).to_dict()
    rating = store.ratings(turn_id)[0].to_dict()
    assert datetime.fromisoformat(turn["created_at"]).utcoffset() == timedelta(0)
    assert turn["output"] == OUTPUT and turn["id"] == turn_id
    assert rating == {
        "id": rating["id"],
        "turn_id": turn_id,
        "session_id": "s1",
        "created_at": rating["created_at"],
        "thumb": "up",
        "reason": "good",
        "correction": None,
    }
    assert datetime.fromisoformat(rating["created_at"]).tzinfo is not None


def test_up_then_down_then_retracted_keeps_every_event_and_the_latest_counts(store):
    turn_id = add_turn(store)
    assert store.current_rating(turn_id) is None

    up = store.rate(turn_id, thumb="up")
    assert store.current_rating(turn_id).thumb == "up"
    assert store.current_rating(turn_id).id == up

    down = store.rate(turn_id, thumb="down", reason="wrong label")
    current = store.current_rating(turn_id)
    assert (current.id, current.thumb, current.reason) == (down, "down", "wrong label")

    retracted = store.rate(turn_id, thumb=None)
    assert store.current_rating(turn_id) is None
    events = store.ratings(turn_id)
    assert [(e.id, e.thumb) for e in events] == [(up, "up"), (down, "down"), (retracted, "retracted")]
    assert all(isinstance(e, RatingRecord) for e in events)


def test_correction_is_stored_and_read_back(store):
    turn_id = add_turn(store)
    correction = {
        "entities": [{"text": "Pune", "label": "LOC"}, {"text": "Infosys", "label": "ORG"}],
        "note": "✓",
    }
    rating_id = store.rate(turn_id, thumb="down", reason="missed two", correction=correction)
    rating = store.current_rating(turn_id)
    assert rating.id == rating_id
    assert rating.correction == correction
    assert rating.reason == "missed two"


def test_missing_correction_is_sql_null_not_json_null(store):
    turn_id = add_turn(store)
    store.rate(turn_id, thumb="up")
    with store.engine.connect() as connection:
        nulls = connection.execute(text("SELECT COUNT(*) FROM ratings WHERE correction IS NULL")).scalar()
    assert nulls == 1


def test_reason_without_thumb_keeps_the_current_thumb(store):
    turn_id = add_turn(store)
    store.rate(turn_id, thumb="down")
    store.rate(turn_id, thumb=None, reason="  Pune is a place  ")
    current = store.current_rating(turn_id)
    assert (current.thumb, current.reason) == ("down", "Pune is a place")
    assert [e.thumb for e in store.ratings(turn_id)] == ["down", "down"]


@pytest.mark.parametrize("first", [None, "retract"])
def test_reason_without_any_thumb_is_rejected(store, first):
    turn_id = add_turn(store)
    if first == "retract":
        store.rate(turn_id, thumb="up")
        store.rate(turn_id, thumb=None)
    stored = len(store.ratings())
    with pytest.raises(InputError, match="no 👍/👎 yet"):
        store.rate(turn_id, thumb=None, reason="because")
    assert len(store.ratings()) == stored


def test_session_id_defaults_to_the_turns_session(store):
    turn_id = add_turn(store, session_id="owner")
    store.rate(turn_id, thumb="up")
    store.rate(turn_id, thumb="down", session_id="api-client")
    assert [e.session_id for e in store.ratings(turn_id)] == ["owner", "api-client"]


def test_unknown_turn_id_raises_and_stores_nothing(store):
    add_turn(store)
    with pytest.raises(InputError, match="no answer with id 999"):
        store.rate(999, thumb="up")
    with pytest.raises(InputError, match="no answer with id 999"):
        store.turn(999)
    assert store.ratings() == []
    assert store.counts()["ratings"] == 0


@pytest.mark.parametrize("thumb", ["sideways", "UP", "retracted", "", 1, True])
def test_bad_thumb_is_rejected(store, thumb):
    turn_id = add_turn(store)
    with pytest.raises(InputError, match="'up', 'down'"):
        store.rate(turn_id, thumb=thumb)
    assert store.ratings() == []


def test_reason_over_the_limit_is_rejected_and_at_the_limit_accepted(store):
    turn_id = add_turn(store)
    with pytest.raises(InputError, match="2,001 characters; the limit is 2,000"):
        store.rate(turn_id, thumb="down", reason="x" * 2_001)
    assert store.ratings() == []
    store.rate(turn_id, thumb="down", reason="x" * 2_000)
    assert store.current_rating(turn_id).reason == "x" * 2_000


@pytest.mark.parametrize("correction", ["Pune=LOC", ["Pune", "LOC"], 3, {"bad": {1, 2}}])
def test_correction_that_is_not_a_json_dict_is_rejected(store, correction):
    turn_id = add_turn(store)
    with pytest.raises(InputError, match="correction"):
        store.rate(turn_id, thumb="down", correction=correction)
    assert store.ratings() == []


def test_turn_id_that_is_not_a_number_is_rejected(store):
    with pytest.raises(InputError, match="whole number"):
        store.rate("1", thumb="up")


def test_reopened_store_sees_every_turn_and_rating(db_url):
    first = FeedbackStore(db_url)
    ids = [add_turn(first, session_id=f"s{i % 2}", message=f"message {i}") for i in range(5)]
    first.rate(ids[0], thumb="up")
    first.rate(ids[3], thumb="down", correction={"label": "negative"})
    first.close()

    second = FeedbackStore(db_url)
    try:
        assert [t.id for t in second.turns()] == ids[::-1]
        assert [t.message for t in second.turns(session_id="s1")] == ["message 3", "message 1"]
        assert [(r.turn_id, r.thumb) for r in second.ratings()] == [(ids[0], "up"), (ids[3], "down")]
        assert second.current_rating(ids[3]).correction == {"label": "negative"}
    finally:
        second.close()


def test_turns_are_newest_first_and_limited(store):
    ids = [add_turn(store) for _ in range(4)]
    assert [t.id for t in store.turns(limit=2)] == [ids[3], ids[2]]
    assert store.turns(session_id="nobody") == []


def test_rated_turns_are_those_with_any_rating_event_oldest_first(store):
    first, _unrated, retracted, rated = (add_turn(store) for _ in range(4))
    store.rate(rated, thumb="down")
    store.rate(first, thumb="up")
    store.rate(retracted, thumb=None)
    assert [t.id for t in store.rated_turns()] == [first, retracted, rated]


def test_sqlite_file_is_in_wal_mode_with_foreign_keys(store, db_url, tmp_path):
    assert (tmp_path / "state" / "feedback.db").exists()  # the parent folder was created
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
    outside = sqlite3.connect(tmp_path / "state" / "feedback.db")
    try:  # WAL is a property of the file, so any other process sees it too
        assert outside.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        outside.close()


def test_deleting_a_turn_deletes_its_ratings(store):
    kept, dropped = add_turn(store), add_turn(store)
    store.rate(kept, thumb="up")
    store.rate(dropped, thumb="down")
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM turns WHERE id = :id"), {"id": dropped})
    assert [r.turn_id for r in store.ratings()] == [kept]


def test_integrity_check_passes_on_a_used_store(store):
    store.rate(add_turn(store), thumb="up")
    assert store.check_integrity() is True


def test_integrity_check_fails_when_pages_are_damaged(tmp_path):
    path = tmp_path / "damaged.db"
    store = FeedbackStore(f"sqlite:///{path}")
    for _ in range(40):
        add_turn(store, reply_text="x" * 2_000)
    store.close()  # the last connection to close checkpoints the WAL into the file
    size = path.stat().st_size
    assert size > 20 * 4096
    with path.open("r+b") as file:  # keep the header and schema page, scribble over the table pages
        file.seek(2 * 4096)
        file.write(b"\xff" * (size - 2 * 4096))
    damaged = FeedbackStore(f"sqlite:///{path}")
    try:
        assert damaged.check_integrity() is False
    finally:
        damaged.close()


def test_eight_threads_rating_through_one_store_lose_nothing(store):
    turn_ids = [add_turn(store) for _ in range(8)]

    def work(i: int) -> None:
        for n in range(25):
            store.rate(turn_ids[i], thumb="up" if n % 2 else "down", reason=f"thread {i} rating {n}")

    run_threads(8, work)
    events = store.ratings()
    assert len(events) == 200
    assert len({e.id for e in events}) == 200
    for i, turn_id in enumerate(turn_ids):
        mine = store.ratings(turn_id)
        assert [e.reason for e in mine] == [f"thread {i} rating {n}" for n in range(25)]
        assert store.current_rating(turn_id).thumb == "down"  # the last rating, n = 24, was a down
    assert store.check_integrity()


def test_two_store_replicas_on_one_file_writing_at_once_lose_nothing(db_url):
    replicas = [FeedbackStore(db_url), FeedbackStore(db_url)]
    try:

        def work(i: int) -> None:
            replica = replicas[i % 2]
            for n in range(15):
                turn_id = add_turn(replica, session_id=f"thread-{i}", message=f"{i}:{n}")
                replica.rate(turn_id, thumb="up", reason=f"{i}:{n}")

        run_threads(8, work)
        for replica in replicas:
            assert len(replica.turns(limit=1_000)) == 120
            assert sorted(r.reason for r in replica.ratings()) == sorted(
                f"{i}:{n}" for i in range(8) for n in range(15)
            )
            assert all(t.message == replica.current_rating(t.id).reason for t in replica.turns(limit=1_000))
        assert replicas[0].check_integrity()
    finally:
        for replica in replicas:
            replica.close()


def test_counts_use_the_current_rating_of_each_turn(store):
    ner_a, ner_b, ner_c = (add_turn(store, skill="ner") for _ in range(3))
    qa = add_turn(store, skill="qa")
    add_turn(store, skill="help")
    store.rate(ner_a, thumb="up")
    store.rate(ner_b, thumb="up")
    store.rate(ner_b, thumb="down")  # changed mind: counts once, as down
    store.rate(ner_c, thumb="down")
    store.rate(ner_c, thumb=None)  # taken back: counts as neither
    store.rate(qa, thumb="down", correction={"answer": "Pune"})
    assert store.counts() == {
        "turns": 5,
        "ratings": 6,
        "by_skill": {
            "ner": {"turns": 3, "up": 1, "down": 1},
            "qa": {"turns": 1, "up": 0, "down": 1},
            "help": {"turns": 1, "up": 0, "down": 0},
        },
    }


def test_empty_store_counts_zero(store):
    assert store.counts() == {"turns": 0, "ratings": 0, "by_skill": {}}


def test_control_characters_emoji_and_long_text_round_trip(store):
    weird = "tab\there\nnew\rline \x01\x07\x1b[31m \u200b\u202e 👩‍🔬🇮🇳 \\ ' \" ; DROP TABLE turns; --"
    long_text = ("Ω≈ç√ 🚀 " * 20_000)[:100_000]
    assert len(long_text) == 100_000
    turn_id = add_turn(
        store,
        message=weird,
        reply_text=long_text,
        subject_text=weird + long_text,
        output={"data": {"text": weird, "long": long_text}, "rationale": {weird: [weird]}},
    )
    turn = store.turn(turn_id)
    assert turn.message == weird
    assert turn.reply_text == long_text
    assert turn.subject_text == weird + long_text
    assert turn.output == {"data": {"text": weird, "long": long_text}, "rationale": {weird: [weird]}}
    store.rate(turn_id, thumb="down", reason=weird, correction={"text": weird, "🙂": long_text})
    rating = store.current_rating(turn_id)
    assert rating.reason == weird
    assert rating.correction == {"text": weird, "🙂": long_text}


def test_delete_session_removes_its_turns_their_ratings_and_the_ratings_it_gave(store):
    mine, theirs = add_turn(store, session_id="me"), add_turn(store, session_id="them")
    store.rate(mine, thumb="up")  # my rating of my answer
    store.rate(mine, thumb="down", session_id="them")  # their rating of my answer
    store.rate(theirs, thumb="up", session_id="me")  # my rating of their answer
    store.rate(theirs, thumb="down")  # their rating of their answer
    assert store.delete_session("me") == {"turns": 1, "ratings": 3}
    assert [t.id for t in store.turns()] == [theirs]
    assert [(r.turn_id, r.session_id, r.thumb) for r in store.ratings()] == [(theirs, "them", "down")]
    assert store.counts()["turns"] == 1
    assert store.check_integrity()


def test_deleting_an_unknown_session_deletes_nothing_and_a_bad_id_is_refused(store):
    store.rate(add_turn(store, session_id="s1"), thumb="up")
    assert store.delete_session("nobody") == {"turns": 0, "ratings": 0}
    for bad in ("", "   ", "x" * 129, "s\x00", None):
        with pytest.raises(InputError, match="session id"):
            store.delete_session(bad)
    assert (store.counts()["turns"], store.counts()["ratings"]) == (1, 1)


def old_and_new_turns(store: FeedbackStore) -> tuple[int, int, datetime]:
    """One turn, then a cutoff just after it, then another turn: (old id, new id, cutoff)."""
    old = add_turn(store, session_id="old")
    cutoff = store.turn(old).created_at + timedelta(microseconds=1)
    while datetime.now(timezone.utc) <= cutoff:
        pass
    return old, add_turn(store, session_id="new"), cutoff


def test_purge_replaces_the_old_text_and_keeps_skill_times_thumbs_and_counts(store):
    old, new, cutoff = old_and_new_turns(store)
    store.rate(old, thumb="up")
    store.rate(old, thumb="down", reason="Zoë is a person", correction={"entities": [{"text": "Zoë Müller"}]})
    store.rate(new, thumb="down", reason="keep me")
    before, old_before = store.counts(), store.turn(old)

    assert store.purge_text_before(cutoff) == {"turns": 1, "ratings": 1}

    purged = store.turn(old)
    assert purged.purged_at is not None
    assert (purged.message, purged.reply_text, purged.subject_text) == (PURGED_TEXT, PURGED_TEXT, None)
    assert purged.output == PURGED_OUTPUT
    assert "Zoë" not in json.dumps(purged.to_dict(), ensure_ascii=False)
    same = ("session_id", "created_at", "skill", "confidence", "router_scores", "adapter_version")
    assert all(getattr(purged, name) == getattr(old_before, name) for name in same)
    assert [(r.thumb, r.reason, r.correction) for r in store.ratings(old)] == [("up", None, None), ("down", None, None)]
    assert store.counts() == before
    untouched = store.turn(new)
    assert untouched.purged_at is None and untouched.message == "Zoë Müller joined Infosys in Pune"
    assert store.current_rating(new).reason == "keep me"
    assert store.purge_text_before(cutoff) == {"turns": 0, "ratings": 0}  # already purged: not again
    assert store.check_integrity()


def test_a_purged_answer_cannot_be_rated(store):
    old, _new, cutoff = old_and_new_turns(store)
    store.purge_text_before(cutoff)
    with pytest.raises(InputError, match="retention period"):
        store.rate(old, thumb="up")
    assert store.ratings(old) == []


def test_purge_needs_a_timezone_aware_cutoff(store):
    with pytest.raises(ValueError, match="naive"):
        store.purge_text_before(datetime(2026, 1, 1))


def test_a_database_from_before_purging_gets_the_purged_at_column(db_url):
    old = FeedbackStore(db_url)
    turn_id = add_turn(old)
    with old.engine.begin() as connection:
        connection.execute(text("ALTER TABLE turns DROP COLUMN purged_at"))
    old.close()
    reopened = FeedbackStore(db_url)
    try:
        assert reopened.turn(turn_id).purged_at is None
        assert reopened.purge_text_before(datetime.now(timezone.utc)) == {"turns": 1, "ratings": 0}
        assert reopened.turn(turn_id).purged_at is not None
    finally:
        reopened.close()


def test_lone_surrogates_in_a_reason_are_stored_as_question_marks(store):
    turn_id = add_turn(store)
    store.rate(turn_id, thumb="down", reason="wrong \ud800 name")
    assert store.current_rating(turn_id).reason == "wrong ? name"


@pytest.mark.parametrize("session_id", ["x" * 129, "s\x00", "s\ud800", "   ", 42])
def test_a_rating_with_a_bad_session_id_is_refused(store, session_id):
    turn_id = add_turn(store)
    with pytest.raises(InputError, match="session id"):
        store.rate(turn_id, thumb="up", session_id=session_id)
    assert store.ratings() == []
