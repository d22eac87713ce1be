"""bench.multimodal's scoring: words compared without case, punctuation or digits, and edit distances."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bench.multimodal import error_rate, number_words, plain, render, sample_text, words
from skills.words import edit_distance


def test_words_are_compared_lower_cased_without_punctuation_and_with_numbers_spelt_out():
    assert words("10 of Clubs, 4 of hearts.") == ["ten", "of", "clubs", "four", "of", "hearts"]
    assert words("Wi-Fi: 125") == ["wi", "fi", "one", "hundred", "twenty", "five"]
    assert number_words(40) == ["forty"] and number_words(2026) == ["2026"]


def test_error_rates_sum_edit_distances_over_the_reference_length():
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance(["a", "b", "c"], ["a", "c"]) == 1
    assert error_rate([(["a", "b"], ["a", "x"]), (["c", "d"], ["c", "d", "e"])]) == 0.5
    assert error_rate([("total 5.70", plain("total\n5.70"))]) == 0.0


def test_rendered_pictures_are_the_same_for_a_seed():
    first, second = np.random.default_rng(3), np.random.default_rng(3)
    kind, text = sample_text(first)
    assert (kind, text) == sample_text(second)
    fonts = list(Path("/usr/share/fonts/truetype/dejavu").glob("DejaVuSans.ttf"))
    if fonts:
        assert np.array_equal(np.asarray(render(text, first, fonts)), np.asarray(render(text, second, fonts)))


def test_end_to_end_names_match_by_words_and_type_and_long_text_is_wrapped_like_a_page():
    from bench.multimodal_turns import _wrapped, f1, name_key

    assert name_key("U.S.", "LOC") == ("u s", "LOC") and name_key("Tim  Cook", "PER") == ("tim cook", "PER")
    gold = [{("tim cook", "PER"), ("tokyo", "LOC")}, {("apple", "ORG")}]
    assert f1(gold, [{("tim cook", "PER")}, {("apple", "ORG"), ("x", "MISC")}]) == 2 * (2 / 3) * (2 / 3) / (4 / 3)
    assert f1(gold, [set(), set()]) == 0.0
    assert _wrapped("one two three four", width=9) == ["one two", "three", "four"]


def test_spoken_names_are_compared_without_apostrophes_and_counted_where_heard():
    from bench.multimodal_turns import heard_names, name_key, plain

    assert name_key("Lord's", "LOC") == name_key("Lords", "LOC") == ("lords", "LOC")
    gold = {("leicestershire", "ORG"), ("somerset", "ORG"), ("p simmons", "PER")}
    assert heard_names(gold, "Leicester should beat Somerset, the Simmons 4-38.") == 1
    assert heard_names(gold, "Leicestershire beat Somerset (P. Simmons 4-38)") == 3
    assert plain("Leicester: Leicestershire beat Somerset (P. Simmons 4-38).") == (
        "leicester leicestershire beat somerset p simmons 4 38"
    )
