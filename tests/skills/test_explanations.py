"""The skills' explanations on the real encoder: they follow the input, name only what is in it, and stay cheap on
bad input (empty, or as long as the app accepts)."""

from __future__ import annotations

import re
import time

import pytest

from skills.base import SkillRequest
from skills.ner.model import Entity

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("one_thread")]

# The app refuses longer messages (core/config.py); the skills must explain this much in bounded time.
LONGEST_MESSAGE = 20_000
# Generous: on 2 idle cores each call takes well under a second; shared CI cores can be many times slower.
SECONDS_LIMIT = 20.0


def sentiment(skills, text: str):
    return skills["sentiment"].run(SkillRequest(text))


def test_longest_message_matches_the_apps_limit():
    from core.config import AppConfig

    assert AppConfig.__dataclass_fields__["max_message_chars"].default == LONGEST_MESSAGE


def test_sentiment_has_one_attribution_per_displayed_word_with_its_offsets(skills):
    text = "The plot wasn't gripping, but the cast's warmth carried it."
    attributions = sentiment(skills, text).rationale["attributions"]
    assert [a["token"] for a in attributions] == re.findall(r"\w+|[^\w\s]", text)
    assert all(text[a["start"] : a["end"]] == a["token"] for a in attributions)


def test_sentiment_attributions_change_when_one_word_changes(skills):
    dull = sentiment(skills, "a dull and lifeless film").rationale["attributions"]
    warm = sentiment(skills, "a warm and lively film").rationale["attributions"]
    assert [a["token"] for a in dull] == ["a", "dull", "and", "lifeless", "film"]
    assert [a["token"] for a in warm] == ["a", "warm", "and", "lively", "film"]
    assert [a["score"] for a in dull] != [a["score"] for a in warm]


def test_ner_context_words_change_when_the_context_changes(skills):
    def context(text: str) -> dict[str, list[str]]:
        scores = skills["ner"].run(SkillRequest(text)).rationale["entity_scores"]
        return {e["text"]: [(w["token"], w["score"]) for w in e["context_words"]] for e in scores}

    first = context("Priya Nair joined Infosys in Pune")
    second = context("Priya Nair left Infosys for Pune")
    assert "Infosys" in first and "Infosys" in second
    assert first["Infosys"] != second["Infosys"]


@pytest.mark.parametrize(
    "text",
    [
        "the food was cold and the waiter was rude",
        "an utterly charming , funny and moving story",
        "I can't say it was bad, but I wouldn't watch it again.",
    ],
)
def test_sentiment_summary_names_only_words_of_the_input(skills, text):
    rationale = sentiment(skills, text).rationale
    named = re.findall(r"“([^”]+)”", rationale["summary"])
    assert named, rationale["summary"]
    words = {a["token"] for a in rationale["attributions"]}
    assert all(word in words and word in text for word in named)


def test_ner_context_words_are_words_of_the_input_outside_their_entity(skills):
    text = "Angela Merkel met Emmanuel Macron in Berlin on Tuesday"
    result = skills["ner"].run(SkillRequest(text))
    assert result.rationale["entity_scores"]
    for entity in result.rationale["entity_scores"]:
        for word in entity["context_words"]:
            assert text[word["start"] : word["end"]] == word["token"]
            assert word["token"] not in entity["text"].split()


def fastest(function, repeats: int = 3) -> float:
    """The least disturbed of a few timed calls, in seconds."""
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return min(timings)


@pytest.mark.parametrize("text", ["", " ", "?!"])
def test_empty_input_gets_an_answer_without_attributions_quickly(skills, text):
    seconds = fastest(lambda: (sentiment(skills, text), skills["ner"].run(SkillRequest(text))), repeats=1)
    result = sentiment(skills, text)
    ner = skills["ner"].run(SkillRequest(text))
    assert seconds < SECONDS_LIMIT
    assert result.rationale["summary"].startswith(result.data["label"])
    assert len(result.rationale["attributions"]) == len(re.findall(r"\S", text))  # only punctuation words, if any
    assert ner.data["entities"] == [] and ner.rationale["entity_scores"] == []


