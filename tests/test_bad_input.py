"""Bad input of many kinds through the `Assistant` API and the Gradio API: a clear answer or a clear refusal,
never a traceback, and nothing stored half-way (the store's integrity check and counts say so)."""

from __future__ import annotations

import uuid

import pytest

from chatbot.ratelimit import RateLimiter
from core.errors import InputError

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
    ("20,000 characters", "the staff were lovely but the room was cold. " * 444),
    ("only quotes", "\"\" '' « » “”"),
    ("command without argument", "/qa"),
    ("only a command word", "/ner"),
    ("only a skill's name", "sentiment"),
    ("unknown command", "/delete everything"),
    ("only punctuation", "?!.,;:"),
]


# (class, file name, bytes, what the refusal says): each is refused and the knowledge base is unchanged
UPLOADS = [
    ("binary file", "image.md", bytes(range(256)) * 10, "is not a UTF-8 text file"),
    ("empty file", "empty.md", b"", "is empty"),
    ("only invisible characters", "blank.txt", "\u200b\x01\x02\n\ufeff".encode(), "is empty"),
    ("huge file", "huge.txt", b"word " * 400_001, "the limit is 2,000,000 bytes"),
    ("not UTF-8", "latin.md", "café crème brûlée".encode("latin-1"), "is not a UTF-8 text file"),
    ("UTF-16", "wide.txt", "hello there".encode("utf-16"), "is not a UTF-8 text file"),
    ("unsupported type", "report.pdf", b"%PDF-1.4 hello", "unsupported file type"),
]


@pytest.fixture(scope="module")
def client(app_url):
    from gradio_client import Client

    return Client(app_url, verbose=False)


def sound_and_counted(assistant, turns_before: int, added: int) -> None:
    assert assistant.store.check_integrity()
    assert assistant.store.counts()["turns"] == turns_before + added


@pytest.mark.parametrize(("kind", "message"), MESSAGES, ids=[kind for kind, _ in MESSAGES])
def test_bad_message_gets_a_clear_answer_or_refusal(assistant, kind, message):
    sid = uuid.uuid4().hex
    before = assistant.store.counts()["turns"]
    try:
        reply = assistant.reply(message, sid)
    except InputError as error:
        assert str(error) and "Traceback" not in str(error)
        assert assistant.store.turns(session_id=sid) == []
        sound_and_counted(assistant, before, 0)
        return
    assert reply.text.strip()
    stored = assistant.store.turn(reply.turn_id)
    assert stored.session_id == sid
    assert "\x00" not in stored.message and "\ud800" not in stored.message
    sound_and_counted(assistant, before, 1)


# gradio_client cannot send lone surrogates at all (it fails to encode the request), so that class is API-only.
THROUGH_GRADIO = [(kind, message) for kind, message in MESSAGES if kind != "invalid surrogates"]


@pytest.mark.parametrize(("kind", "message"), THROUGH_GRADIO, ids=[kind for kind, _ in THROUGH_GRADIO])
def test_bad_message_through_the_gradio_api_gets_a_clear_answer_or_error(client, assistant, kind, message):
    sid = uuid.uuid4().hex
    before = assistant.store.counts()["turns"]
    reply = client.predict(message, sid, api_name="/reply")
    if "error" in reply:
        assert reply["error"] and "Traceback" not in reply["error"]
        sound_and_counted(assistant, before, 0)
    else:
        assert reply["text"].strip() and reply["session_id"] == sid
        sound_and_counted(assistant, before, 1)


@pytest.mark.parametrize("session_id", ["", "   ", "s" * 129, "s\x00", "s\ud800", None])
def test_a_bad_session_id_is_refused_and_nothing_is_stored(assistant, session_id):
    before = assistant.store.counts()["turns"]
    with pytest.raises(InputError, match="session id"):
        assistant.reply("/sentiment a lovely film", session_id)
    sound_and_counted(assistant, before, 0)


@pytest.mark.parametrize(("kind", "name", "data", "message"), UPLOADS, ids=[kind for kind, *_ in UPLOADS])
def test_a_bad_knowledge_base_upload_is_refused_and_nothing_is_lost(assistant, kind, name, data, message):
    before, chunks = assistant.knowledge.documents(), len(assistant.knowledge)
    with pytest.raises(InputError, match=message):
        assistant.knowledge.add_document(name, data)
    assert assistant.knowledge.documents() == before and len(assistant.knowledge) == chunks


