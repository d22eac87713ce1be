"""Retention: the text of answers older than `retention_days` is purged at start-up and daily, and purged answers
never break a conversation, a rating or the training data."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest

from chatbot.retention import purge_expired, run_every
from core.errors import InputError
from core.store import PURGED_TEXT, FeedbackStore


@pytest.fixture
def store(tmp_path):
    store = FeedbackStore(f"sqlite:///{tmp_path / 'feedback.db'}")
    yield store
    store.close()


def add_turn(store: FeedbackStore, session_id: str = "s1") -> int:
    return store.record_turn(
        session_id=session_id,
        message="my private message",
        skill="sentiment",
        reply_text="negative",
        confidence=0.9,
        router_scores={"sentiment": 0.9},
        output={"data": {"text": "my private message", "label": "negative"}, "rationale": {}, "passage": None},
        adapter_version="sentiment-v1",
        subject_text="my private message",
    )


def test_only_answers_older_than_the_retention_are_purged(store):
    turn_id = add_turn(store)
    created = store.turn(turn_id).created_at
    assert purge_expired(store, 30, created + timedelta(days=30)) == {"turns": 0, "ratings": 0}
    assert store.turn(turn_id).purged_at is None
    assert purge_expired(store, 30, created + timedelta(days=30, seconds=1)) == {"turns": 1, "ratings": 0}
    assert store.turn(turn_id).message == PURGED_TEXT


def test_zero_days_keeps_everything_forever(store):
    turn_id = add_turn(store)
    far_future = store.turn(turn_id).created_at + timedelta(days=100_000)
    assert purge_expired(store, 0, far_future) == {"turns": 0, "ratings": 0}
    assert store.turn(turn_id).message == "my private message"


@pytest.mark.parametrize("days", [-1, 1.5, True, "30"])
def test_a_bad_number_of_days_is_refused(store, days):
    with pytest.raises(ValueError, match="retention days"):
        purge_expired(store, days, datetime.now(timezone.utc))


def test_the_timer_repeats_the_job_survives_a_failure_and_stops():
    calls: list[int] = []
    third = threading.Event()

    def job() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database is locked")  # logged; the timer goes on
        if len(calls) == 3:
            third.set()

    timer = run_every(0.01, job, "test purge")
    try:
        assert third.wait(timeout=10)
    finally:
        timer.stop()
    done = len(calls)
    threading.Event().wait(0.05)
    assert len(calls) <= done + 1  # at most one call was already under way


@pytest.fixture
def keeping_30_days(assistant, tmp_path):
    """The shared models over a fresh store, with a retention of 30 days."""
    from chatbot.assistant import Assistant
    from core.config import AppConfig

    config = AppConfig.from_env(environ={}, home=tmp_path, retention_days=30)
    built = Assistant(assistant.skills, assistant.router, FeedbackStore(config.db_url), assistant.knowledge, config)
    yield built
    built.close()


@pytest.mark.slow
def test_the_assistant_purges_at_start_up(assistant, tmp_path):
    from chatbot.assistant import Assistant
    from core.config import AppConfig

    config = AppConfig.from_env(environ={}, home=tmp_path, retention_days=1)
    store = FeedbackStore(config.db_url)
    turn_id = add_turn(store)
    with store.engine.begin() as connection:  # make the answer two days old
        connection.exec_driver_sql("UPDATE turns SET created_at = datetime(created_at, '-2 days')")
    built = Assistant(assistant.skills, assistant.router, store, assistant.knowledge, config)
    try:
        assert store.turn(turn_id).purged_at is not None
    finally:
        built.close()


@pytest.mark.slow
def test_a_purged_conversation_resumes_without_its_text_and_its_answers_cannot_be_rated(keeping_30_days):
    bot = keeping_30_days
    passage = (
        "The Kestrel Bridge over the river Varn was opened in 1932 by the mayor of Tollmere. It was built by the "
        "Oduya brothers from local stone, and it carried the first tram line of the valley until the flood."
    )
    first = bot.reply(f"Context: {passage} Question: when was it opened?", "old-session")
    assert "1932" in first.data["answer"]
    followup = bot.reply("who built it?", "old-session")
    assert followup.data["source"] == "conversation" and "Oduya" in followup.data["answer"]
    bot.rate(first.turn_id, thumb="up", reason="nice")
    counts = bot.store.counts()

    later = bot.store.turn(first.turn_id).created_at + timedelta(days=31)
    assert bot.purge_expired(now=later)["turns"] == 2

    assert bot.store.counts() == counts
    with pytest.raises(InputError, match="retention period"):
        bot.rate(first.turn_id, thumb="down")
    # The remembered passage went with the purge: the question is not answered from the old text.
    followup = bot.reply("who built it?", "old-session")
    assert "you pasted a passage" not in followup.rationale.route.reason
    assert "Varn" not in str(followup.to_dict())
    assert bot.store.check_integrity()


@pytest.mark.slow
def test_purged_answers_never_become_training_examples(keeping_30_days):
    from training.feedback_export import load_feedback

    bot = keeping_30_days
    kept = bot.reply("/sentiment the soup was cold", "s1")
    purged = bot.reply("/sentiment the film was a delight", "s1")
    bot.rate(kept.turn_id, thumb="up")
    bot.rate(purged.turn_id, thumb="down", correction="negative")
    with bot.store.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE turns SET created_at = datetime(created_at, '-40 days') WHERE id = ?", (purged.turn_id,)
        )
    bot.purge_expired()
    dataset = load_feedback(bot.store)
    assert [e.turn_ids for e in dataset.examples] == [(kept.turn_id,)]
    assert dataset.dropped == (
        (purged.turn_id, f"the text of answer #{purged.turn_id} was purged after the retention period"),
    )


@pytest.mark.slow
def test_closing_the_assistant_stops_its_purge_thread(assistant, tmp_path):
    from chatbot.assistant import Assistant
    from core.config import AppConfig

    config = AppConfig.from_env(environ={}, home=tmp_path, retention_days=30)
    before = set(threading.enumerate())
    built = Assistant(assistant.skills, assistant.router, FeedbackStore(config.db_url), assistant.knowledge, config)
    [purging] = [t for t in set(threading.enumerate()) - before if t.name == "retention purge"]
    assert purging.is_alive()
    built.close()
    assert not purging.is_alive()
