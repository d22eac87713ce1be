"""Pure decoding functions of the skills: BIO grouping, span search, attribution aggregation, deletion batches."""

from __future__ import annotations

import pytest
import torch

from core.errors import InputError
from skills.deletion import deletion_batch
from skills.ner.decode import WordPrediction, decode_entities
from skills.ner.feedback import parse_entity_edits
from skills.qa.model import best_spans
from skills.sentiment.model import summarise, word_attributions

TEXT = "Priya Nair joined Infosys in Pune"


def words(*labels: str) -> list[WordPrediction]:
    spans = [(0, 5), (6, 10), (11, 17), (18, 25), (26, 28), (29, 33)]
    return [WordPrediction(s, e, label, 0.9) for (s, e), label in zip(spans, labels, strict=True)]


def test_bio_words_group_into_entities_with_character_offsets():
    entities = decode_entities(TEXT, words("B-PER", "I-PER", "O", "B-ORG", "O", "B-LOC"))
    assert [(e.text, e.type, e.start, e.end) for e in entities] == [
        ("Priya Nair", "PER", 0, 10),
        ("Infosys", "ORG", 18, 25),
        ("Pune", "LOC", 29, 33),
    ]
    assert all(TEXT[e.start : e.end] == e.text for e in entities)


def test_dangling_inside_tag_opens_an_entity_and_type_change_splits():
    entities = decode_entities(TEXT, words("I-PER", "I-ORG", "O", "O", "O", "O"))
    assert [(e.text, e.type) for e in entities] == [("Priya", "PER"), ("Nair", "ORG")]


def test_entity_score_is_the_mean_word_probability():
    predictions = [WordPrediction(0, 5, "B-PER", 0.8), WordPrediction(6, 10, "I-PER", 0.6)]
    assert decode_entities(TEXT, predictions)[0].score == pytest.approx(0.7)


def parse_entity_correction(correction: str, text: str) -> list[dict]:
    """The edits of an answer that found no names: the names the user added."""
    return parse_entity_edits(correction, text, [])["edits"]


def test_entity_correction_is_parsed_with_offsets():
    parsed = parse_entity_correction("Priya Nair=PER; Infosys = org", TEXT)
    assert parsed == [
        {"text": "Priya Nair", "type": "PER", "start": 0, "end": 10},
        {"text": "Infosys", "type": "ORG", "start": 18, "end": 25},
    ]
    found = [{"text": "Pune", "type": "LOC", "start": 29, "end": 33}]
    assert parse_entity_edits("none", TEXT, found) == {"entities": []}


@pytest.mark.parametrize(
    ("correction", "message"),
    [
        ("Priya Nair", "Name=TYPE"),
        ("Priya=PERSON", "must be one of"),
        ("Bob=PER", "does not occur"),
        ("-Bob", "not among the names I found"),
        ("none", "I found no names"),
        ("Priya Nair=PER; Priya=PER", "overlap"),
    ],
)
def test_bad_entity_corrections_are_explained(correction, message):
    with pytest.raises(InputError, match=message):
        parse_entity_correction(correction, TEXT)


def test_best_span_stays_in_context_and_orders_start_before_end():
    offsets = [(0, 0), (0, 3), (0, 0), (0, 5), (6, 9), (10, 14), (0, 0)]
    in_context = [False, False, False, True, True, True, False]
    start_logits = [9.0, 8.0, 0.0, 1.0, 5.0, 0.5, 0.0]  # the question token (index 1) must be ignored
    end_logits = [9.0, 0.0, 0.0, 3.0, 0.1, 4.0, 0.0]
    spans = best_spans(start_logits, end_logits, offsets, in_context, top_k=2)
    assert (spans[0].start, spans[0].end, spans[0].score) == (6, 14, 9.0)
    assert spans[0].score >= spans[1].score
    assert all(s.start < s.end for s in spans)


def test_best_span_respects_the_maximum_length():
    offsets = [(i, i + 1) for i in range(10)]
    spans = best_spans([5.0] + [0.0] * 9, [0.0] * 9 + [5.0], offsets, [True] * 10, max_answer_tokens=3)
    assert all(s.end - s.start <= 3 for s in spans)


def test_word_attributions_keep_whole_word_spans_and_their_score():
    text = "unbelievably dull"
    word_ids = [None, 0, 0, 1, None]
    offsets = [(0, 0), (0, 2), (2, 12), (13, 17), (0, 0)]
    result = word_attributions(text, word_ids, offsets, {0: 0.75, 1: -1.0})
    assert result == [
        {"token": "unbelievably", "start": 0, "end": 12, "score": 0.75},
        {"token": "dull", "start": 13, "end": 17, "score": -1.0},
    ]


def test_summary_names_the_strongest_positive_words():
    attributions = [
        {"token": "dull", "score": 0.9},
        {"token": "plot", "score": 0.1},
        {"token": "fine", "score": -0.5},
    ]
    assert summarise("negative", 0.94, attributions) == "negative (0.94), mostly because of “dull” and “plot”"
    assert summarise("negative", 0.6, [{"token": "x", "score": -1.0}]) == "negative (0.60)"


def test_spans_inside_words_are_widened_to_whole_words():
    from skills.qa.model import snap_to_words

    context = "designed by Elena Vasquez in 1887."
    assert snap_to_words(context, 18, 24) == (18, 25)  # "Vasque" -> "Vasquez"
    assert snap_to_words(context, 30, 32) == (29, 33)  # "88" -> "1887"
    assert snap_to_words(context, 12, 17) == (12, 17)  # already whole: unchanged


