"""`python -m chatbot feedback export` end to end: a real SQLite store, the CLI as a subprocess, `datasets` loading."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.store import FeedbackStore
from training.feedback import SILVER_WEIGHT, FeedbackExample
from training.feedback_export import export_row

REPO_ROOT = Path(__file__).resolve().parents[2]
PASSAGE = "Marie Curie won two Nobel prizes in Paris."


def fill_store(url: str) -> None:
    """Five rated answers: a NER correction, a sentiment 👍 twice (merged), a QA 👎, a taken-back 👍, a help 👍."""
    store = FeedbackStore(url)

    def add(skill: str, data: dict, session: str = "s1", evidence: str | None = None) -> int:
        skill_rationale = {"evidence": {"text": evidence, "source": "message"}} if evidence else {}
        return store.record_turn(
            session_id=session,
            message=f"a message for {skill}",
            skill=skill,
            reply_text="reply",
            confidence=0.9,
            router_scores={skill: 0.9},
            output={"data": data, "rationale": {"route": {}, "skill": skill_rationale}, "passage": evidence},
            adapter_version=f"{skill}-v1",
        )

    text = "Priya Nair joined Infosys in Pune"
    ner = add("ner", {"text": text, "entities": [{"text": "Priya", "type": "PER", "start": 0, "end": 5, "score": 0.7}]})
    gold = [
        {"text": "Priya Nair", "type": "PER", "start": 0, "end": 10},
        {"text": "Pune", "type": "LOC", "start": 29, "end": 33},
    ]
    store.rate(ner, thumb="down", correction={"entities": gold})
    for session in ("s1", "s2"):
        liked = add("sentiment", {"text": "a moving film", "label": "positive"}, session)
        store.rate(liked, thumb="up")
    qa = {"answer": "Paris", "start": 36, "end": 41, "question": "who won?", "source": "message"}
    store.rate(add("qa", qa, evidence=PASSAGE), thumb="down")
    taken_back = add("sentiment", {"text": "dull", "label": "negative"}, "s3")
    store.rate(taken_back, thumb="up")
    store.rate(taken_back, thumb=None)
    store.rate(add("help", {"text": "help"}), thumb="up")
    store.close()


def run_cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "EXCHAT_HOME": str(home)}
    env.pop("EXCHAT_DB_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "chatbot", "feedback", "export", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


@pytest.fixture
def home(tmp_path: Path) -> Path:
    fill_store(f"sqlite:///{tmp_path / 'home' / 'feedback.db'}")
    return tmp_path / "home"


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_export_writes_a_file_that_datasets_loads(home: Path, tmp_path: Path, fmt: str):
    from datasets import load_dataset

    out = tmp_path / f"examples.{fmt}"
    done = run_cli(home, "--format", fmt, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert f"3 examples (1 gold, 1 negative, 1 silver) written to {out}" in done.stdout
    assert "answer #6: the help skill gives no training examples" in done.stderr
    rows = load_dataset("json" if fmt == "jsonl" else "parquet", data_files=str(out), cache_dir=str(tmp_path / "c"))
    rows = rows["train"]
    assert rows.num_rows == 3
    assert rows["kind"] == ["gold", "silver", "negative"]
    assert json.loads(rows[0]["label"])[0] == {"text": "Priya Nair", "type": "PER", "start": 0, "end": 10}
    assert (rows[1]["label"], rows[1]["count"], rows[1]["session_ids"]) == ('"positive"', 2, ["s1", "s2"])
    assert rows[1]["weight"] == SILVER_WEIGHT
    assert (rows[2]["label"], rows[2]["passage"], rows[2]["question"]) == (None, PASSAGE, "who won?")
    assert json.loads(rows[2]["rejected"]) == {"answer": "Paris", "start": 36}


@pytest.mark.slow
def test_export_filters_by_skill_and_rating_id_with_default_path_and_format(home: Path, tmp_path: Path):
    done = run_cli(home, "--skill", "sentiment", "--since-rating-id", "2")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in (home / "feedback.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["skill"], r["rating_ids"], r["weight"]) for r in rows] == [("sentiment", [3], SILVER_WEIGHT)]
    out = tmp_path / "ner.parquet"
    assert run_cli(home, "--skill", "ner", "--out", str(out)).returncode == 0
    assert out.read_bytes()[:4] == b"PAR1"  # the format follows the file name when none is given


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "jsonl", "--silver-weight", "2"], "silver_weight must be a number in [0, 1], got 2.0"),
        (["--format", "csv"], "invalid choice: 'csv'"),
        (["--format", "jsonl", "--since-rating-id", "-3"], "expected a whole number of at least 0, got '-3'"),
    ],
)
def test_export_rejects_bad_arguments_with_exit_code_2(home: Path, args: list[str], message: str):
    done = run_cli(home, *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_export_without_a_database_says_so_and_creates_nothing(tmp_path: Path):
    done = run_cli(tmp_path / "empty", "--format", "jsonl")
    assert done.returncode == 2
    assert "no feedback database at" in done.stderr
    assert not (tmp_path / "empty").exists()


@pytest.mark.slow
def test_export_does_not_load_the_encoder(home: Path, tmp_path: Path):
    script = (
        "import sys\n"
        "from chatbot.__main__ import main\n"
        f"assert main(['feedback', 'export', '--format', 'parquet', '--out', {str(tmp_path / 'x.parquet')!r}]) == 0\n"
        "print(sorted(m for m in ('transformers', 'sentence_transformers', 'peft') if m in sys.modules))\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "EXCHAT_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=240, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_export_row_writes_labels_as_json_text():
    example = FeedbackExample("sentiment", "silver", "a moving film", "positive", 0.5, (1,), (2,), ("s1",))
    row = export_row(example)
    assert (row["label"], row["rejected"], row["turn_ids"], row["count"]) == ('"positive"', None, [1], 1)
    assert json.dumps(row)


def test_ratings_of_a_session_deleted_while_reading_are_left_out(home: Path, monkeypatch: pytest.MonkeyPatch):
    from training.feedback_export import load_feedback

    store = FeedbackStore(f"sqlite:///{home / 'feedback.db'}")
    read_ratings = store.ratings

    def ratings_then_delete():  # the session is deleted between the two reads of load_feedback
        ratings = read_ratings()
        store.delete_session("s2")
        return ratings

    monkeypatch.setattr(store, "ratings", ratings_then_delete)
    dataset = load_feedback(store)
    assert dataset.examples and all("s2" not in e.session_ids for e in dataset.examples)
    store.close()
