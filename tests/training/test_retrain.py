"""The nightly retrain on a tiny fixture: real training from the released NER adapter (and from a tiny request model,
trained once here), the real gate, the registry.

Feedback is stored the way the app stores it (turns with the NER skill's output, ratings with corrections; routing
labels as `Assistant.choose` and `reanswer` store them).
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
from core.records import Rationale, RouteRationale, SkillInputs, TurnOutput
from core.registry import AdapterRegistry
from core.store import FeedbackStore
from skills.encoder import SharedEncoder
from skills.examples import ExampleIndex
from skills.ner.data import read_conll
from skills.request.generate import generate
from tests.skills.test_request_generate import PAYLOADS
from tests.training.conll_fixture import SENTENCES, write_conll
from training.example_index import index_examples
from training.lock import LockHeld, RunLock
from training.request_data import write_requests
from training.retrain import RetrainConfig, Scorer, benchmark_scores, gate, retrain

pytestmark = pytest.mark.slow

# The released NER version the retrain starts from, and the version its first candidate gets.
RELEASED = json.loads((REPO_ROOT / "adapters" / "ner" / "bundle.json").read_text())["version"]
NEXT = f"v{int(RELEASED.removeprefix('v')) + 1}"

# Made-up song titles written in lower case (as in chat), which the released adapter reads as people, companies or
# places (it learned product sentences, so these are songs); each is a work of art (MISC, as CoNLL tags titles) in
# the corrections, and each appears in two sentences so the held-out part shares names with training.
NAMES = ["zorvik", "quellan", "brastow", "myrrin", "tavorn", "ulquist", "drennick", "solvane", "kestrin", "orlath"]
TEMPLATES = [
    "we danced to {} all night",
    "{} was on the radio again",
    "have you heard {} yet",
    "they played {} twice at the wedding",
]


def ner_texts() -> list[tuple[str, int, int]]:
    """(text, start, end) of the product's name in each feedback sentence."""
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
        adapter_version=RELEASED,
    )


def store_feedback(store: FeedbackStore, correct: bool, session: str = "s1") -> None:
    """One NER turn per text, rated with the right entity (or 👍 on the empty output)."""
    for text, start, end in ner_texts():
        turn_id = record_ner_turn(store, text, session)
        if correct:
            entity = {"text": text[start:end], "type": "MISC", "start": start, "end": end}
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


def test_gate_on_routing_labels_asks_only_that_they_do_not_get_worse():
    assert gate((90.0, 89.6), (80.0, 80.0), 0.5, "exact", must_improve=False)[0]
    promote, reason = gate((90.0, 91.0), (80.0, 75.0), 0.5, "exact", must_improve=False)
    assert not promote and "held-out feedback exact fell (80.00 -> 75.00)" in reason
    promote, reason = gate((90.0, 88.0), (80.0, 100.0), 0.5, "exact", must_improve=False)
    assert not promote and "benchmark exact fell 2.00 points" in reason


def test_retrain_promotes_a_candidate_that_learned_the_corrections(tmp_path, data_root):
    store_feedback(FeedbackStore(f"sqlite:///{tmp_path / 'feedback.db'}"), correct=True)
    config = retrain_config(tmp_path, data_root)
    sentences = read_conll(data_root / "conll2003" / "eng.train")
    index_examples("ner", sentences, config.adapters / "ner", SharedEncoder().embed)  # the released version's examples
    report = retrain(config)
    (outcome,) = report["skills"]
    assert outcome["action"] == "promoted", json.dumps(outcome)
    assert outcome["metrics"]["feedback"]["score"] > outcome["metrics"]["feedback"]["current"]
    registry = AdapterRegistry(config.registry)
    assert registry.current("ner") == NEXT == outcome["version"]
    record = registry.record("ner", NEXT)
    assert record.parent == RELEASED and record.status == "promoted"
    assert len(record.feedback_rating_ids) == outcome["data"]["feedback_examples"] > 0
    folder = registry.folder("ner", NEXT)
    assert json.loads((folder / "bundle.json").read_text())["version"] == NEXT
    assert "Promoted" in (folder / "README.md").read_text()
    # Its similar-examples index: the released version's plus the feedback it was trained on.
    examples = ExampleIndex.load(folder)
    parent = ExampleIndex.load(registry.folder("ner", RELEASED))
    feedback = [r for r in examples.records if r["source"] == "feedback"]
    assert examples.records[: len(parent)] == parent.records
    assert len(feedback) == len(examples) - len(parent) == outcome["data"]["feedback_examples"]
    assert feedback[0]["label"][0]["type"] == "MISC"
    assert registry.last_report() == report

    # Nothing new since: the next night skips the skill and keeps its promoted version.
    again = retrain(config)
    assert again["skills"][0]["action"] == "skipped" and registry.current("ner") == NEXT

    # Rollback makes the released version current again.
    assert registry.rollback("ner") == RELEASED and registry.current("ner") == RELEASED


