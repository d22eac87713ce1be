from __future__ import annotations

import pytest

from skills.ner.data import ner_bio
from skills.words import word_spans

TRICKY = "Dr. O'Neil's co-founder (Acme_Corp) paid $5,000 — in São Paulo! €5 北京 x\tend"


def test_ner_bio_tags_words_from_character_offsets():
    text = "Dr. Priya Nair joined Acme-Corp in São Paulo."
    entities = [
        {"type": "PER", "start": 4, "end": 14},
        {"type": "ORG", "start": 22, "end": 31},
        {"type": "LOC", "start": 35, "end": 44},
    ]
    tokens, tags = ner_bio(text, entities)
    assert tokens == ["Dr", ".", "Priya", "Nair", "joined", "Acme", "-", "Corp", "in", "São", "Paulo", "."]
    assert tags == ["O", "O", "B-PER", "I-PER", "O", "B-ORG", "I-ORG", "I-ORG", "O", "B-LOC", "I-LOC", "O"]


def test_ner_bio_keeps_adjacent_entities_of_one_type_apart():
    tokens, tags = ner_bio(
        "Paris London", [{"type": "LOC", "start": 0, "end": 5}, {"type": "LOC", "start": 6, "end": 12}]
    )
    assert (tokens, tags) == (["Paris", "London"], ["B-LOC", "B-LOC"])


def test_ner_bio_without_entities_tags_everything_o():
    assert ner_bio("  no names\there ", []) == (["no", "names", "here"], ["O", "O", "O"])


@pytest.mark.parametrize(
    ("entities", "message"),
    [
        ([{"type": "LOC", "start": 0, "end": 3}], "'Par' at 0:3 does not start and end on word boundaries"),
        ([{"type": "LOC", "start": 5, "end": 6}], "' ' at 5:6 does not start"),
        ([{"type": "CITY", "start": 0, "end": 5}], "'CITY' is not one of"),
        (
            [{"type": "LOC", "start": 0, "end": 12}, {"type": "LOC", "start": 6, "end": 12}],
            "'London' at 6:12 overlaps another entity",
        ),
    ],
)
def test_ner_bio_refuses_entities_it_cannot_tag(entities, message):
    with pytest.raises(ValueError, match=message):
        ner_bio("Paris London", entities)


def test_word_spans_split_like_the_encoder_tokenizer():
    """The words are the ones the NER skill's offsets come from: the packaged tokenizer's words, CJK included."""
    from transformers import AutoTokenizer

    from skills.encoder import default_base_model

    tokenizer = AutoTokenizer.from_pretrained(default_base_model())
    encoding = tokenizer(TRICKY, return_offsets_mapping=True, add_special_tokens=False)
    words: dict[int, list[int]] = {}
    for word_id, (start, end) in zip(encoding.word_ids(), encoding["offset_mapping"], strict=True):
        words.setdefault(word_id, [start, end])[1] = end
    assert word_spans(TRICKY) == [tuple(span) for span in words.values()]
    assert [TRICKY[s:e] for s, e in word_spans(TRICKY)][-8:] == ["São", "Paulo", "!", "€5", "北", "京", "x", "end"]
