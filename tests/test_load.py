"""The load bench at small scale (bench/load.py): the real app in a child process, concurrent clients rating every
answer, no error and no acknowledged rating lost; and the queue is set up for a small machine, not left at defaults."""

from __future__ import annotations

import pytest

from bench.load import run_load

pytestmark = pytest.mark.slow


def test_four_clients_rating_every_answer_get_no_error_and_lose_no_rating(tmp_path):
    summary = run_load(clients=4, turns=5, home=tmp_path)

    assert summary["errors"] == 0, summary["error_examples"]
    assert summary["warm_up_errors"] == []
    assert summary["turns"] == 20
    assert set(summary["skills"]) == {"ner", "sentiment", "qa", "help"}
    check = summary["check"]
    # 20 answers rated by the five plans in turn (two of them take two events), plus the warm-up's one rating
    assert check["ratings_acknowledged"] == summary["rating_events"] + 1 >= 25
    assert check["ratings_stored"] == check["ratings_acknowledged"]
    assert check["ratings_missing"] == check["ratings_differing"] == check["ratings_extra"] == 0
    assert check["turns_acknowledged"] == 21 and check["turns_missing"] == check["turns_extra"] == 0
    assert check["integrity_ok"]
    assert summary["turn_latency"]["p50_ms"] > 0 and summary["turns_per_s"] > 0


def test_model_events_share_the_configured_concurrency_and_the_queue_is_bounded(assistant):
    from chatbot.ui import MODEL, RATINGS, build_demo

    demo = build_demo(assistant)
    groups = {fn.api_name: fn.concurrency_id for fn in demo.fns.values() if fn.api_name}
    assert groups["chat"] == groups["reply"] == groups["kb_upload"] == MODEL
    assert groups["rate"] == groups["rate_turn"] == RATINGS
    # every event that runs the model, the private Send button included, is in the one group
    chat_events = [fn for fn in demo.fns.values() if fn.fn is not None and fn.fn.__name__ == "chat"]
    assert len(chat_events) == 2 and {fn.concurrency_id for fn in chat_events} == {MODEL}
    assert demo._queue.default_concurrency_limit == assistant.config.concurrency == 2
    assert demo._queue.max_size is not None and demo._queue.max_size >= 32