def test_type_probabilities_collapse_bio_labels_per_type():
    from skills.ner.decode import type_probabilities
    from skills.ner.spec import NER_LABELS

    label_probabilities = [0.1, 0.5, 0.2, 0.1, 0.05, 0.0, 0.0, 0.05, 0.0]
    assert [label for label in NER_LABELS[:5]] == ["O", "B-PER", "I-PER", "B-ORG", "I-ORG"]
    assert type_probabilities(label_probabilities) == pytest.approx((0.1, 0.7, 0.15, 0.0, 0.05))


def test_entities_name_their_runner_up_type():
    words = [
        WordPrediction(0, 5, "B-PER", 0.6, (0.1, 0.6, 0.25, 0.05, 0.0)),
        WordPrediction(6, 10, "I-PER", 0.5, (0.1, 0.5, 0.35, 0.05, 0.0)),
    ]
    entity = decode_entities(TEXT, words)[0]
    assert (entity.type, entity.runner_up, entity.runner_up_score) == ("PER", "ORG", 0.3)


@pytest.mark.parametrize(
    ("word", "shape"),
    [
        ("pune", "lower"),
        ("Pune", "Capitalised"),
        ("I", "Capitalised"),
        ("NASA", "UPPER"),
        ("iPhone", "miXed"),
        ("1996-08-22", "digits"),
        ("(", "other"),
        ("", "special"),
    ],
)
def test_word_shapes(word, shape):
    from skills.words import WORD_SHAPES, word_shape

    assert WORD_SHAPES[word_shape(word)] == shape


def test_every_sub_token_carries_its_whole_words_shape():
    from skills.words import WORD_SHAPES, token_shapes

    shapes = token_shapes([None, 0, 0, 1, 2, None], ["met", "Nair", "Reddy"])
    assert [WORD_SHAPES[s] for s in shapes] == ["special", "lower", "lower", "Capitalised", "Capitalised", "special"]


def test_entity_correction_prefers_a_whole_word_occurrence():
    parsed = parse_entity_correction("Pune=LOC", "Puneet lives in Pune")
    assert parsed == [{"text": "Pune", "type": "LOC", "start": 16, "end": 20}]


def test_leave_one_out_keeps_the_words_nearest_an_entity_in_text_order():
    from skills.ner.model import nearest_words

    words = list(range(10))
    assert nearest_words(words, {4}, limit=20) == words  # few enough: all of them
    assert nearest_words(words, {4}, limit=3) == [3, 4, 5]
    assert nearest_words(words, {0, 9}, limit=4) == [0, 1, 8, 9]
    assert nearest_words(words, {2}, limit=4) == [0, 1, 2, 3]  # 0 and 4 are as near: the earlier word wins
    assert nearest_words(words, set(), limit=2) == [0, 1]  # no entity in the window: the first words


def test_a_deletion_batch_holds_the_text_then_one_row_per_deleted_word_with_its_sub_tokens_gone():
    # [CLS] un ##believ dull [SEP]: word 0 has two sub-tokens
    ids = torch.tensor([101, 11, 12, 13, 102])
    word_ids = [None, 0, 0, 1, None]
    shapes = torch.tensor([0, 2, 2, 1, 0])
    batch = deletion_batch(ids, word_ids, [0, 1], pad_token_id=0, shape_ids=shapes)
    assert batch.input_ids.tolist() == [[101, 11, 12, 13, 102], [101, 13, 102, 0, 0], [101, 11, 12, 102, 0]]
    assert batch.attention_mask.tolist() == [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [1, 1, 1, 1, 0]]
    assert batch.shape_ids.tolist() == [[0, 2, 2, 1, 0], [0, 1, 0, 0, 0], [0, 2, 2, 0, 0]]
    # where each token of the text sits in each row ("dull", position 3, moves to 1 without word 0)
    assert batch.moved[:, 3].tolist() == [3, 1, 0]
    assert deletion_batch(ids, word_ids, [], pad_token_id=0).shape_ids is None


def test_titles_and_punctuation_are_trimmed_off_an_entity():
    text = "Dr. Anthony Fauci . Gen Z"
    predictions = [
        WordPrediction(0, 3, "B-PER", 0.9),
        WordPrediction(4, 11, "I-PER", 0.9),
        WordPrediction(12, 17, "I-PER", 0.9),
        WordPrediction(18, 19, "B-PER", 0.9),
        WordPrediction(20, 23, "B-MISC", 0.9),
        WordPrediction(24, 25, "I-MISC", 0.9),
    ]
    assert [(e.text, e.type, e.start) for e in decode_entities(text, predictions)] == [
        ("Anthony Fauci", "PER", 4),
        ("Gen Z", "MISC", 20),
    ]


def test_entity_correction_matches_names_in_any_case():
    text = "tim cook announced new iphones at apple park"
    assert parse_entity_correction("Tim Cook=PER; Apple Park=LOC", text) == [
        {"text": "tim cook", "type": "PER", "start": 0, "end": 8},
        {"text": "apple park", "type": "LOC", "start": 34, "end": 44},
    ]
    assert parse_entity_correction("TIM=PER", "Tim met tim")[0]["start"] == 0
    assert parse_entity_correction("tim=PER", "Tim met tim")[0]["start"] == 8  # as written first
