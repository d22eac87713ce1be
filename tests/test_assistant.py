"""The `Assistant` API end to end with the real encoder and adapters: routing, skills, follow-ups, ratings."""

from __future__ import annotations

import json
import uuid

import pytest

from core.errors import InputError
from core.store import FeedbackStore

pytestmark = pytest.mark.slow

PASSAGE = (
    "The Amazon rainforest covers much of the Amazon basin of South America. The basin covers seven million "
    "square kilometres, of which five and a half million are covered by the rainforest. The majority of the "
    "forest is contained within Brazil, with 60% of the rainforest, followed by Peru with 13%, and Colombia "
    "with 10%. The rainforest was named by the Spanish explorer Francisco de Orellana in 1542."
)


def session() -> str:
    return uuid.uuid4().hex


ROUTING_FIXTURE = [
    ("find the names in: Priya Nair joined Infosys in Pune", "ner"),
    ("extract the people and places from: Angela Merkel visited Paris with Emmanuel Macron", "ner"),
    ("what's the sentiment of: the food was cold and the staff were rude", "sentiment"),
    ("I absolutely loved this film, what a wonderful cast", "sentiment"),
    ("this laptop is a complete waste of money", "sentiment"),
    ("how do I correct a wrong answer?", "help"),
    ("how can I add my own documents?", "help"),
    ("how do I return a rented bike?", "qa"),
    ("hello!", "help"),
    ("what can you do?", "help"),
    ("thanks a lot", "help"),
    ("write me a poem about the sea", "help"),
    ("please translate this to French", "help"),
    # a bare news sentence full of names (v4 read it as sentiment; v7 learned NER's bare news sentences)
    ("Barack Obama met Angela Merkel in Berlin on Tuesday", "ner"),
    ("The movie was great", "sentiment"),
    ("/ner the weather is lovely", "ner"),
    ("/sentiment Priya Nair joined Infosys", "sentiment"),
    ("/qa when does the bike shop open on Sundays?", "qa"),
    ("/help", "help"),
]


@pytest.mark.parametrize(("message", "skill"), ROUTING_FIXTURE)
def test_typical_messages_are_routed_to_the_expected_skill(assistant, message, skill):
    reply = assistant.reply(message, session())
    assert reply.skill == skill, reply.rationale.route
    route = reply.rationale.route
    assert set(route.scores) == {"ner", "sentiment", "qa", "help"}
    assert sum(route.scores.values()) == pytest.approx(1.0, abs=1e-3)
    assert route.nearest_example["text"]


def test_ner_finds_entities_whose_offsets_match_the_text(assistant):
    reply = assistant.reply("find the names in: Priya Nair joined Infosys in Pune", session())
    text = reply.data["text"]
    assert text == "Priya Nair joined Infosys in Pune"
    found = {(e["text"], e["type"]) for e in reply.data["entities"]}
    assert {("Priya Nair", "PER"), ("Infosys", "ORG"), ("Pune", "LOC")} <= found
    for entity in reply.data["entities"]:
        assert text[entity["start"] : entity["end"]] == entity["text"]
        assert 0.0 < entity["score"] <= 1.0
    for scored in reply.rationale.skill["entity_scores"]:
        assert scored["runner_up"] != scored["type"]
        for word in scored["context_words"]:
            assert text[word["start"] : word["end"]] == word["token"]
            assert word["token"] not in scored["text"].split()
            assert word["score"] > 0
        assert 0.0 <= scored["runner_up_score"] <= 1.0 - scored["score"] + 1e-6
    assert reply.adapter_version


@pytest.mark.parametrize(
    "text",
    [
        "Tim Cook announced new iPhones at Apple Park in Cupertino",
        "tim cook announced new iphones at apple park in cupertino",
        "TIM COOK ANNOUNCED NEW IPHONES AT APPLE PARK IN CUPERTINO",
    ],
)
def test_ner_keeps_its_entities_with_and_without_capitals(assistant, text):
    reply = assistant.reply(f"/ner {text}", session())
    found = {(text[e["start"] : e["end"]].lower(), e["type"]) for e in reply.data["entities"]}
    assert {("tim cook", "PER"), ("cupertino", "LOC")} <= found
    assert "apple park" in {name for name, _ in found}