@pytest.mark.parametrize(("kind", "name", "data", "message"), UPLOADS, ids=[kind for kind, *_ in UPLOADS])
def test_a_bad_upload_through_the_gradio_api_is_refused_clearly(client, assistant, tmp_path, kind, name, data, message):
    from gradio_client import handle_file

    before = assistant.knowledge.documents()
    path = tmp_path / name
    path.write_bytes(data)
    status, _documents = client.predict([handle_file(str(path))], api_name="/kb_upload")
    assert status.startswith("⚠️") and message in status and "Traceback" not in status
    assert assistant.knowledge.documents() == before


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


@pytest.fixture
def answer(assistant) -> int:
    return assistant.reply("/sentiment a lovely film", uuid.uuid4().hex).turn_id


# (class, rating arguments besides the answer id): each is refused with InputError and nothing is stored
BAD_RATINGS = [
    ("unknown thumb", {"thumb": "👍👍"}),
    ("thumb of the wrong type", {"thumb": ["up"]}),
    ("reason too long", {"thumb": "down", "reason": "x" * 2_001}),
    ("reason of the wrong type", {"thumb": "down", "reason": 5}),
    ("correction of the wrong type", {"thumb": "down", "correction": 5}),
    ("thumbs up with a correction", {"thumb": "up", "correction": "negative"}),
    ("correction the skill cannot read", {"correction": "it was great"}),
    ("session id too long", {"thumb": "up", "session_id": "s" * 129}),
    ("session id with control characters", {"thumb": "up", "session_id": "s\x00"}),
    ("session id with lone surrogates", {"thumb": "up", "session_id": "s\ud800"}),
]


@pytest.mark.parametrize(("kind", "arguments"), BAD_RATINGS, ids=[kind for kind, _ in BAD_RATINGS])
def test_a_bad_rating_is_refused_clearly_and_nothing_is_stored(assistant, answer, kind, arguments):
    ratings = assistant.store.counts()["ratings"]
    with pytest.raises(InputError) as error:
        assistant.rate(answer, **arguments)
    assert str(error.value) and "Traceback" not in str(error.value)
    assert assistant.store.ratings(answer) == []
    assert assistant.store.counts()["ratings"] == ratings and assistant.store.check_integrity()


@pytest.mark.parametrize("turn_id", [1.5, True, float("nan"), float("inf"), [1], "1; DROP TABLE ratings"])
def test_an_answer_id_that_is_not_a_whole_number_is_refused_not_rounded(assistant, answer, turn_id):
    ratings = assistant.store.counts()["ratings"]
    with pytest.raises(InputError, match="whole number"):
        assistant.rate(turn_id, thumb="up")  # 1.5 and True used to rate answer #1
    assert assistant.store.counts()["ratings"] == ratings


def test_an_answer_id_as_text_or_a_whole_float_is_accepted(assistant, answer):
    assert assistant.rate(str(answer), thumb="up").turn_id == answer
    assert assistant.rate(float(answer), thumb="down").turn_id == answer


def test_control_characters_and_lone_surrogates_in_a_reason_are_dropped(assistant, answer):
    rating = assistant.rate(answer, thumb="down", reason="  too\x00 cheerful \ud800\u200b ")
    assert rating.reason == "too cheerful ?"
    assert assistant.store.current_rating(answer).reason == "too cheerful ?"


def test_a_rating_for_an_unknown_answer_through_the_gradio_api_is_refused(client, assistant):
    ratings = assistant.store.counts()["ratings"]
    assert "no answer with id" in client.predict(99_999_999, "up", None, None, api_name="/rate_turn")["error"]
    assert assistant.store.counts()["ratings"] == ratings


def test_a_rating_sent_twice_through_the_gradio_api_is_kept_twice(client, assistant):
    turn_id = client.predict("/sentiment the soup was cold", uuid.uuid4().hex, api_name="/reply")["turn_id"]
    first = client.predict(turn_id, "down", None, None, api_name="/rate_turn")
    second = client.predict(turn_id, "down", None, None, api_name="/rate_turn")
    assert (first["thumb"], second["thumb"]) == ("down", "down") and first["id"] != second["id"]
    assert assistant.store.current_rating(turn_id).id == second["id"]


def test_a_flood_of_ratings_is_refused_with_the_wait_through_the_ui(client, assistant, monkeypatch):
    turn_id = client.predict("/sentiment a lovely film", uuid.uuid4().hex, api_name="/reply")["turn_id"]
    frozen = RateLimiter(per_minute=6, burst=2, clock=lambda: 0.0)
    monkeypatch.setattr(assistant, "rating_limit", frozen)
    statuses = [client.predict(turn_id, "👍 right", "", "", api_name="/rate") for _ in range(3)]
    assert ["👍 saved" in status for status in statuses] == [True, True, False]
    assert statuses[2] == "⚠️ too many ratings from this session; try again in 10 s"
    assert len(assistant.store.ratings(turn_id)) == 2
