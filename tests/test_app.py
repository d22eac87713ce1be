"""The real Gradio app, launched on a free port and driven through `gradio_client`."""

from __future__ import annotations

import pytest

from core.store import FeedbackStore

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(app_url):
    from gradio_client import Client

    return Client(app_url, verbose=False)


def text_of(message: dict) -> str:
    """A chat message's text; Gradio 6 returns content as a list of typed parts."""
    content = message["content"]
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if part.get("type") == "text")


def chat(client, message: str, show_explanations: bool = True, files: tuple = ()):
    """One turn through the chat's box: its value is the text and the files (uploaded by gradio_client)."""
    from gradio_client import handle_file

    box = {"text": message, "files": [handle_file(str(f)) for f in files]}
    history, _box, scores, _marked, rationale, _turns = client.predict(box, [], show_explanations, api_name="/chat")
    return history, scores, rationale


def test_chat_turn_returns_answer_rationale_and_router_scores(client):
    history, scores, rationale = chat(client, "find the names in: Priya Nair joined Infosys in Pune")
    assert history[0]["role"] == "user"
    answer_text = text_of(history[1])
    assert "<mark>" in answer_text and "Pune" in answer_text
    why = history[2]
    assert why["metadata"]["title"].startswith("Why this answer · ner")
    assert rationale["route"]["skill"] == "ner"
    assert scores["label"] == "ner"


def test_explanations_can_be_hidden(client):
    history, _scores, _rationale = chat(client, "what's the sentiment of: a lovely film", show_explanations=False)
    assert [m["role"] for m in history] == ["user", "assistant"]
    assert not (history[1].get("metadata") or {}).get("title")


def test_like_and_dislike_with_correction_are_stored_and_survive_reopening(client, assistant):
    reply = client.predict("find the names in: Tim Cook visited Tokyo", "app-test-session", api_name="/reply")
    turn_id = reply["turn_id"]
    status_up = client.predict(turn_id, "👍 right", "", "", api_name="/rate")
    assert "👍 saved" in status_up
    same = client.predict(
        turn_id,
        "👎 wrong",
        "",
        "; ".join(f"{e['text']}={e['type']}" for e in reply["data"]["entities"]),
        api_name="/rate",
    )
    assert "That is the answer I gave" in same
    status_down = client.predict(turn_id, "👎 wrong", "missed the company", "Tim Cook=ORG; -Tokyo", api_name="/rate")
    assert "👎 saved with your correction" in status_down

    reopened = FeedbackStore(assistant.config.db_url)
    ratings = reopened.ratings(turn_id)
    assert [r.thumb for r in ratings] == ["up", "down"]
    assert ratings[1].reason == "missed the company"
    assert ratings[1].correction == {
        "edits": [{"text": "Tim Cook", "type": "ORG", "start": 0, "end": 8}],
        "removed": [{"text": "Tokyo", "type": "LOC", "start": 17, "end": 22}],
    }
    assert reopened.turn(turn_id).session_id == "app-test-session"
    assert reopened.check_integrity()
    reopened.close()


def test_rate_endpoint_takes_the_thumb_back(client, assistant):
    reply = client.predict("/sentiment great", "app-test-retract", api_name="/reply")
    client.predict(reply["turn_id"], "up", None, None, api_name="/rate_turn")
    rating = client.predict(reply["turn_id"], "retract", None, None, api_name="/rate_turn")
    assert rating["thumb"] == "retracted"
    assert assistant.store.current_rating(reply["turn_id"]) is None


@pytest.mark.parametrize("message", ["", "   ", "\x00\x01\x02", "x" * 100_000])
def test_bad_messages_get_a_clear_reply_not_a_traceback(client, message):
    history, _scores, _rationale = chat(client, message)
    assert history[-1]["role"] == "assistant"
    assert text_of(history[-1]).startswith("⚠️")
    assert "Traceback" not in text_of(history[-1])


def test_rating_an_unknown_answer_is_refused_clearly(client):
    assert "no answer with id" in client.predict(99_999_999, "👍 right", "", "", api_name="/rate")


