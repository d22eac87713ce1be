"""Adding a skill is one package: a fourth skill (`tests/skills/urgency/`, only in the test suite) is registered and
then trained, evaluated, routed, answered, explained, rated and exported by the generic code, unchanged."""

from __future__ import annotations

import json

import pytest

from core.config import REPO_ROOT, AppConfig
from skills.registry import get_skill, register_skill, skill_names, unregister_skill
from tests.skills.urgency import DEFINITION

pytestmark = pytest.mark.slow

MESSAGES = [
    ("the server is down and no customer can pay", "urgent"),
    ("fire alarm on the third floor, everyone out now", "urgent"),
    ("the patient in room 4 stopped breathing", "urgent"),
    ("our website was hacked, passwords are leaking", "urgent"),
    ("the flood is reaching the basement right now", "urgent"),
    ("production database deleted, call me immediately", "urgent"),
    ("lunch menu for next month is attached", "routine"),
    ("please water the office plants on friday", "routine"),
    ("the quarterly newsletter is ready to read", "routine"),
    ("reminder: team photo next week", "routine"),
    ("new coffee flavours arrive in the kitchen", "routine"),
    ("the library returns policy has a new page", "routine"),
]


@pytest.fixture
def urgency():
    register_skill(DEFINITION)
    try:
        yield DEFINITION
    finally:
        unregister_skill(DEFINITION.name)


@pytest.fixture
def urgency_data(tmp_path):
    folder = tmp_path / "urgency"
    folder.mkdir()
    lines = [f"{text}\t{label}" for text, label in MESSAGES]
    (folder / "train.tsv").write_text("\n".join(lines))
    (folder / "select.tsv").write_text("\n".join(lines[::3]))
    (folder / "report.tsv").write_text("\n".join(lines[1::3]))
    return folder


def test_registering_rejects_a_second_skill_of_one_name(urgency):
    assert "urgency" in skill_names(trainable=True)
    with pytest.raises(ValueError, match="already registered"):
        register_skill(DEFINITION)


def test_a_fourth_skill_runs_through_training_evaluation_the_app_and_feedback(urgency, urgency_data, tmp_path):
    from chatbot import render
    from chatbot.assistant import Assistant
    from training.evaluate import main as evaluate
    from training.feedback import examples_from_feedback
    from training.replay import benchmark_example
    from training.train import main as train

    adapters = tmp_path / "adapters"
    adapters.mkdir()
    for name in skill_names(trainable=True):
        if name != "urgency":
            (adapters / name).symlink_to(REPO_ROOT / "adapters" / name)
    common = ["--skill", "urgency", "--data", str(urgency_data)]
    info = train(
        [*common, "--out", str(adapters / "urgency"), "--epochs", "2", "--batch-size", "4", "--max-length", "24"]
    )
    assert info.skill == "urgency" and info.head.labels == ["routine", "urgent"]
    assert json.loads((adapters / "urgency" / "bundle.json").read_text())["metrics"]["report_split"] == "report.tsv"
    assert "Hand-written messages" in (adapters / "urgency" / "README.md").read_text()  # the model card's data
    result = evaluate([*common, "--adapter", str(adapters / "urgency"), "--format", "json"])
    assert result["n"] == len(MESSAGES[1::3]) and 0 <= result["accuracy"] <= 100

    assistant = Assistant.from_config(AppConfig.from_env(home=tmp_path / "home", adapters=str(adapters)))
    try:
        assert "**urgency**" in assistant.reply("what can you do?", "s1").text
        reply = assistant.reply("/urgency the building is on fire", "s1")
        assert reply.skill == "urgency" and reply.data["label"] in get_skill("urgency").spec.labels
        assert "urgency" in reply.rationale.route.scores
        assert "**Urgency probabilities:**" in render.rationale_markdown(reply)
        assert render.highlights(reply) == [("the building is on fire", reply.data["label"])]
        other = "routine" if reply.data["label"] == "urgent" else "urgent"
        rating = assistant.rate(reply.turn_id, correction=other)
        assert (rating.thumb, rating.correction) == ("down", {"label": other})
        dataset = examples_from_feedback(assistant.store.rated_turns(), assistant.store.ratings())
        [example] = dataset.examples
        assert (example.skill, example.kind, example.label) == ("urgency", "gold", other)
        assert benchmark_example(example).text == "the building is on fire"
    finally:
        assistant.close()