def test_retrain_rejected_by_the_gate_leaves_current_untouched(tmp_path, data_root):
    # 👍 on the model's own (empty) output: the current version is already perfect on that feedback.
    store_feedback(FeedbackStore(f"sqlite:///{tmp_path / 'feedback.db'}"), correct=False)
    config = retrain_config(tmp_path, data_root, skill_settings='{"ner": {"epochs": 1}}')
    (outcome,) = retrain(config)["skills"]
    assert outcome["action"] == "rejected" and "did not improve" in outcome["reason"]
    registry = AdapterRegistry(config.registry)
    assert registry.current("ner") == RELEASED
    assert registry.record("ner", NEXT).status == "rejected"
    # NER's own setting was the one used, and the recorded command reruns this skill with it.
    training = json.loads((registry.folder("ner", NEXT) / "bundle.json").read_text())["training"]
    assert training["config"]["epochs"] == 1 and "--epochs 1 " in training["command"]
    assert "--skills ner " in training["command"] and "--skill-settings" not in training["command"]
    assert [e["action"] for e in registry.history("ner")] == ["seed", "reject"]


def test_sentiment_gate_scores_whole_sentences_not_a_score_cached_on_the_phrase_slice(tmp_path, monkeypatch):
    from training import data

    folder = tmp_path / "data" / "sst2"
    folder.mkdir(parents=True)
    reviews = [("a moving , beautifully acted film", 1), ("a dull , lifeless mess of a movie", 0)] * 4
    rows = [(f"{text} , part {i}", label) for i, (text, label) in enumerate(reviews)] + [("dull", 0), ("moving", 1)]
    for name in ("train.tsv", "dev.tsv"):
        (folder / name).write_text("sentence\tlabel\n" + "".join(f"{t} \t{y}\n" for t, y in rows), encoding="utf-8")
    monkeypatch.setattr(data, "SELECT_FRACTION", 0.5)
    registry = AdapterRegistry(tmp_path / "registry")
    released = json.loads((REPO_ROOT / "adapters" / "sentiment" / "bundle.json").read_text())["version"]
    current = registry.seed("sentiment", REPO_ROOT / "adapters" / "sentiment", released)
    # What an earlier retrain kept: the released version's score on the phrase slice, keyed without its part.
    record = registry.record("sentiment", current)
    record.metrics["benchmark"] = {"split": "select", "file": "train.tsv", "limit": None, "score": 12.34}
    record.write(registry.folder("sentiment", current))
    config = RetrainConfig(data=tmp_path / "data", registry=tmp_path / "registry", skills="sentiment")

    scores = benchmark_scores("sentiment", current, registry.folder("sentiment", current), config, registry, Scorer())
    # scored again, on the whole sentences: the same bundle as current and candidate gets one score, not 12.34
    assert scores["current"] == scores["candidate"] != 12.34
    assert "whole sentences" in scores["part"]
    kept = registry.record("sentiment", current).metrics["benchmark"]
    assert kept["part"] == scores["part"] and kept["score"] == scores["current"]


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
    staging = config.registry / "ner" / f".staging-{NEXT}"
    deadline = time.time() + 120
    while not (staging / "checkpoint").exists() and time.time() < deadline and process.poll() is None:
        time.sleep(0.2)
    assert process.poll() is None, "the retrain ended before it could be killed"
    assert (staging / "checkpoint").exists(), "training did not start within 2 minutes"
    process.send_signal(signal.SIGKILL)
    process.wait()

    assert registry.current("ner") == RELEASED
    assert [r.version for r in registry.versions("ner")] == [RELEASED]
    assert (config.registry / "retrain.lock").exists()  # stale: its owner is dead

    (outcome,) = retrain(config)["skills"]
    assert outcome["action"] == "promoted" and registry.current("ner") == NEXT
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
    from training.schedule import schedule_trigger

    assert "hour='3'" in str(schedule_trigger("03:00", None))
    assert "minute='30'" in str(schedule_trigger(None, "30 2 * * 1-5"))
    with pytest.raises(ValueError, match="HH:MM"):
        schedule_trigger("25:00", None)


