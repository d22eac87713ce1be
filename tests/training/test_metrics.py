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


def test_ner_gold_entities_become_character_spans_of_the_typed_text():
    from skills.ner.data import TaggedSentence
    from skills.ner.evaluate import gold_entities

    sentence = TaggedSentence(
        ["Jean-Luc", "Brassard", "left", "the", "U.S.", "."], ["B-PER", "I-PER", "O", "O", "B-LOC", "O"]
    )
    text, gold = gold_entities(sentence)
    assert text == "Jean-Luc Brassard left the U.S.."
    assert {(text[s:e], kind) for s, e, kind in gold} == {("Jean-Luc Brassard", "PER"), ("U.S.", "LOC")}


def test_ner_span_scores_need_the_exact_span_and_type():
    from skills.ner.evaluate import span_scores

    gold = [{(0, 8, "PER"), (12, 17, "LOC")}, set()]
    predicted = [{(0, 5, "PER"), (12, 17, "LOC")}, {(3, 6, "ORG")}]  # a name cut short, a spurious one
    scores = span_scores(gold, predicted)
    assert (scores["precision"], scores["recall"]) == (round(100 / 3, 2), 50.0)
    assert scores["per_type"]["LOC"]["f1-score"] == 100.0
    assert scores["per_type"]["ORG"] == {"precision": 0.0, "recall": 0.0, "f1-score": 0.0, "support": 0}


def test_ner_training_features_add_a_lowercased_copy_only_where_casing_speaks():
    from transformers import AutoTokenizer

    from skills.encoder import default_base_model
    from skills.ner.data import TaggedSentence, features
    from skills.words import WORD_SHAPES

    tokenizer = AutoTokenizer.from_pretrained(default_base_model())
    cased = TaggedSentence(["Met", "Tim", "Cook"], ["O", "B-PER", "I-PER"])
    headline = TaggedSentence(["LONDON", "1996-08-30"], ["B-LOC", "O"])
    rows = features([cased, headline], tokenizer, 32, weights=[1.0, 0.5])
    assert len(rows) == 3
    assert rows[0]["input_ids"] == rows[1]["input_ids"]  # the encoder is uncased: only the shapes differ
    assert {WORD_SHAPES[s] for s in rows[0]["shape_ids"]} >= {"Capitalised"}
    assert {WORD_SHAPES[s] for s in rows[1]["shape_ids"]} == {"special", "uncased"}
    assert rows[0]["labels"] == rows[1]["labels"]
    assert [r["weight"] for r in rows] == [1.0, 1.0, 0.5]
