"""Typed turn records: their JSON round trip, and a database written before they existed (schema 1) still loads.

`tests/fixtures/schema1_feedback.db` was written by main at commit 3731a3e (the last code with untyped outputs) with
`tests/fixtures/make_schema1_db.py`: a session with an NER, a sentiment, a QA and a follow-up QA turn and a help
turn, three of them rated (👍 NER, 👎 sentiment, a QA correction) and the help turn 👍.
"""

from __future__ import annotations

import shutil

import pytest

from core.config import REPO_ROOT
from core.records import SCHEMA_VERSION, Rationale, RouteRationale, SkillInputs, Thumb, TurnOutput
from core.store import FeedbackStore
from training.feedback import examples_from_feedback

OLD_DATABASE = REPO_ROOT / "tests" / "fixtures" / "schema1_feedback.db"
PASSAGE_START = "The Millau Viaduct is a cable-stayed bridge"


@pytest.fixture
def old_store(tmp_path):
    path = tmp_path / "feedback.db"
    shutil.copy(OLD_DATABASE, path)
    store = FeedbackStore(f"sqlite:///{path}")
    yield store
    store.close()


def test_a_turn_output_round_trips_through_its_json_form():
    route = RouteRationale("qa", "a question", None, {"qa": 1.0}, {"qa": 0.8}, {"qa": "who?"}, "qa")
    output = TurnOutput(
        data={"answer": "Foster"},
        rationale=Rationale(route, 0.9, {"evidence": {"text": "x"}}, similar_examples=[]),
        inputs=SkillInputs(text="who?", question="who?", passage="Foster built it."),
        passage="Foster built it.",
    )
    raw = output.to_json()
    assert raw["schema"] == SCHEMA_VERSION and raw["inputs"]["passage"] == "Foster built it."
    assert TurnOutput.from_json(raw) == output


def test_a_newer_schema_is_refused_rather_than_misread():
    with pytest.raises(ValueError, match="newer than this code"):
        TurnOutput.from_json({"schema": SCHEMA_VERSION + 1, "data": {}})


def test_thumbs_parse_from_every_spelling_the_api_and_ui_send():
    assert [Thumb.parse(v) for v in ("up", "down", "retract", "retracted", None, "")] == [
        Thumb.UP,
        Thumb.DOWN,
        Thumb.RETRACTED,
        Thumb.RETRACTED,
        None,
        None,
    ]
    assert Thumb.UP == "up"  # stored and compared as its value


def test_outputs_written_before_the_schema_load_with_what_each_skill_read(old_store):
    turns = {t.id: t for t in old_store.turns(session_id="old-session", limit=10)}
    outputs = {turn_id: TurnOutput.from_json(turn.output) for turn_id, turn in turns.items()}
    assert outputs[1].inputs == SkillInputs(text="Priya Nair joined Infosys in Pune")
    qa = outputs[3].inputs
    assert qa.question == "who designed the bridge?" and qa.passage.startswith(PASSAGE_START)
    assert outputs[3].rationale.route.skill == "qa" and outputs[3].rationale.route.scores
    assert outputs[5].inputs is None  # help read no text of its own


def test_the_export_reads_old_ratings_into_the_same_examples(old_store):
    dataset = examples_from_feedback(old_store.rated_turns(), old_store.ratings())
    by_skill = {e.skill: e for e in dataset.examples}
    assert sorted(by_skill) == ["ner", "qa", "sentiment"]
    assert [e["text"] for e in by_skill["ner"].label] == ["Priya Nair", "Infosys", "Pune"]
    assert (by_skill["sentiment"].kind, by_skill["sentiment"].label) == ("silver", "positive")
    qa = by_skill["qa"]
    assert qa.kind == "gold" and qa.passage.startswith(PASSAGE_START)
    assert qa.label == {"answer": "Michel Virlogeux and the architect Norman Foster", "start": 117}
    assert dataset.dropped == ((5, "the help skill gives no training examples"),)


@pytest.mark.slow
def test_an_old_session_resumes_and_its_answers_can_be_corrected(assistant, tmp_path):
    from chatbot.assistant import Assistant
    from core.config import AppConfig

    shutil.copy(OLD_DATABASE, tmp_path / "feedback.db")
    config = AppConfig.from_env(environ={}, home=tmp_path)
    built = Assistant(assistant.skills, assistant.router, FeedbackStore(config.db_url), assistant.knowledge, config)
    try:
        follow = built.reply("how long is it?", "old-session")  # the passage pasted before the upgrade
        assert follow.skill == "qa" and "you pasted a passage" in follow.rationale.route.reason
        rating = built.rate(4, correction="in December 2004")  # an old QA turn: its passage comes from the old row
        assert rating.correction == {"answer": "in December 2004", "start": 192, "in_source": True}
    finally:
        built.close()