def test_one_session_with_500_wrong_corrections_cannot_get_a_regression_promoted(tmp_path, data_root):
    """Poisoning: countries relabelled as people ("Spain and Italy agreed."; the selection split has "Germany and
    France agreed."). The per-session cap keeps 50 of the 500; the benchmark gate rejects."""
    store = FeedbackStore(f"sqlite:///{tmp_path / 'feedback.db'}")
    countries = ["Germany", "France", "Spain", "Italy", "Poland", "Austria", "Norway", "Sweden", "Greece", "Portugal"]
    pairs = [(a, b) for a in countries for b in countries if a != b]
    for day in range(500):
        first, second = pairs[day % len(pairs)]
        text = f"{first} and {second} agreed."
        turn_id = record_ner_turn(store, text, session="poisoner")
        poison = [
            {"text": first, "type": "PER", "start": 0, "end": len(first)},
            {"text": second, "type": "PER", "start": text.index(second), "end": text.index(second) + len(second)},
        ]
        store.rate(turn_id, thumb="down", correction={"entities": poison})
    config = retrain_config(tmp_path, data_root, margin=0.5)
    (outcome,) = retrain(config)["skills"]
    assert outcome["feedback_examples"] == 50  # the cap: this session's first 50 ratings
    assert outcome["action"] == "rejected" and "benchmark f1_any_case fell" in outcome["reason"], json.dumps(outcome)
    assert AdapterRegistry(config.registry).current("ner") == RELEASED


# Routing labels: the request model read each message unsure or wrong; users said it was for sentiment.
REVIEWS = [
    "the soup was cold",
    "what a lovely little hotel",
    "the staff ignored us all evening",
    "best concert this year",
    "the battery died after an hour",
    "a charming and funny story",
    "the room smelled of smoke",
    "quick and kind help",
    "the train was late again",
    "a gorgeous view from the top",
    "the plot made no sense",
    "friendly people everywhere",
]


@pytest.fixture(scope="module")
def request_model(tmp_path_factory, one_thread):
    """A request-model data folder and a tiny request adapter trained on it (one epoch, no report, no card), once for
    the module; its bundle says it was calibrated, as a released one is."""
    from training.train import TrainConfig, TrainingExamples, bundle_info, prepare_run, run_epochs

    root = tmp_path_factory.mktemp("request")
    folder = root / "requests"
    folder.mkdir()
    requests = generate(PAYLOADS, singles=24, dialogues=4, seed=0)
    for name, part in (("train", requests), ("select", requests[:10]), ("report", requests[10:16])):
        write_requests(folder / f"{name}.jsonl", part)
    out = root / "request"
    config = TrainConfig(skill="request", data=folder, out=out, epochs=1, batch_size=8, max_length=64)
    run = prepare_run(config, TrainingExamples(requests, [1.0] * len(requests), select=[]))
    info = bundle_info(run, run_epochs(run, out, time.time()), "tests")
    info.training["calibration"] = {"temperature": 2.5, "split": "select"}
    info.write(out)
    return folder, out


def record_routing_label(store: FeedbackStore, review: str, session: str, source: str) -> int:
    """A turn the NER skill answered after the request model read the message as names, and the user's routing label
    saying it was for sentiment; returns the rating's id."""
    message = f"what do you make of this: {review}"
    start = message.index(review)
    reading = {
        "skill": "ner",
        "kind": "new_text",
        "offsets": {"TEXT": [start, len(message)]},
        "context": {"previous_skill": None, "previous_message": None, "pending_passage": False, "pending_kb": False},
    }
    route = RouteRationale("ner", "read by the request model", None, {}, {}, {}, "ner", "request model", reading)
    output = TurnOutput({"text": review, "entities": []}, Rationale(route, 0.6), SkillInputs(text=review))
    turn_id = store.record_turn(
        session_id=session,
        message=message,
        skill="ner",
        reply_text="no entities",
        confidence=0.6,
        router_scores={"ner": 1.0},
        output=output.to_json(),
        adapter_version=RELEASED,
    )
    correction = {"intent": "sentiment/new_text", "source": source}
    return store.rate(turn_id, session_id=session, thumb="down", correction=correction)


def store_routing_labels(store: FeedbackStore) -> list[int]:
    return [
        record_routing_label(store, review, f"s{i % 3}", "clarify" if i % 2 else "wrong skill")
        for i, review in enumerate(REVIEWS)
    ]