def test_binary_upload_to_the_knowledge_base_is_refused_and_nothing_is_lost(client, assistant, tmp_path):
    from gradio_client import handle_file

    before = assistant.knowledge.documents()
    binary = tmp_path / "image.md"
    binary.write_bytes(bytes(range(256)) * 10)
    status, _documents = client.predict([handle_file(str(binary))], api_name="/kb_upload")
    assert "⚠️" in status and "UTF-8" in status
    assert assistant.knowledge.documents() == before

    good = tmp_path / "orchids.md"
    good.write_text("Orchids of the genus Vanilla produce the vanilla spice.")
    status, documents = client.predict([handle_file(str(good))], api_name="/kb_upload")
    assert "orchids.md" in status and "chunks added" in status
    assert "orchids.md" in str(documents)


def test_rate_panel_needs_a_choice_and_refuses_a_thumbs_up_with_a_correction(client):
    reply = client.predict("/sentiment the soup was cold", "app-test-panel", api_name="/reply")
    turn_id = reply["turn_id"]
    assert "Choose" in client.predict(turn_id, None, "", "", api_name="/rate")
    assert "⚠️" in client.predict(turn_id, "👍 right", "", "positive", api_name="/rate")
    assert "👎 saved with your correction" in client.predict(turn_id, None, "", "positive", api_name="/rate")
    assert "thumb taken back" in client.predict(turn_id, "take my thumb back", "", "", api_name="/rate")


def test_the_rate_panel_starts_from_the_answer_and_its_rating_shows_in_the_chat(assistant):
    from chatbot.ui import ChatEvents

    events = ChatEvents(assistant)
    history, session = [], None
    history, session, *_ = events.chat("find the names in: Tim Cook visited Tokyo", history, True, session)
    history, session, *_ = events.chat("/sentiment the tea was lukewarm", history, True, session)
    ner, sentiment = (turn_id for _, turn_id in session["turns"])
    assert events.draft(ner) == "Tim Cook=PER; Tokyo=LOC"
    assert events.draft(sentiment) == "positive"
    assert "saved" in events.rate(ner, "👍 right", "", "", session)
    assert "saved" in events.rate(sentiment, None, "", events.draft(sentiment), session)
    # four assistant messages: each answer and its explanation, marked like the turn's stored rating
    assert events.thumbs(history, session)["feedback_value"] == ["Like", "Like", "Dislike", "Dislike"]
    events.rate(ner, "take my thumb back", "", "", session)
    assert events.thumbs(history, session)["feedback_value"][:2] == [None, None]


def test_a_recording_and_a_picture_reach_reply_media_as_files(client, tmp_path):
    from gradio_client import handle_file

    from tests.media_files import drawn, encoded, spoken

    clip = spoken("find the names in: Angela Merkel visited Paris", tmp_path / "names.wav")
    heard = client.predict("", "app-media", handle_file(str(clip)), None, api_name="/reply_media")
    assert heard["skill"] == "ner" and heard["rationale"]["input"]["modality"] == "audio"
    assert "Paris" in {e["text"] for e in heard["data"]["entities"]}

    picture = tmp_path / "news.png"
    picture.write_bytes(encoded(drawn(["Angela Merkel met Emmanuel Macron", "in Berlin on Monday."])))
    read = client.predict(
        "who is mentioned here?", "app-media", None, handle_file(str(picture)), api_name="/reply_media"
    )
    assert read["skill"] == "ner" and read["rationale"]["input"]["lines"][1]["text"] == "in Berlin on Monday."
    silent = tmp_path / "silent.wav"
    silent.write_bytes(bytes(clip.read_bytes()[:44]) + bytes(32_000))
    assert "silent" in client.predict("", "app-media", handle_file(str(silent)), None, api_name="/reply_media")["error"]


def test_the_chat_box_takes_a_picture_and_the_explanation_says_what_it_read(client, tmp_path):
    from tests.media_files import drawn, encoded

    receipt = tmp_path / "receipt.png"
    receipt.write_bytes(encoded(drawn(["CORNER CAFE", "Latte 3.20", "Croissant 2.50", "TOTAL 5.70"])))
    history, _scores, rationale = chat(client, "what is the total?", files=(receipt,))
    assert [m["role"] for m in history] == ["user", "user", "assistant", "assistant"]
    assert "5.70" in text_of(history[2])
    assert "I read: “CORNER CAFE Latte 3.20" in text_of(history[3]) and "Read" in text_of(history[3])
    assert rationale["input"]["modality"] == "image"

    document = tmp_path / "page.pdf"
    document.write_bytes(b"%PDF-1.4\n%%EOF")
    history, _scores, _rationale = chat(client, "what does it say?", files=(document,))
    assert text_of(history[-1]).startswith("⚠️") and "PDF" in text_of(history[-1])


