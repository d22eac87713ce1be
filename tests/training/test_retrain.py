"""The nightly retrain on a tiny fixture: real training from the released NER adapter, the real gate, the registry.

Feedback is stored the way the app stores it (turns with the NER skill's output, ratings with corrections).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from core.config import REPO_ROOT
from core.registry import AdapterRegistry
from core.store import FeedbackStore
from skills.encoder import SharedEncoder
from skills.examples import ExampleIndex
from skills.ner.data import read_conll
from tests.training.conll_fixture import SENTENCES, write_conll
from training.example_index import index_examples
from training.lock import LockHeld, RunLock
from training.retrain import RetrainConfig, gate, retrain

pytestmark = pytest.mark.slow

# Made-up names written in lower case (as in chat), which the released adapter does not take for names; each is a
# person in the corrections, and each appears in two sentences so the held-out part shares names with training.
NAMES = ["zorvik", "quellan", "brastow", "myrrin", "tavorn", "ulquist", "drennick", "solvane", "kestrin", "orlath"]
TEMPLATES = ["{} went home early", "yesterday {} called me", "i think {} is right", "we met {} at noon"]


def ner_texts() -> list[tuple[str, int, int]]:
    """(text, start, end) of the person's name in each feedback sentence."""
    texts = []
    for i, name in enumerate(NAMES * 2):
        text = TEMPLATES[i % len(TEMPLATES)].format(name)
        start = text.index(name)
        texts.append((text, start, start + len(name)))
    return texts


def record_ner_turn(store: FeedbackStore, text: str, session: str = "s1") -> int:
    """An NER answer as the app stores it, in which the model found no entities."""
    return store.record_turn(
        session_id=session,
        message=f"/ner {text}",
        skill="ner",
        reply_text="no entities",
        confidence=0.9,
        router_scores={"ner": 1.0},
        output={"data": {"text": text, "entities": []}, "rationale": {}},
        adapter_version="v3",
    )


def store_feedback(store: FeedbackStore, correct: bool, session: str = "s1") -> None:
    """One NER turn per text, rated with the right entity (or 👍 on the empty output)."""
    for text, start, end in ner_texts():
        turn_id = record_ner_turn(store, text, session)
        if correct:
            entity = {"text": text[start:end], "type": "PER", "start": start, "end": end}
            store.rate(turn_id, thumb="down", correction={"entities": [entity]})
        else:
            store.rate(turn_id, thumb="up")


@pytest.fixture()
def data_root(tmp_path):
    """The CoNLL fixture, and a copy of the released NER adapter as the retrain's first version (as in a clean
    checkout, without an example index: those are not committed)."""
    folder = tmp_path / "data" / "conll2003"
    folder.mkdir(parents=True)
    write_conll(folder / "eng.train", SENTENCES)
    write_conll(folder / "eng.testa", SENTENCES[:6])
    write_conll(folder / "eng.testb", SENTENCES[6:9])
    ignore = shutil.ignore_patterns("examples.*")
    shutil.copytree(REPO_ROOT / "adapters" / "ner", tmp_path / "released" / "ner", ignore=ignore)
    return tmp_path / "data"


def retrain_config(tmp_path, data_root, **overrides) -> RetrainConfig:
    values = dict(
        data=data_root,
        db_url=f"sqlite:///{tmp_path / 'feedback.db'}",
        registry=tmp_path / "registry",
        adapters=tmp_path / "released",
        skills="ner",
        replay_ratio=0.5,
        min_replay=4,
        epochs=4,
        learning_rate=2e-3,
        batch_size=4,
        margin=100.0,
        gate_limit=6,
    )
    return RetrainConfig(**{**values, **overrides})


def test_gate_promotes_only_within_the_margin_and_with_better_feedback():
    assert gate((90.0, 89.6), (40.0, 55.0), 0.5, "f1")[0]
    promote, reason = gate((90.0, 89.4), (40.0, 55.0), 0.5, "f1")
    assert not promote and "fell 0.60 points" in reason
    promote, reason = gate((90.0, 91.0), (55.0, 55.0), 0.5, "f1")
    assert not promote and "did not improve" in reason


