"""`kill -9` of the real app while ratings stream in: after a restart on the same database the store is sound and
every rating whose request had returned is there."""

from __future__ import annotations

import threading
import time

import pytest

from bench.server import AppProcess
from core.store import FeedbackStore

pytestmark = pytest.mark.slow

STREAMS = 3
KILL_AFTER = 45  # acknowledged ratings before the kill: enough that the streams are well under way


def stream_ratings(url: str, turn_id: int, acknowledged: list[dict], failures: list[str], stop: threading.Event):
    """Rate one answer over and over (up, down with a reason, taken back) until stopped or the app is gone."""
    from gradio_client import Client

    client = Client(url, verbose=False)
    plans = [("up", None), ("down", "not quite"), ("retract", None)]
    try:
        for n in range(10_000):
            if stop.is_set():
                return
            thumb, reason = plans[n % len(plans)]
            try:
                rating = client.predict(turn_id, thumb, reason, None, api_name="/rate_turn")
            except Exception as error:  # the app was killed under this request: it was never acknowledged
                failures.append(f"{type(error).__name__}: {error}")
                return
            if "error" in rating:
                failures.append(f"refused: {rating}")
                return
            acknowledged.append(rating)
    finally:
        client.close()


def test_ratings_acknowledged_before_a_kill_9_are_all_there_after_a_restart(tmp_path, monkeypatch):
    from gradio_client import Client

    monkeypatch.setenv("GRADIO_ANALYTICS_ENABLED", "False")
    app = AppProcess(tmp_path / "home").start()
    try:
        client = Client(app.url, verbose=False)
        messages = ["/sentiment the soup was cold", "/ner Priya Nair joined Infosys in Pune", "what can you do?"]
        turn_ids = [client.predict(m, f"crash-{i}", api_name="/reply")["turn_id"] for i, m in enumerate(messages)]
        client.close()

        acknowledged: list[dict] = []
        failures: list[str] = []
        stop = threading.Event()
        threads = [
            threading.Thread(target=stream_ratings, args=(app.url, turn_ids[i], acknowledged, failures, stop))
            for i in range(STREAMS)
        ]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 120
        while len(acknowledged) < KILL_AFTER and time.monotonic() < deadline and any(t.is_alive() for t in threads):
            time.sleep(0.02)
        assert len(acknowledged) >= KILL_AFTER, (failures, app.log_tail())
        app.kill()
        for thread in threads:
            thread.join(timeout=60)
        stop.set()
        assert not any(t.is_alive() for t in threads)
    finally:
        app.kill()
    # every stream was cut off by the kill, not stopped before it: the kill really came mid-stream
    assert len(failures) == STREAMS and not any(f.startswith("refused") for f in failures), failures
    assert app.process.returncode == -9

    with AppProcess(tmp_path / "home") as restarted:
        client = Client(restarted.url, verbose=False)
        after = client.predict(turn_ids[0], "up", "still fine after the crash", None, api_name="/rate_turn")
        client.close()
    assert after["thumb"] == "up" and after["id"] > max(r["id"] for r in acknowledged)

    store = FeedbackStore(app.db_url)
    try:
        assert store.check_integrity()
        stored = {r.id: r for r in store.ratings()}
        for rating in acknowledged:
            assert rating["id"] in stored, f"acknowledged rating {rating['id']} lost"
            assert (stored[rating["id"]].turn_id, stored[rating["id"]].thumb) == (rating["turn_id"], rating["thumb"])
        # at most one request per stream can have been written but not yet acknowledged when the app died
        assert len(acknowledged) <= len(stored) - 1 <= len(acknowledged) + STREAMS
        assert {t.id for t in store.turns()} == set(turn_ids)
    finally:
        store.close()
