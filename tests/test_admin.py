"""The admin actions: nothing without the password; with it, the feedback timeline, promote/rollback (served at
once), export and session deletion."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from chatbot.admin import Admin, feedback_timeline
from core.config import REPO_ROOT
from core.errors import InputError
from core.registry import AdapterRegistry
from core.store import RatingRecord, TurnRecord
from tests.test_adapters import RELEASED, REVIEW, flipped_sentiment_version

PASSWORD = "correct horse battery staple"
DAY = datetime(2026, 11, 1, 12, tzinfo=timezone.utc)


def turn(turn_id: int, skill: str) -> TurnRecord:
    return TurnRecord(
        id=turn_id,
        session_id="s",
        created_at=DAY,
        message="m",
        skill=skill,
        reply_text="r",
        confidence=1.0,
        router_scores={},
        output={},
        adapter_version="v1",
        subject_text=None,
    )


def rating(rating_id: int, turn_id: int, thumb: str, day: int = 0) -> RatingRecord:
    return RatingRecord(
        id=rating_id,
        turn_id=turn_id,
        session_id="s",
        created_at=DAY + timedelta(days=day),
        thumb=thumb,
        reason=None,
        correction=None,
    )


def test_timeline_counts_each_answers_latest_thumb_per_day_and_skill():
    turns = [turn(1, "ner"), turn(2, "ner"), turn(3, "sentiment"), turn(4, "ner")]
    ratings = [
        rating(1, 1, "down"),
        rating(2, 1, "up"),  # changed its mind: counts as 👍
        rating(3, 2, "down"),
        rating(4, 3, "up", day=1),
        rating(5, 4, "up"),
        rating(6, 4, "retracted"),  # taken back: not counted
    ]
    assert feedback_timeline(turns, ratings) == [
        {"day": "2026-11-01", "skill": "ner", "ratings": 2, "approval": 0.5},
        {"day": "2026-11-02", "skill": "sentiment", "ratings": 1, "approval": 1.0},
    ]


@pytest.fixture()
def admin(assistant):
    admin = Admin(assistant)
    admin.password = PASSWORD
    return admin


def test_without_a_configured_password_the_admin_is_off(assistant):
    assert assistant.config.admin_password == ""
    with pytest.raises(InputError, match="EXCHAT_ADMIN_PASSWORD"):
        Admin(assistant).overview("")


def test_every_action_refuses_a_wrong_password_and_stops_guessing(admin):
    for action, args in [
        (admin.overview, ()),
        (admin.promote, ("sentiment/v1",)),
        (admin.rollback, ("sentiment",)),
        (admin.export, ()),
        (admin.delete_session, ("someone",)),
    ]:
        with pytest.raises(InputError, match=r"Wrong admin password|Too many"):
            action("guess", *args)
    with pytest.raises(InputError, match="Too many wrong passwords"):
        admin.check("another guess")
    admin.check(PASSWORD)  # the right password still works


def test_promote_and_rollback_serve_the_version_at_once(admin, assistant):
    registry = AdapterRegistry(assistant.config.registry)
    released = registry.seed("sentiment", REPO_ROOT / "adapters" / "sentiment", RELEASED)
    flipped_sentiment_version(registry, "v5")
    try:
        assert "v5 is current" in admin.promote(PASSWORD, "sentiment/v5")
        assert assistant.reply(REVIEW, "admin").adapter_version == "v5"
        rows = {(row[0], row[1]): row for row in admin.versions()}
        assert rows[("sentiment", "v5")][2] is True
        assert f"{released} is current" in admin.rollback(PASSWORD, "sentiment")
        assert assistant.reply(REVIEW, "admin").adapter_version == released
        with pytest.raises(InputError, match="SKILL/VERSION"):
            admin.promote(PASSWORD, "v5")
    finally:
        if registry.current("sentiment") != released:
            registry.promote("sentiment", released, "test cleanup")
        assistant.adapters.refresh(force=True)


def test_export_and_delete_with_the_password(admin, assistant):
    reply = assistant.reply("/sentiment a dull, tired film", "admin-privacy")
    assistant.rate(reply.turn_id, thumb="up", session_id="admin-privacy")
    path = admin.export(PASSWORD)
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert any(reply.turn_id in row["turn_ids"] for row in rows)
    message = admin.delete_session(PASSWORD, "admin-privacy")
    assert "admin-privacy" in message
    assert assistant.store.turns(session_id="admin-privacy") == []
