"""Bad input of many kinds through the `Assistant` API: a clear answer or a clear refusal, never a traceback."""

from __future__ import annotations

import uuid

import pytest

from skills.base import InputError

pytestmark = pytest.mark.slow

# (class, message): each must be answered (a stored turn) or refused with InputError (nothing stored)
MESSAGES = [
    ("empty", ""),
    ("whitespace only", " \t\n  "),
    ("100k characters", "word " * 20_000),
    ("1M characters", "x" * 1_000_000),
    ("control characters", "find the names in:\x00 Priya\x07 Nair\x1b joined Infosys"),
    ("zero-width characters", "\u200bhello\u200d\ufeff"),
    ("invalid surrogates", "what's the sentiment of: great \ud800 film \udfff"),
    ("right-to-left text", "مرحبا، كيف حالك؟"),
    ("emoji only", "😀😀🎉"),
    ("non-English", "¿Dónde está la biblioteca de Madrid?"),
    ("HTML/JS", "<script>alert(1)</script><img src=x onerror=alert(2)>"),
    ("Markdown image and link", "![x](http://example.com/x.png) [click](javascript:alert(1))"),
    ("SQL-looking text", "Robert'); DROP TABLE turns;--"),
    ("command without argument", "/qa"),
    ("unknown command", "/delete everything"),
    ("only punctuation", "?!.,;:"),
]


@pytest.mark.parametrize(("kind", "message"), MESSAGES, ids=[kind for kind, _ in MESSAGES])
def test_bad_message_gets_a_clear_answer_or_refusal(assistant, kind, message):
    sid = uuid.uuid4().hex
    try:
        reply = assistant.reply(message, sid)
    except InputError as error:
        assert str(error) and "Traceback" not in str(error)
        assert assistant.store.turns(session_id=sid) == []
        return
    assert reply.text.strip()
    stored = assistant.store.turn(reply.turn_id)
    assert stored.session_id == sid
    assert "\x00" not in stored.message and "\ud800" not in stored.message


def test_the_sql_looking_message_is_stored_as_text_and_the_tables_survive(assistant):
    reply = assistant.reply("Robert'); DROP TABLE turns;--", uuid.uuid4().hex)
    assert assistant.store.turn(reply.turn_id).message == "Robert'); DROP TABLE turns;--"
    assert assistant.store.check_integrity()


def test_rating_twice_keeps_both_events_and_the_latest_counts(assistant):
    reply = assistant.reply("/sentiment a lovely film", uuid.uuid4().hex)
    assistant.rate(reply.turn_id, thumb="up")
    assistant.rate(reply.turn_id, thumb="up")
    assert [r.thumb for r in assistant.store.ratings(reply.turn_id)] == ["up", "up"]
    assert assistant.store.current_rating(reply.turn_id).thumb == "up"


@pytest.mark.parametrize("turn_id", [0, -1, 10**12, "abc", None])
def test_rating_an_answer_that_does_not_exist_is_refused(assistant, turn_id):
    before = len(assistant.store.ratings())
    with pytest.raises(InputError):
        assistant.rate(turn_id, thumb="up")
    assert len(assistant.store.ratings()) == before
