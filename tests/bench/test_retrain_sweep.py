"""bench.retrain_sweep: settings compared on a cut copy of a feedback database, the original left alone."""

from __future__ import annotations

import json
import sqlite3

import pytest

from bench.retrain_sweep import cut_database, main
from core.store import FeedbackStore
from tests.training.test_retrain import data_root, store_feedback  # noqa: F401 (data_root is a fixture)

pytestmark = pytest.mark.slow


def ratings(database) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT COUNT(*) FROM ratings").fetchone()[0]


def test_cut_database_keeps_the_ratings_through_the_id_and_leaves_the_source(tmp_path):
    source = tmp_path / "feedback.db"
    store_feedback(FeedbackStore(f"sqlite:///{source}"), correct=True)
    assert cut_database(source, tmp_path / "cut" / "feedback.db", 7) == 7
    assert ratings(tmp_path / "cut" / "feedback.db") == 7 and ratings(source) == 20
    with pytest.raises(SystemExit, match="no feedback database"):
        cut_database(tmp_path / "missing.db", tmp_path / "x.db", 7)


def test_sweep_scores_each_setting_on_the_gate_sets_only(tmp_path, data_root):  # noqa: F811
    source = tmp_path / "feedback.db"
    store_feedback(FeedbackStore(f"sqlite:///{source}"), correct=True)  # 20 corrections of lower-case names
    common = dict(replay_ratio=0.5, min_replay=4, epochs=4, batch_size=4)
    settings = [{**common, "learning_rate": 2e-3}, {**common, "learning_rate": 1e-12}]
    argv = ["--skill", "ner", "--data", str(data_root), "--db", str(source), "--through-rating", "20"]
    argv += ["--adapter", str(tmp_path / "released" / "ner"), "--gate-limit", "6", "--work", str(tmp_path / "work")]
    for setting in settings:
        argv += ["--setting", json.dumps(setting)]

    learned, control = main(argv)

    assert [r["setting"] for r in (learned, control)] == settings
    for result in (learned, control):
        assert result["benchmark"]["split"] == "select" and result["benchmark"]["limit"] == 6
        assert result["data"]["through_rating_id"] == 20
    assert learned["feedback"]["score"] > learned["feedback"]["current"]  # it learned the held-out names
    # No learning: the candidate is the current version again, on both gate sets.
    assert control["benchmark"]["candidate"] == control["benchmark"]["current"]
    assert control["feedback"]["score"] == control["feedback"]["current"]
    lines = (tmp_path / "work" / "results.jsonl").read_text().splitlines()
    assert [json.loads(line)["setting"] for line in lines] == settings
    assert ratings(source) == 20