def test_retrain_promotes_a_candidate_that_learned_the_corrections(tmp_path, data_root):
    store_feedback(FeedbackStore(f"sqlite:///{tmp_path / 'feedback.db'}"), correct=True)
    config = retrain_config(tmp_path, data_root)
    sentences = read_conll(data_root / "conll2003" / "eng.train")
    index_examples("ner", sentences, config.adapters / "ner", SharedEncoder().embed)  # the released version's examples
    report = retrain(config)
    (outcome,) = report["skills"]
    assert outcome["action"] == "promoted", outcome
    assert outcome["metrics"]["feedback"]["score"] > outcome["metrics"]["feedback"]["current"]
    registry = AdapterRegistry(config.registry)
    assert registry.current("ner") == "v4" == outcome["version"]
    record = registry.record("ner", "v4")
    assert record.parent == "v3" and record.status == "promoted"
    assert len(record.feedback_rating_ids) == outcome["data"]["feedback_examples"] > 0
    folder = registry.folder("ner", "v4")
    assert json.loads((folder / "bundle.json").read_text())["version"] == "v4"
    assert "Promoted" in (folder / "README.md").read_text()
    # Its similar-examples index: the released version's plus the feedback it was trained on.
    examples = ExampleIndex.load(folder)
    parent = ExampleIndex.load(registry.folder("ner", "v3"))
    feedback = [r for r in examples.records if r["source"] == "feedback"]
    assert examples.records[: len(parent)] == parent.records
    assert len(feedback) == len(examples) - len(parent) == outcome["data"]["feedback_examples"]
    assert feedback[0]["label"][0]["type"] == "PER"
    assert registry.last_report() == report

    # Nothing new since: the next night skips the skill and keeps v4.
    again = retrain(config)
    assert again["skills"][0]["action"] == "skipped" and registry.current("ner") == "v4"

    # Rollback makes the released version current again.
    assert registry.rollback("ner") == "v3" and registry.current("ner") == "v3"


def test_retrain_rejected_by_the_gate_leaves_current_untouched(tmp_path, data_root):
    # 👍 on the model's own (empty) output: the current version is already perfect on that feedback.
    store_feedback(FeedbackStore(f"sqlite:///{tmp_path / 'feedback.db'}"), correct=False)
    config = retrain_config(tmp_path, data_root, skill_settings='{"ner": {"epochs": 1}}')
    (outcome,) = retrain(config)["skills"]
    assert outcome["action"] == "rejected" and "did not improve" in outcome["reason"]
    registry = AdapterRegistry(config.registry)
    assert registry.current("ner") == "v3"
    assert registry.record("ner", "v4").status == "rejected"
    # NER's own setting was the one used, and the recorded command reruns this skill with it.
    training = json.loads((registry.folder("ner", "v4") / "bundle.json").read_text())["training"]
    assert training["config"]["epochs"] == 1 and "--epochs 1 " in training["command"]
    assert "--skills ner " in training["command"] and "--skill-settings" not in training["command"]
    assert [e["action"] for e in registry.history("ner")] == ["seed", "reject"]


def test_killed_retrain_leaves_current_untouched_and_the_next_one_runs(tmp_path, data_root):
    store_feedback(FeedbackStore(f"sqlite:///{tmp_path / 'feedback.db'}"), correct=True)
    config = retrain_config(tmp_path, data_root)
    registry = AdapterRegistry(config.registry)
    args = [
        *("--data", str(data_root), "--db-url", config.db_url, "--registry", str(config.registry)),
        *("--adapters", str(config.adapters)),
        *("--skills", "ner", "--replay-ratio", "0.5", "--min-replay", "4", "--epochs", "50", "--batch-size", "4"),
        *("--gate-limit", "6", "--margin", "100"),
    ]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    process = subprocess.Popen([sys.executable, "-m", "training.retrain", *args], env=env, cwd=REPO_ROOT)
    staging = config.registry / "ner" / ".staging-v4"
    deadline = time.time() + 120
    while not (staging / "checkpoint").exists() and time.time() < deadline and process.poll() is None:
        time.sleep(0.2)
    assert process.poll() is None, "the retrain ended before it could be killed"
    assert (staging / "checkpoint").exists(), "training did not start within 2 minutes"
    process.send_signal(signal.SIGKILL)
    process.wait()

    assert registry.current("ner") == "v3"
    assert [r.version for r in registry.versions("ner")] == ["v3"]
    assert (config.registry / "retrain.lock").exists()  # stale: its owner is dead

    (outcome,) = retrain(config)["skills"]
    assert outcome["action"] == "promoted" and registry.current("ner") == "v4"
    assert not staging.exists() and not (config.registry / "retrain.lock").exists()