def test_sentiment_has_label_probabilities_and_one_attribution_per_word(assistant):
    reply = assistant.reply("what's the sentiment of: the plot was dull and the acting was terrible", session())
    assert reply.skill == "sentiment"
    assert reply.data["label"] == "negative"
    assert sum(reply.data["probabilities"].values()) == pytest.approx(1.0, abs=1e-3)
    words = [a["token"] for a in reply.rationale.skill["attributions"]]
    assert words == ["the", "plot", "was", "dull", "and", "the", "acting", "was", "terrible"]
    strongest = max(reply.rationale.skill["attributions"], key=lambda a: a["score"])["token"]
    assert strongest in reply.rationale.skill["summary"]


def test_attributions_change_when_the_input_changes(assistant):
    first = assistant.reply("/sentiment a dull and lifeless film", session()).rationale.skill["attributions"]
    second = assistant.reply("/sentiment a warm and lively film", session()).rationale.skill["attributions"]
    assert [a["score"] for a in first] != [a["score"] for a in second]


SIMILAR_TRAINING_TEXTS = [
    ("the plot was dull and lifeless", 0),
    ("a dull, tedious film with terrible acting", 0),
    ("the acting was wooden and the story dull", 0),
    ("a warm, funny and moving film", 1),
    ("gorgeous photography and a great cast", 1),
    ("one of the best films of the year", 1),
]


def test_sentiment_answer_shows_three_similar_training_examples_with_labels(assistant):
    """The released sentiment bundle ships no example index (SST-2 states no licence to redistribute it); a version
    with one, built by the training code, shows the nearest three with their gold labels — escaped."""
    import shutil
    from dataclasses import replace

    from chatbot.render import esc, rationale_markdown
    from core.config import REPO_ROOT
    from core.registry import AdapterRegistry, VersionRecord, now_iso
    from skills.sentiment.data import LabeledText
    from tests.test_adapters import RELEASED
    from training.example_index import index_examples

    registry = AdapterRegistry(assistant.config.registry)
    released = registry.seed("sentiment", REPO_ROOT / "adapters" / "sentiment", RELEASED)
    staging = registry.staging("sentiment", "v8")
    shutil.copytree(REPO_ROOT / "adapters" / "sentiment", staging, dirs_exist_ok=True)
    for name in ("examples.faiss", "examples.jsonl.gz"):
        (staging / name).unlink(missing_ok=True)
    bundle = json.loads((staging / "bundle.json").read_text())
    (staging / "bundle.json").write_text(json.dumps({**bundle, "version": "v8"}))
    texts = [LabeledText(text, label) for text, label in SIMILAR_TRAINING_TEXTS]
    index_examples("sentiment", texts, staging, assistant.router.embed)  # the plain encoder, as the app searches with
    registry.add(staging, VersionRecord("sentiment", "v8", "promoted", now_iso(), parent=released))
    registry.promote("sentiment", "v8", "test")
    assistant.adapters.refresh(force=True)
    try:
        reply = assistant.reply("/sentiment the plot was dull and the acting was terrible", session())
    finally:
        registry.rollback("sentiment")
        assistant.adapters.refresh(force=True)
    assert reply.adapter_version == "v8"
    examples = reply.rationale.similar_examples
    assert len(examples) == 3
    assert all(e["label"] == "negative" and e["source"] == "training" for e in examples)  # the three dull ones
    assert [e["score"] for e in examples] == sorted((e["score"] for e in examples), reverse=True)
    shown = rationale_markdown(reply)
    assert "Similar examples the model learned from" in shown
    assert all(f"“{esc(e['text'][:40])}" in shown for e in examples)
    # Training (and feedback) text is shown as text, never run as HTML.
    hostile = {"text": "<img src=x onerror=alert(1)>", "label": "<b>negative</b>", "source": "feedback", "score": 0.9}
    shown = rationale_markdown(replace(reply, rationale=replace(reply.rationale, similar_examples=[hostile])))
    assert "<img" not in shown and "<b>" not in shown and "&lt;img src=x onerror=alert(1)&gt;" in shown


