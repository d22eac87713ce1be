"""Asking when unsure, and "wrong skill" feedback, through the Assistant and the real Gradio app, with a stub in place
of the request model (`unsure` in conftest.py: its readings are given, so the tests say exactly when the bot must
ask)."""

from __future__ import annotations

import uuid

import pytest

from core.errors import InputError
from training.feedback import examples_from_feedback
from training.routing_feedback import routing_requests

pytestmark = pytest.mark.slow


def test_an_unsure_reading_asks_and_the_choice_answers_the_original_message(unsure, unsure_review):
    asked = unsure.reply(f"hmm: {unsure_review}", "s1")
    assert asked.skill == "clarify" and asked.text == "Do you want its sentiment, the names in it or an answer from it?"
    assert [o["skill"] for o in asked.data["options"]] == ["sentiment", "ner", "qa"]
    assert "unsure (45% < 60%" in asked.rationale.route.reason
    answer = unsure.choose(asked.turn_id, "ner", "s1")
    assert (
        answer.skill == "ner" and answer.data["text"] == unsure_review
    )  # the span the model read, not the whole message
    assert answer.rationale.route.overridden_by == "you" and "you chose ner" in answer.rationale.route.reason
    [label] = unsure.store.ratings(asked.turn_id)
    assert label.correction == {"intent": "ner/new_text", "source": "clarify"}
    by_index = unsure.choose(asked.turn_id, 0, "s1")
    assert by_index.skill == "sentiment"


def test_a_choice_is_refused_for_another_session_or_an_answer_that_asked_nothing(unsure, unsure_review):
    asked = unsure.reply(f"hmm: {unsure_review}", "s2")
    with pytest.raises(InputError, match="belongs to another conversation"):
        unsure.choose(asked.turn_id, "ner", "someone-else")
    with pytest.raises(InputError, match=r"Choose one of the options offered: 0 \(sentiment\)"):
        unsure.choose(asked.turn_id, "help", "s2")
    answered = unsure.choose(asked.turn_id, "ner", "s2")
    with pytest.raises(InputError, match="did not ask which skill you meant"):
        unsure.choose(answered.turn_id, "ner", "s2")


def test_a_clarifying_question_takes_a_thumb_but_no_correction(unsure, unsure_review):
    asked = unsure.reply(f"hmm: {unsure_review}", "s5")
    for correction in ("the film is great", {"label": "positive"}):
        with pytest.raises(InputError, match="was a question back to you, not an answer: pick one of its options"):
            unsure.rate(asked.turn_id, thumb="down", correction=correction, session_id="s5")
    assert unsure.store.ratings(asked.turn_id) == []  # nothing stored by the refused corrections
    assert unsure.rate(asked.turn_id, thumb="down", session_id="s5").thumb == "down"


def test_wrong_skill_feedback_answers_again_and_teaches_only_the_request_model(unsure, unsure_review):
    answer = unsure.reply(f"/sentiment {unsure_review}", "s3")
    assert answer.skill == "sentiment"
    again = unsure.reanswer(answer.turn_id, "ner", "s3")
    assert again.skill == "ner" and again.data["text"] == unsure_review
    [label] = unsure.store.ratings(answer.turn_id)
    assert (label.thumb, label.correction) == ("down", {"intent": "ner/new_text", "source": "wrong skill"})
    with pytest.raises(InputError, match="already came from ner"):
        unsure.reanswer(again.turn_id, "ner", "s3")
    with pytest.raises(InputError, match="There is no skill 'poetry'"):
        unsure.reanswer(answer.turn_id, "poetry", "s3")
    dataset = examples_from_feedback(unsure.store.rated_turns(), unsure.store.ratings())
    assert dataset.examples == ()  # neither the sentiment nor the NER adapter learns from a routing label
    assert any("a routing correction (ner/new_text)" in why for _, why in dataset.dropped)
    requests, dropped = routing_requests(unsure.store.rated_turns(), unsure.store.ratings())
    assert requests == [] and "came from a command" in dropped[0][1]


def test_routing_labels_become_request_model_examples_with_what_it_read(unsure, unsure_review):
    asked = unsure.reply(f"hmm: {unsure_review}", "s4")
    unsure.choose(asked.turn_id, "ner", "s4")
    [request], dropped = routing_requests(unsure.store.rated_turns(), unsure.store.ratings())
    assert (request.skill, request.kind, request.span_text("TEXT")) == ("ner", "new_text", unsure_review)
    assert request.message == f"hmm: {unsure_review}" and dropped == []


def test_the_app_shows_the_options_and_a_click_answers(unsure, unsure_review):
    from gradio_client import Client

    from chatbot.ui import build_demo

    demo = build_demo(unsure)
    demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=None, quiet=True)
    try:
        client = Client(demo.local_url, verbose=False)
        session = uuid.uuid4().hex
        asked = client.predict(f"hmm: {unsure_review}", session, api_name="/reply")
        assert asked["skill"] == "clarify" and len(asked["data"]["options"]) == 3
        chosen = client.predict(asked["turn_id"], "qa", session, api_name="/choose")
        assert chosen["skill"] in ("qa", "help")  # the knowledge base may have nothing about it
        again = client.predict(chosen["turn_id"], "sentiment", session, api_name="/reanswer")
        assert again["skill"] == "sentiment"
        refused = client.predict(asked["turn_id"], "qa", "another-session", api_name="/choose")
        assert "another conversation" in refused["error"]
    finally:
        demo.close()