def test_a_live_lock_keeps_a_second_retrain_out(tmp_path):
    with RunLock(tmp_path / "retrain.lock"), pytest.raises(LockHeld, match="another retrain is running"):
        RunLock(tmp_path / "retrain.lock").acquire()
    RunLock(tmp_path / "retrain.lock").acquire()  # released: free again


def test_a_lock_left_by_a_dead_process_is_recovered(tmp_path):
    import socket

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    path = tmp_path / "retrain.lock"
    path.write_text(json.dumps({"host": socket.gethostname(), "pid": dead.pid, "started": time.time()}))
    lock = RunLock(path)
    lock.acquire()
    assert lock.recovered["pid"] == dead.pid
    assert json.loads(path.read_text())["pid"] == os.getpid()


def test_config_refuses_unknown_skills_and_missing_data(tmp_path, data_root):
    with pytest.raises(ValueError, match="unknown skills"):
        retrain_config(tmp_path, data_root, skills="ner,poetry")
    with pytest.raises(ValueError, match="no sentiment benchmark folder"):
        retrain_config(tmp_path, data_root, skills="sentiment")
    with pytest.raises(ValueError, match="heldout_fraction"):
        retrain_config(tmp_path, data_root, heldout_fraction=1.0)


def test_skill_settings_override_the_shared_ones_for_that_skill_only(tmp_path, data_root):
    (data_root / "sst2").mkdir()
    settings = '{"sentiment": {"distill_weight": 1, "margin": 0.8}, "ner": {"epochs": 3}}'
    config = retrain_config(tmp_path, data_root, skills="ner,sentiment", skill_settings=settings)
    ner, sentiment = config.for_skill("ner"), config.for_skill("sentiment")
    assert (ner.skills, ner.epochs, ner.margin, ner.distill_weight) == ("ner", 3, 100.0, 0.0)
    assert (sentiment.skills, sentiment.epochs, sentiment.margin, sentiment.distill_weight) == ("sentiment", 4, 0.8, 1)
    assert config.epochs == 4 and config.for_skill("ner").skill_overrides == {}


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ("{ner: 3}", "not valid JSON"),
        ('{"ner": 3}', "must map skills to settings"),
        ('{"poetry": {"epochs": 1}}', "unknown skill 'poetry'"),
        ('{"ner": {"seed": 1}}', "'seed' cannot be set per skill"),
        ('{"ner": {"epochs": 1.5}}', "ner.epochs must be a number >= 1 \\(int\\)"),
        ('{"ner": {"margin": "low"}}', "ner.margin must be a number"),
        ('{"ner": {"learning_rate": -1}}', "ner.learning_rate must be a number >= 0"),
        ('{"ner": {"epochs": 0}}', "ner.epochs must be a number >= 1"),
    ],
)
def test_skill_settings_that_cannot_be_used_are_refused(tmp_path, data_root, settings, message):
    with pytest.raises(ValueError, match=message):
        retrain_config(tmp_path, data_root, skill_settings=settings)


def test_schedule_accepts_a_time_or_a_crontab_line():
    from training.retrain import schedule_trigger

    assert "hour='3'" in str(schedule_trigger("03:00", None))
    assert "minute='30'" in str(schedule_trigger(None, "30 2 * * 1-5"))
    with pytest.raises(ValueError, match="HH:MM"):
        schedule_trigger("25:00", None)


def test_one_session_with_500_wrong_corrections_cannot_get_a_regression_promoted(tmp_path, data_root):
    """Poisoning: people swapped for places. The per-session cap keeps 50 of the 500; the benchmark gate rejects."""
    store = FeedbackStore(f"sqlite:///{tmp_path / 'feedback.db'}")
    for day in range(500):
        turn_id = record_ner_turn(store, f"John Smith visited Paris on day {day}", session="poisoner")
        poison = [
            {"text": "John Smith", "type": "LOC", "start": 0, "end": 10},
            {"text": "Paris", "type": "PER", "start": 19, "end": 24},
        ]
        store.rate(turn_id, thumb="down", correction={"entities": poison})
    config = retrain_config(tmp_path, data_root, margin=0.5)
    (outcome,) = retrain(config)["skills"]
    assert outcome["feedback_examples"] == 50  # the cap: this session's first 50 ratings
    assert outcome["action"] == "rejected" and "benchmark f1 fell" in outcome["reason"], outcome
    assert AdapterRegistry(config.registry).current("ner") == "v3"