def test_inline_passage_question_is_answered_with_a_span_of_the_passage(assistant):
    reply = assistant.reply(f"Context: {PASSAGE} Question: Who named the rainforest?", session())
    assert reply.skill == "qa"
    assert reply.data["source"] == "message"
    evidence = reply.rationale.skill["evidence"]["text"]
    assert evidence[reply.data["start"] : reply.data["end"]] == reply.data["answer"]
    assert "Orellana" in reply.data["answer"]


def test_follow_up_questions_use_the_passage_pasted_earlier(assistant):
    sid = session()
    saved = assistant.reply(PASSAGE, sid)
    assert saved.data.get("kind") == "passage_saved" or saved.skill in ("sentiment", "ner")
    for question in (
        "Which country holds most of the forest?",
        "Who named the rainforest?",
        "When was it named?",
    ):
        reply = assistant.reply(question, sid)
        assert reply.skill == "qa", reply.rationale.route
        assert reply.data["source"] == "conversation"
        assert PASSAGE[reply.data["start"] : reply.data["end"]] == reply.data["answer"]
        assert "you pasted a passage" in reply.rationale.route.reason
    assert "1542" in reply.data["answer"]


def test_kb_question_is_answered_from_the_users_documents_with_its_source(assistant):
    reply = assistant.reply("How do I return a rented bike?", session())
    assert reply.skill == "qa"
    assert reply.data["source"] == "kb:bike-rental.md"
    evidence = reply.rationale.skill["evidence"]
    assert evidence["retrieval_score"] > 0
    assert evidence["text"][reply.data["start"] : reply.data["end"]] == reply.data["answer"]


def test_kb_ingest_then_question_answers_from_the_new_document(assistant):
    name = f"lighthouse-{uuid.uuid4().hex[:6]}.md"
    text = "# Brightwater lighthouse\n\nThe Brightwater lighthouse was designed by Elena Vasquez in 1887."
    assert assistant.knowledge.add_document(name, text.encode()) >= 1
    reply = assistant.reply("Who designed the Brightwater lighthouse?", session())
    assert reply.data["source"] == f"kb:{name}"
    assert "Vasquez" in reply.data["answer"]


def test_elliptical_follow_up_runs_ner_on_the_previous_text(assistant):
    sid = session()
    first = assistant.reply("what's the sentiment of: Angela Merkel loved her visit to Paris", sid)
    assert first.skill == "sentiment"
    second = assistant.reply("and who is in it?", sid)
    assert second.skill == "ner"
    assert second.data["text"] == "Angela Merkel loved her visit to Paris"
    assert second.rationale.route.overridden_by == "conversation"


def test_now_this_one_repeats_the_previous_skill(assistant):
    sid = session()
    assistant.reply("/sentiment what a lovely day", sid)
    reply = assistant.reply("now this one: Tim Cook visited London", sid)
    assert reply.skill == "sentiment"
    assert reply.data["text"] == "Tim Cook visited London"