def test_the_picture_shows_its_lines_and_the_names_found_on_them(assistant, tmp_path):
    from chatbot.ui import ChatEvents
    from tests.media_files import drawn, encoded

    events = ChatEvents(assistant)
    picture = tmp_path / "news.png"
    picture.write_bytes(encoded(drawn(["Angela Merkel met Emmanuel Macron", "in Berlin on Monday."])))
    box = {"text": "who is mentioned here?", "files": [str(picture)]}
    _history, session, *_ = events.chat(box, [], True, None)
    shown = events.picture(session["turns"][-1][1], session)
    path, marks = shown["value"]
    assert shown["visible"] and path == str(picture)
    labels = [label for _box, label in marks]
    assert labels.count("text read") == 2 and labels.count("PER") == 2 and labels.count("LOC") == 1
    (first_line, _), (second_line, _) = marks[:2]
    berlin = next(b for b, label in marks if label == "LOC")
    assert second_line[0] < berlin[0] < berlin[2] < second_line[2] and berlin[1] == second_line[1]
    merkel = next(b for b, label in marks if label == "PER")
    assert merkel[0] == first_line[0] and merkel[2] < (first_line[0] + first_line[2]) / 2
    _history, session, *_ = events.chat("find the names in: Tim Cook visited Tokyo", [], True, session)
    assert events.picture(session["turns"][-1][1], session)["visible"] is False


def test_highlights_are_boxed_in_proportion_to_their_characters_on_each_line():
    from chatbot.render import segment_spans, spans_on_lines

    lines = ({"text": "total 5.70", "box": [0, 0, 100, 20]}, {"text": "paid", "box": [10, 30, 50, 50]})
    text = "total 5.70\npaid"
    assert segment_spans(text, [("total ", None), ("5.70", "answer"), (" paid", None)]) == [(6, 10, "answer")]
    assert segment_spans(text, [("not on the picture", "answer")]) == []
    assert segment_spans(text, [("total", 0.9), (" 5.70 ", 0.1), ("paid", -0.6)]) == [
        (0, 5, "pushes positive"),
        (11, 15, "pushes negative"),
    ]
    assert spans_on_lines(lines, 6, 10) == [(60, 0, 100, 20)]
    assert spans_on_lines(lines, 6, 15) == [(60, 0, 100, 20), (10, 30, 50, 50)]


def test_the_text_read_in_a_picture_can_be_edited_and_sent_again(assistant, tmp_path):
    from chatbot.ui import ChatEvents
    from tests.media_files import drawn, encoded

    events = ChatEvents(assistant)
    receipt = tmp_path / "receipt.png"
    receipt.write_bytes(encoded(drawn(["CORNER CAFE", "TOTAL 5.70"])))
    history, session, *_ = events.chat({"text": "what is the total?", "files": [str(receipt)]}, [], True, None)
    turn_id = session["turns"][-1][1]
    group, text = events.heard(turn_id, session)
    assert group["visible"] and text["value"] == "CORNER CAFE\nTOTAL 5.70" and "read in your picture" in text["label"]
    history, session, *_ = events.resend_input(turn_id, "CORNER CAFE\nTOTAL 7.50", history, True, session)
    assert "7.50" in history[-2]["content"] and "You corrected what I read" in history[-1]["content"]
    _history, session, *_ = events.chat("/sentiment lovely", history, True, session)
    assert events.heard(session["turns"][-1][1], session)[0]["visible"] is False


def test_a_recording_in_the_chat_box_shows_what_was_heard_as_the_users_message(assistant, tmp_path):
    from chatbot.ui import ChatEvents
    from tests.media_files import spoken

    events = ChatEvents(assistant)
    clip = spoken("find the names in: Angela Merkel visited Paris", tmp_path / "names.wav")
    history, session, *_ = events.chat({"text": "", "files": [str(clip)]}, [], False, None)
    assert [m["role"] for m in history] == ["user", "user", "assistant"]
    heard = history[1]["content"]
    assert heard.startswith("🎤 ") and "Paris" in heard and "Merkel" in heard
    assert "Paris" in history[2]["content"] and session["message_turns"] == {2: session["turns"][-1][1]}