def test_routing_labels_retrain_the_request_model_with_replay_and_the_gate_decides(
    tmp_path, data_root, request_model, one_thread
):
    from chatbot.adapters import AdapterSource
    from skills.request.model import build

    folder, released = request_model
    shutil.copytree(folder, data_root / "requests")
    shutil.copytree(released, tmp_path / "released" / "request")
    labels = store_routing_labels(FeedbackStore(f"sqlite:///{tmp_path / 'feedback.db'}"))
    config = retrain_config(tmp_path, data_root, skills="ner,request", epochs=2, margin=100.0)
    ner, outcome = retrain(config)["skills"]

    # The labels never train the skill that answered: NER has no feedback at all.
    assert ner["action"] == "skipped" and ner["feedback_examples"] == 0
    registry = AdapterRegistry(config.registry)
    assert [r.version for r in registry.versions("ner")] == [RELEASED]

    assert outcome["feedback_examples"] == len(REVIEWS) and outcome["current"] == "v1"
    data, metrics = outcome["data"], outcome["metrics"]
    assert data["feedback_examples"] + data["held_out_examples"] == len(REVIEWS) and data["held_out_examples"] > 0
    assert data["replay_examples"] == max(4, round(0.5 * data["feedback_examples"]))  # replay_ratio, min_replay
    assert sum(data["by_kind"].values()) == data["feedback_examples"]
    assert set(data["by_kind"]) <= {"clarify", "wrong skill"}
    assert data["through_rating_id"] == max(labels)
    assert metrics["benchmark"]["split"] == "select" and metrics["feedback"]["metric"] == "exact"
    # The gate's own verdict on the recorded scores: the select split within the margin, the held-out labels no worse.
    bench, held = metrics["benchmark"], metrics["feedback"]
    verdict = gate((bench["current"], bench["score"]), (held["current"], held["score"]), 100.0, "exact", False)
    assert outcome["action"] == ("promoted" if verdict[0] else "rejected") == "promoted", outcome
    assert registry.current("request") == "v2"
    record = registry.record("request", "v2")
    assert record.parent == "v1" and set(record.feedback_rating_ids) < set(labels)
    bundle = json.loads((registry.folder("request", "v2") / "bundle.json").read_text())
    assert bundle["training"]["config"]["init_adapter"].endswith("v1") and bundle["training"]["calibration"]["n"] == 10

    # The app's adapter source swaps the promoted version in; the request model then reads with it and its temperature.
    encoder = SharedEncoder()
    source = AdapterSource(encoder, tmp_path / "released", registry, ["request"])
    encoder.load_adapter("request", released)
    source.mark_loaded({"request": released})
    assert source.refresh(force=True) == {"request": "v2"}
    reader = build(encoder)
    assert reader.adapter_version == "v2" and reader.temperature == bundle["training"]["calibration"]["temperature"]


def test_without_a_request_adapter_the_retrain_skips_it_and_says_why(tmp_path, data_root, caplog):
    store_routing_labels(FeedbackStore(f"sqlite:///{tmp_path / 'feedback.db'}"))
    config = retrain_config(tmp_path, data_root, skills="request")
    (outcome,) = retrain(config)["skills"]
    assert outcome["action"] == "skipped" and outcome["current"] is None
    assert f"no request adapter to retrain: none released in {tmp_path / 'released' / 'request'}" in outcome["reason"]
    assert outcome["reason"] in caplog.text
    assert AdapterRegistry(config.registry).versions("request") == []
    # By default every skill and the request model are considered; a data root without requests/ is no error.
    for skill in ("sst2", "squad-v1.1"):
        (data_root / skill).mkdir()
    default = RetrainConfig(data=data_root, db_url=config.db_url, registry=config.registry, adapters=config.adapters)
    assert default.skill_list == ["ner", "sentiment", "qa", "request"]


def test_with_an_adapter_but_no_request_data_the_retrain_skips_it_and_says_why(tmp_path, data_root, request_model):
    shutil.copytree(request_model[1], tmp_path / "released" / "request")
    store_routing_labels(FeedbackStore(f"sqlite:///{tmp_path / 'feedback.db'}"))
    (outcome,) = retrain(retrain_config(tmp_path, data_root, skills="request"))["skills"]
    assert outcome["action"] == "skipped"
    assert outcome["reason"] == f"no request data folder {data_root / 'requests'} to replay from and gate on"


def test_routing_labels_keep_each_sessions_earliest_and_hold_out_messages_for_good(tmp_path):
    from training.routing_feedback import routing_labels

    store = FeedbackStore(f"sqlite:///{tmp_path / 'feedback.db'}")
    ids = store_routing_labels(store)  # 12 labels from 3 sessions, 4 each
    every = routing_labels(store.rated_turns(), store.ratings(), 0.3, per_session_cap=50)
    capped = routing_labels(store.rated_turns(), store.ratings(), 0.3, per_session_cap=3)
    assert every.examples == 12 and capped.examples == 9 and every.newest_rating == max(ids)
    assert len(capped.train) + len(capped.held_out) == 9
    assert {r.message for r in capped.held_out} <= {r.message for r in every.held_out}  # by message, not by company
    assert every.held_out and every.train and not every.must_improve
    assert all((r.skill, r.kind) == ("sentiment", "new_text") and r.span_text("TEXT") in REVIEWS for r in every.train)
    assert every.records[0] == {"text": every.train[0].message, "label": "sentiment/new_text", "source": "feedback"}
    assert every.weights == [1.0] * len(every.train) and sum(every.by_kind.values()) == len(every.train)
    assert set(every.rating_ids) <= set(ids) and len(every.rating_ids) == len(every.train)