def test_sentiment_explains_the_longest_message_at_the_cost_of_one_window(skills):
    sentence = "the acting was wooden and the plot made no sense at all . "
    longest = (sentence * 400)[:LONGEST_MESSAGE]
    window = sentence * 6  # 72 words: also cut at the adapter's window
    result = sentiment(skills, longest)
    assert result.rationale["truncated"] and sentiment(skills, window).rationale["truncated"]
    assert len(result.rationale["attributions"]) <= skills["sentiment"].bundle.max_length - 2
    assert fastest(lambda: sentiment(skills, longest)) < 2 * fastest(lambda: sentiment(skills, window)) + 0.5


def test_ner_explains_only_the_first_window_of_the_longest_message(skills):
    sentence = "Priya Nair joined Infosys in Pune . "
    longest = (sentence * 600)[:LONGEST_MESSAGE]
    window = sentence * 16  # beyond the adapter's 128 tokens
    ner = skills["ner"]
    started = time.perf_counter()
    result = ner.run(SkillRequest(longest))
    assert time.perf_counter() - started < SECONDS_LIMIT
    explained = [e for e in result.rationale["entity_scores"] if e["context_words"]]
    assert explained and all(w["end"] < len(window) for e in explained for w in e["context_words"])
    # the explanation's cost (leave-one-out over one window) does not grow with the text
    long_entities = [Entity(**e) for e in result.data["entities"]]
    window_entities = [Entity(**e) for e in ner.run(SkillRequest(window)).data["entities"]]
    long_seconds = fastest(lambda: ner.context_words(longest, long_entities), repeats=2)
    window_seconds = fastest(lambda: ner.context_words(window, window_entities), repeats=2)
    assert long_seconds < 2 * window_seconds + 0.5


def test_ner_context_words_rank_alike_in_bfloat16_and_float32(skills):
    ner = skills["ner"]
    text = "Angela Merkel met Emmanuel Macron in Berlin on Tuesday after long talks about trade and energy in Paris"
    entities = ner.run(SkillRequest(text)).data["entities"]
    assert len(entities) >= 3
    entities = [Entity(**e) for e in entities]
    ranked, configured = {}, ner.encoder.explanation_precision
    for precision in ("float32", "bfloat16"):
        ner.encoder.explanation_precision = precision
        try:
            ranked[precision] = [[w["token"] for w in words] for words in ner.context_words(text, entities)]
        finally:
            ner.encoder.explanation_precision = configured
    assert [words[:1] for words in ranked["bfloat16"]] == [words[:1] for words in ranked["float32"]]


def test_a_long_sentence_deletes_only_the_words_nearest_its_entities(skills):
    from skills.ner.model import MAX_DELETED_WORDS

    ner = skills["ner"]
    filler = " ".join(["and then the committee talked about the weather for a while"] * 6)
    text = f"Angela Merkel met Emmanuel Macron in Berlin {filler} ."
    entities = [Entity(**e) for e in ner.run(SkillRequest(text)).data["entities"]]
    assert {e.text for e in entities} >= {"Angela Merkel", "Berlin"}
    spans, drops = ner.context_occlusion(text, entities)
    assert len(spans) > MAX_DELETED_WORDS + 10
    scored = set().union(*drops)
    assert len(scored) <= MAX_DELETED_WORDS and max(scored) < MAX_DELETED_WORDS + 7  # the words after "Berlin"


def test_the_explanation_model_is_the_adapter_in_use_merged_into_a_copy(skills):
    import torch

    encoder = skills["sentiment"].encoder
    enc = encoder.tokenizer(["the plot was dull", "a warm and moving film"], padding=True, return_tensors="pt")
    ids, mask = enc["input_ids"], enc["attention_mask"]
    with encoder.adapter("sentiment") as head, torch.inference_mode():
        peft = encoder.logits(head, ids, mask)
        with encoder.peft_model.disable_adapter():
            without_adapter = encoder.logits(head, ids, mask)
    configured = encoder.explanation_precision
    try:
        encoder.explanation_precision = "float32"
        merged = encoder.explanation_logits("sentiment", ids, mask)
        encoder.explanation_precision = "bfloat16"
        in_bfloat16 = encoder.explanation_logits("sentiment", ids, mask)
    finally:
        encoder.explanation_precision = configured
    assert torch.allclose(merged, peft, atol=1e-4)
    assert (merged - without_adapter).abs().max() > 0.5
    assert in_bfloat16.dtype == torch.float32
    assert (in_bfloat16 - peft).abs().max() < 0.05 * peft.abs().max()  # bfloat16 keeps 8 bits of mantissa
    assert torch.equal(in_bfloat16.argmax(-1), peft.argmax(-1))
