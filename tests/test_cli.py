"""`python -m chatbot feedback delete` and `feedback purge` (through `main`) on a real SQLite store."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatbot.__main__ import main
from core.store import PURGED_TEXT, FeedbackStore


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder with two sessions' answers and ratings; `main` reads it through EXCHAT_HOME."""
    home = tmp_path / "home"
    monkeypatch.setenv("EXCHAT_HOME", str(home))
    monkeypatch.delenv("EXCHAT_DB_URL", raising=False)
    store = FeedbackStore(f"sqlite:///{home / 'feedback.db'}")
    for session in ("alice", "bob"):
        for n in range(2):
            turn_id = store.record_turn(
                session_id=session,
                message=f"{session} says {n}",
                skill="sentiment",
                reply_text="positive",
                confidence=0.9,
                router_scores={"sentiment": 0.9},
                output={"data": {"text": f"{session} says {n}", "label": "positive"}, "rationale": {}},
                adapter_version="sentiment-v1",
            )
            store.rate(turn_id, thumb="up", reason=f"{session} liked it")
    store.close()
    return home


def open_store(home: Path) -> FeedbackStore:
    return FeedbackStore(f"sqlite:///{home / 'feedback.db'}")


def test_delete_removes_one_sessions_answers_and_ratings(home, capsys):
    assert main(["feedback", "delete", "--session", "alice"]) == 0
    assert "Session 'alice': 2 answers and 2 ratings deleted." in capsys.readouterr().out
    store = open_store(home)
    assert {t.session_id for t in store.turns()} == {"bob"}
    assert {r.session_id for r in store.ratings()} == {"bob"}
    store.close()
    assert main(["feedback", "delete", "--session", "alice"]) == 0  # asked twice: nothing left, no error
    assert "Nothing stored for session 'alice'" in capsys.readouterr().out


def test_purge_replaces_the_text_of_older_answers_and_keeps_the_counts(home, capsys):
    store = open_store(home)
    before = store.counts()
    alice = [t.id for t in store.turns(session_id="alice")]
    with store.engine.begin() as connection:  # alice's answers are 10 days old
        connection.exec_driver_sql(
            "UPDATE turns SET created_at = datetime(created_at, '-10 days') WHERE session_id = 'alice'"
        )
    store.close()

    assert main(["feedback", "purge", "--older-than-days", "7"]) == 0
    assert "2 answers older than 7 days purged" in capsys.readouterr().out

    store = open_store(home)
    assert [store.turn(i).message for i in alice] == [PURGED_TEXT, PURGED_TEXT]
    assert all(r.reason is None for i in alice for r in store.ratings(i))
    assert {t.message for t in store.turns(session_id="bob")} == {"bob says 0", "bob says 1"}
    assert store.counts() == before
    store.close()


@pytest.mark.parametrize("days", ["0", "-3", "seven"])
def test_purge_needs_a_positive_number_of_days(home, days, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["feedback", "purge", "--older-than-days", days])
    assert exit_.value.code == 2
    assert "expected a positive whole number" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["feedback", "delete", "--session", "x" * 200], "at most 128 printable characters"),
        (["feedback", "delete", "--session", " "], "A session id is required"),
    ],
)
def test_a_bad_session_id_is_refused_clearly(home, args, message, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_missing_database_is_refused_not_created(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EXCHAT_HOME", str(tmp_path / "nowhere"))
    monkeypatch.delenv("EXCHAT_DB_URL", raising=False)
    assert main(["feedback", "purge", "--older-than-days", "30"]) == 2
    assert "no feedback database" in capsys.readouterr().err
    assert not (tmp_path / "nowhere" / "feedback.db").exists()


def test_delete_and_purge_also_remove_the_recordings_and_pictures_kept(home, capsys, monkeypatch):
    import os

    from chatbot.media.keep import MediaKeeper

    monkeypatch.setenv("EXCHAT_KEEP_MEDIA", "1")
    keeper = MediaKeeper(home / "media", enabled=True)
    alices = home / "media" / keeper.keep("alice", b"\x89PNG\r\n\x1a\n...")
    bobs = home / "media" / keeper.keep("bob", b"RIFF\x00\x00\x00\x00WAVE...")
    assert main(["feedback", "delete", "--session", "alice"]) == 0
    assert "2 answers and 2 ratings and 1 recordings or pictures deleted" in capsys.readouterr().out
    assert not alices.exists() and bobs.exists()
    ten_days_ago = bobs.stat().st_mtime - 10 * 86_400
    os.utime(bobs, (ten_days_ago, ten_days_ago))
    assert main(["feedback", "purge", "--older-than-days", "7"]) == 0
    assert "1 recordings or pictures deleted" in capsys.readouterr().out
    assert not bobs.exists()
