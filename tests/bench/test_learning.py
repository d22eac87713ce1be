"""The learning loop's simulated user: a corrected tweet is asked again at once, and counted right only when the answer
is the correction (the correction memory's promise), through the real `Assistant` API."""

from __future__ import annotations

import pytest

from bench.learning import Item, send_and_rate
from chatbot.memory import CorrectionMemory

TWEET = "Barcelona beat Real Madrid 3-1 at Camp Nou , Lewandowski scored twice"


def counts() -> dict[str, int]:
    kinds = ("ratings", "corrections", "thumbs_up", "thumbs_down", "right", "wrong", "unusable", "reasked")
    return {k: 0 for k in (*kinds, "reasked_right")}


def gold_unlike_the_answer(assistant) -> list[dict]:
    """The model's own names for TWEET with the first one's type changed: a gold answer it gets wrong."""
    found = assistant.reply(f"/ner {TWEET}", "probe").data["entities"]
    assert found, "the released adapter finds names in TWEET"
    first = found[0]
    other = next(kind for kind in ("MISC", "LOC", "ORG", "PER") if kind != first["type"])
    return [{**first, "type": other}, *found[1:]]


@pytest.mark.parametrize("with_memory, right", [(True, 1), (False, 0)])
def test_a_corrected_tweet_asked_again_at_once_is_right_only_from_the_memory(assistant, own_store, with_memory, right):
    def remembering(config):
        return CorrectionMemory(config.db_url, assistant.router.embed, config.memory_similarity)

    user = own_store(memory=remembering if with_memory else None)
    gold = [{k: e[k] for k in ("text", "type", "start", "end")} for e in gold_unlike_the_answer(user)]
    tally = counts()
    send_and_rate(user, Item(f"/ner {TWEET}", TWEET, gold), "user", "ner", tally)
    assert tally["corrections"] == tally["reasked"] == tally["wrong"] == 1
    assert tally["reasked_right"] == right


def test_the_table_reports_every_report_set_whatever_its_metric_is_called():
    from bench.learning import table

    point = {"feedback": 0, "counts": counts(), "version": "v5", "wnut_dev_f1_any_case": 51.36}
    result = {"points": [{**point, "eng.testb_f1_any_case": 86.18}]}
    header, _, row = table(result).splitlines()
    assert "wnut_dev_f1_any_case | eng.testb_f1_any_case" in header and "| 51.36 | 86.18 |" in row