def test_question_without_any_passage_or_kb_says_so_plainly(tmp_path):
    from chatbot.assistant import Assistant
    from core.config import AppConfig

    bare = Assistant.from_config(AppConfig.from_env(environ={}, home=tmp_path))  # the defaults: an empty KB
    assert bare.knowledge.documents() == []
    reply = bare.reply("/qa who founded the company?", session())
    assert reply.skill == "help"
    assert "no passage" in reply.text
    # the bot's own documentation is the help skill's, not the knowledge base's
    about = bare.reply("/qa how do I correct a wrong answer?", session())
    assert (about.skill, about.data["kind"]) == ("help", "cannot_answer") and "no passage" in about.text
    helped = bare.reply("how do I correct a wrong answer?", session())
    assert helped.skill == "help" and helped.data["section"] == "How do I correct a wrong answer?"
    bare.store.close()


@pytest.mark.parametrize("message", ["", "   \n ", "\x00\x01", "a" * 100_000, "/ner", "/unknown thing"])
def test_bad_input_gets_a_clear_error_and_nothing_is_stored(assistant, message):
    sid = session()
    with pytest.raises(InputError) as error:
        assistant.reply(message, sid)
    assert str(error.value)
    assert "Traceback" not in str(error.value)
    assert assistant.store.turns(session_id=sid) == []


def test_ratings_and_corrections_are_stored_and_survive_reopening(assistant):
    sid = session()
    ner = assistant.reply("find the names in: Priya Nair joined Infosys in Pune", sid)
    sentiment = assistant.reply("/sentiment the film was wonderful", sid)
    assistant.rate(sentiment.turn_id, thumb="up")
    assistant.rate(sentiment.turn_id, thumb=None)  # takes the thumb back
    rating = assistant.rate(ner.turn_id, thumb="down", reason="missed a name", correction="infosys=LOC; -Pune")
    assert rating.thumb == "down"
    assert [(e["text"], e["type"]) for e in rating.correction["edits"]] == [("Infosys", "LOC")]
    assert [e["text"] for e in rating.correction["removed"]] == ["Pune"]

    reopened = FeedbackStore(assistant.config.db_url)
    turn = reopened.turn(ner.turn_id)
    assert (turn.session_id, turn.skill) == (sid, "ner")
    assert turn.message == "find the names in: Priya Nair joined Infosys in Pune"
    assert turn.output["data"]["entities"] == ner.data["entities"]
    assert turn.router_scores == ner.rationale.route.scores
    assert turn.adapter_version == ner.adapter_version
    assert [r.thumb for r in reopened.ratings(sentiment.turn_id)] == ["up", "retracted"]
    assert reopened.current_rating(sentiment.turn_id) is None
    assert reopened.current_rating(ner.turn_id).reason == "missed a name"
    reopened.close()


@pytest.mark.parametrize(
    ("message", "correction", "expected"),
    [
        ("/sentiment the film was wonderful", "negative", {"label": "negative"}),
        (
            f"Context: {PASSAGE} Question: Who named it?",
            "the Spanish explorer Francisco de Orellana",
            {"answer": "the Spanish explorer Francisco de Orellana"},
        ),
    ],
)
def test_corrections_are_parsed_in_the_skills_terms(assistant, message, correction, expected):
    reply = assistant.reply(message, session())
    rating = assistant.rate(reply.turn_id, correction=correction)
    assert expected.items() <= rating.correction.items()
    assert rating.thumb == "down"


def test_invalid_ratings_are_refused_with_a_clear_message(assistant):
    reply = assistant.reply("/sentiment fine", session())
    with pytest.raises(InputError, match="positive or negative"):
        assistant.rate(reply.turn_id, correction="maybe")
    with pytest.raises(InputError, match="no answer with id"):
        assistant.rate(10_000_000, thumb="up")
    assert assistant.store.ratings(reply.turn_id) == []


def test_a_session_resumes_its_conversation_after_a_restart(assistant):
    from chatbot.assistant import Assistant

    sid = session()
    assistant.reply(PASSAGE, sid)
    restarted = Assistant(assistant.skills, assistant.router, assistant.store, assistant.knowledge, assistant.config)
    reply = restarted.reply("Who named the rainforest?", sid)
    assert reply.data["source"] == "conversation"
    assert "Orellana" in reply.data["answer"]
