from __future__ import annotations

import pytest

from skills.ner.evaluate import ner_scores
from skills.qa.data import QAExample
from skills.qa.evaluate import normalize_answer, squad_scores
from skills.sentiment.evaluate import sentiment_scores


def test_squad_normalisation_drops_case_punctuation_and_articles():
    assert normalize_answer("The  Eiffel Tower!") == "eiffel tower"


def test_squad_scores_take_the_best_reference():
    example = QAExample("q1", "t", "when?", "ctx", ["in 1889", "1889"], [0, 3])
    assert squad_scores({"q1": "1889"}, [example]) == {"exact_match": 100.0, "f1": 100.0, "n": 1}
    partial = squad_scores({"q1": "built in 1889 AD"}, [example])
    assert partial["exact_match"] == 0.0
    assert partial["f1"] == pytest.approx(round(100 * 2 * (2 / 4) * 1.0 / (2 / 4 + 1.0), 2))


def test_ner_scores_are_strict_entity_level():
    gold = [["B-PER", "I-PER", "O", "B-LOC"]]
    assert ner_scores(gold, gold)["f1"] == 100.0
    # a partially matched entity counts as wrong in strict mode: 1 of 2 right
    assert ner_scores(gold, [["B-PER", "O", "O", "B-LOC"]])["f1"] == 50.0


def test_sentiment_scores_accuracy_macro_f1_and_confusion():
    scores = sentiment_scores([0, 0, 1, 1], [0, 1, 1, 1])
    assert scores["accuracy"] == 75.0
    assert scores["confusion"] == [[1, 1], [0, 2]]
    assert scores["macro_f1"] == pytest.approx(round(100 * (2 / 3 + 0.8) / 2, 2))


def test_ner_scores_report_micro_precision_and_recall():
    scores = ner_scores([["B-PER", "I-PER", "O", "B-LOC"]], [["B-PER", "I-PER", "O", "O"]])
    assert (scores["precision"], scores["recall"], scores["f1"]) == (100.0, 50.0, round(100 * 2 / 3, 2))
