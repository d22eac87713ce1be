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
    assert tokens == ["Dr.", "Priya", "Nair", "joined", "Acme-Corp", "in", "São", "Paulo", "."]
    assert tags == ["O", "B-PER", "I-PER", "O", "B-ORG", "O", "B-LOC", "I-LOC", "O"]


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


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "Dr. Anthony Fauci met Jean-Luc Brassard in the U.S. on Monday.",
            ["Dr.", "Anthony", "Fauci", "met", "Jean-Luc", "Brassard", "in", "the", "U.S.", "on", "Monday", "."],
        ),
        ("Nihad al-Boushi and O'Brien, J. Smith", ["Nihad", "al-Boushi", "and", "O'Brien", ",", "J.", "Smith"]),
        ("Apple's co-founder didn't", ["Apple", "'s", "co-founder", "did", "n't"]),
        ("won 3-1 for $3,000 at 10:30 a.m. ...", ["won", "3-1", "for", "$", "3,000", "at", "10:30", "a.m.", "..."]),
        ("U.S.-led #WorldCup @bob 🎉!", ["U.S.-led", "#", "WorldCup", "@", "bob", "🎉", "!"]),
        ("dr. fauci etc. in São Paulo 北京x", ["dr.", "fauci", "etc.", "in", "São", "Paulo", "北", "京", "x"]),
        ("the plan. Then", ["the", "plan", ".", "Then"]),
    ],
)
def test_word_spans_split_like_the_conll_tokens(text, words):
    """Hyphenated names and abbreviations stay whole, clitics and other punctuation are words of their own."""
    spans = word_spans(text)
    assert [text[s:e] for s, e in spans] == words
    assert all(text[s:e].strip() == text[s:e] for s, e in spans)


def test_word_spans_cover_every_visible_character():
    spans = word_spans(TRICKY)
    covered = {i for s, e in spans for i in range(s, e)}
    assert covered == {i for i, ch in enumerate(TRICKY) if not ch.isspace()}


@pytest.mark.parametrize(
    ("text", "informative"),
    [
        ("just saw tim cook at apple park", False),
        ("Just saw tim cook at apple park. Then left", False),
        ("I think i saw tim cook", False),
        ("LIVERPOOL BEAT CHELSEA", False),
        ("Tim Cook met Angela Merkel in Berlin", True),
        ("just saw Tim Cook", True),
        ('"Great" said Anna', True),
    ],
)
def test_casing_is_informative_only_past_sentence_starts(text, informative):
    from skills.words import casing_is_informative, text_words

    assert casing_is_informative(text_words(text)) is informative


def test_word_shapes_say_uncased_when_the_casing_says_nothing():
    from skills.words import WORD_SHAPES, word_shapes

    assert [WORD_SHAPES[s] for s in word_shapes(["tim", "cook", "paid", "5", "!"])] == [
        "uncased",
        "uncased",
        "uncased",
        "digits",
        "other",
    ]
    assert [WORD_SHAPES[s] for s in word_shapes(["met", "Tim", "Cook"])] == ["lower", "Capitalised", "Capitalised"]


def test_detokenize_spans_point_at_each_token():
    from skills.words import detokenize_spans

    tokens = ["He", "said", "(", "U.S.", ")", "it", "'s", "fine", "."]
    text, spans = detokenize_spans(tokens)
    assert text == "He said (U.S.) it's fine."
    assert [text[s:e] for s, e in spans] == tokens
