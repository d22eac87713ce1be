"""The faithfulness benchmark: AOPC arithmetic on hand-made cases, erasure, rank correlation, and the attribution
methods on the real encoder (one score per word, computed through the skill's PEFT adapter)."""

from __future__ import annotations

import math

import pytest

from bench.aopc import aopc, erase, k_counts, ranking, rationale_erasures, spearman, word_totals
from bench.faithfulness import gold_spans, targets
from bench.faithfulness_report import markdown_table

# A toy "model": the explained probability is 0.2 plus the weights of the words still present.
WEIGHTS = {0: 0.4, 1: 0.2, 2: 0.1, **{w: 0.0 for w in range(3, 10)}}
FULL = 0.2 + sum(WEIGHTS.values())


pytestmark = pytest.mark.usefixtures("one_thread")


def toy_probability(erased: frozenset) -> float:
    return 0.2 + sum(weight for word, weight in WEIGHTS.items() if word not in erased)


def test_top_k_percent_rounds_up_to_at_least_one_word():
    assert k_counts(10) == [1, 1, 1, 2, 5]
    assert k_counts(200) == [2, 10, 20, 40, 100]
    assert k_counts(3) == [1, 1, 1, 1, 2]
    assert k_counts(1) == [1, 1, 1, 1, 1]


def test_aopc_of_the_true_ranking_matches_the_hand_computed_values():
    comprehensiveness, sufficiency, per_k = aopc(FULL, toy_probability, ranking(WEIGHTS))
    # top 1, 1, 1, 2, 5 words erased: 0.4, 0.4, 0.4, 0.6, 0.7; kept alone: 0.7 - the same
    assert [round(c, 6) for c, _ in per_k] == [0.4, 0.4, 0.4, 0.6, 0.7]
    assert comprehensiveness == pytest.approx(0.5)
    assert sufficiency == pytest.approx((0.3 * 3 + 0.1 + 0.0) / 5)


def test_a_reversed_ranking_is_neither_comprehensive_nor_sufficient():
    comprehensiveness, sufficiency, _ = aopc(FULL, toy_probability, list(reversed(ranking(WEIGHTS))))
    assert comprehensiveness == pytest.approx(0.0)
    assert sufficiency == pytest.approx(0.7)


def test_sufficiency_erases_exactly_the_words_outside_the_rationale():
    pairs = rationale_erasures([4, 2, 7])
    assert pairs[-1] == (frozenset({4, 2}), frozenset({7}))
    assert all(top | rest == {2, 4, 7} and not top & rest for top, rest in pairs)


def test_deleting_a_word_removes_its_sub_tokens_and_moves_later_positions():
    ids = [101, 11, 12, 13, 14, 102]
    word_ids = [None, 0, 1, 1, 2, None]
    shapes = [0, 2, 1, 1, 2, 0]
    new_ids, new_shapes, positions = erase(ids, word_ids, frozenset({1}), "delete", 103, shapes, positions=[4])
    assert (new_ids, new_shapes, positions) == ([101, 11, 14, 102], [0, 2, 2, 0], [2])


def test_masking_a_word_keeps_length_shapes_and_positions():
    ids, word_ids = [101, 11, 12, 13, 102], [None, 0, 1, 1, None]
    assert erase(ids, word_ids, frozenset({1}), "mask", 103, [0, 1, 1, 1, 0], [1]) == (
        [101, 11, 103, 103, 102],
        [0, 1, 1, 1, 0],
        [1],
    )
    with pytest.raises(ValueError, match="erased token"):
        erase(ids, word_ids, frozenset({0}), "delete", 103, positions=[1])


def test_token_scores_are_summed_per_candidate_word():
    totals = word_totals([9.0, 0.5, 0.25, 1.0, 9.0], [None, 0, 0, 1, None], [0, 1])
    assert totals == {0: 0.75, 1: 1.0}


def test_spearman_on_known_rankings():
    assert spearman([1, 2, 3], [10, 20, 30]) == pytest.approx(1.0)
    assert spearman([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert spearman([1, 2, 2, 3], [1, 2, 3, 4]) == pytest.approx(4.5 / math.sqrt(22.5))
    assert math.isnan(spearman([1, 1, 1], [1, 2, 3]))


def test_gold_spans_are_character_offsets_into_the_joined_sentence():
    tokens = ["Priya", "Nair", "joined", "Infosys", "in", "Pune", "Mumbai"]
    tags = ["B-PER", "I-PER", "O", "B-ORG", "O", "B-LOC", "B-LOC"]
    text = " ".join(tokens)
    spans = gold_spans(tokens, tags)
    assert spans == {(0, 10, "PER"), (18, 25, "ORG"), (29, 33, "LOC"), (34, 40, "LOC")}
    assert {text[s:e] for s, e, _ in spans} == {"Priya Nair", "Infosys", "Pune", "Mumbai"}


def fake_result(chat: float, best: float, random: float, p95: float) -> dict:
    def row(name, comprehensiveness):
        return {
            "name": name,
            "comprehensiveness": {"delete": comprehensiveness, "mask": 0.2},
            "sufficiency": {"delete": -0.01, "mask": 0.1},
            "cost_ms": {"median": 12.34, "p95": 56.78},
            "spearman_with_chat": None if name == "random ranking" else 0.5,
        }

    methods = {"chat": row("chat", chat), "random": row("random ranking", random), "ig_8": row("IG 8", best)}
    return {"methods": methods, "latency": {"explanation_ms": {"p95": p95}}}


def test_targets_compare_the_chat_with_random_and_with_the_best_method():
    met = targets("sentiment", fake_result(chat=0.45, best=0.48, random=0.1, p95=99.0))
    assert met["comprehensiveness_vs_random"] == {"chat": 0.45, "random": 0.1, "ratio": 4.5, "met": True}
    assert met["within_10_percent_of_best"]["best"] == "ig_8"
    assert met["within_10_percent_of_best"]["met"] and met["p95_explanation_ms"]["met"]
    missed = targets("ner", fake_result(chat=0.25, best=0.3, random=0.1, p95=151.0))
    assert not missed["comprehensiveness_vs_random"]["met"]
    assert not missed["within_10_percent_of_best"]["met"]
    assert missed["p95_explanation_ms"] == {"value": 151.0, "limit": 150, "met": False}


def test_markdown_table_has_both_erasures_and_the_cost():
    table = markdown_table(fake_result(chat=0.45, best=0.48, random=0.1, p95=99.0)).splitlines()
    assert table[0].startswith("| method | comprehensiveness ↑ | sufficiency ↓ | comp. ([MASK])")
    assert table[2] == "| chat | 0.450 | -0.010 | 0.200 | 0.100 | 0.50 | 12.3 | 56.8 |"
    assert table[3].startswith("| random ranking | 0.100 |") and "| — |" in table[3]


@pytest.fixture(scope="module")
def examples(skills):
    from bench.faithfulness import ner_examples, sentiment_examples
    from skills.ner.data import TaggedSentence

    sentence = TaggedSentence(
        ["Priya", "Nair", "joined", "Infosys", "in", "Pune", "."], ["B-PER", "I-PER", "O", "B-ORG", "O", "B-LOC", "O"]
    )
    return {
        "sentiment": sentiment_examples(skills["sentiment"], ["a dull , lifeless and tedious film"])[0],
        "ner": ner_examples(skills["ner"], [sentence], limit=3)[1],  # Infosys
    }


QUICK_METHODS = ("chat", "random", "loo_mask", "loo_delete", "gradient", "grad_x_input", "ig_6")


def scores(skills, example, method):
    from bench.attributions import Target, method_scores

    if method.startswith(("grad", "ig")):
        pytest.importorskip("captum", reason="captum (the bench extra) computes the gradient methods")

    encoder = skills["sentiment"].encoder
    with encoder.adapter(example.skill) as head:
        return method_scores(method, skills, Target(encoder, head, example), seed=1)


@pytest.mark.slow
@pytest.mark.parametrize("skill", ["sentiment", "ner"])
def test_every_method_gives_one_score_per_candidate_word(skills, examples, skill):
    example = examples[skill]
    if skill == "ner":
        assert example.entity.text == "Infosys"
        assert [example.word_text[w] for w in example.candidates] == ["Priya", "Nair", "joined", "in", "Pune", "."]
    for method in QUICK_METHODS:
        result = scores(skills, example, method)
        assert sorted(result) == example.candidates, method
        assert all(math.isfinite(v) for v in result.values()), method


@pytest.mark.slow
@pytest.mark.parametrize("skill", ["sentiment", "ner"])
@pytest.mark.parametrize("method", ["chat", "grad_x_input", "ig_8"])
def test_attributions_change_when_the_adapters_lora_weights_are_randomised(skills, examples, skill, method):
    from bench.randomisation import randomised_lora

    encoder = skills["sentiment"].encoder
    trained = scores(skills, examples[skill], method)
    with randomised_lora(encoder, skill, seed=0):
        randomised = scores(skills, examples[skill], method)
    assert max(abs(trained[w] - randomised[w]) for w in trained) > 1e-3
    assert scores(skills, examples[skill], method) == pytest.approx(trained, abs=1e-5)  # restored afterwards


@pytest.mark.slow
@pytest.mark.parametrize("skill", ["sentiment", "ner"])
@pytest.mark.parametrize("method", ["grad_x_input", "ig_8"])
def test_gradient_attributions_change_when_the_adapter_is_disabled(skills, examples, skill, method):
    # the chat's method runs on the adapter merged into a copy: tests/skills/test_explanations.py checks that copy
    encoder = skills["sentiment"].encoder
    trained = scores(skills, examples[skill], method)
    with encoder.peft_model.disable_adapter():
        without_adapter = scores(skills, examples[skill], method)
    assert max(abs(trained[w] - without_adapter[w]) for w in trained) > 1e-3


@pytest.mark.slow
@pytest.mark.parametrize(("skill", "top_words"), [("sentiment", {1, 3, 5}), ("ner", {2})])
def test_the_chats_attributions_match_the_benchmarks_own_implementation(skills, examples, skill, top_words):
    encoder, configured = skills[skill].encoder, skills[skill].encoder.explanation_precision
    encoder.explanation_precision = "float32"  # the benchmark's own methods run in float32
    try:
        chat = scores(skills, examples[skill], "chat")
    finally:
        encoder.explanation_precision = configured
    independent = scores(skills, examples[skill], "loo_delete")  # float32, through the PEFT model
    assert chat == pytest.approx(independent, abs=1e-3)
    # "dull", "lifeless" or "tedious" drives the negative label; "joined" makes Infosys an organisation
    assert ranking(chat)[0] in top_words


@pytest.mark.slow
def test_chat_ranking_is_more_comprehensive_than_its_reverse_on_a_clear_review(skills, examples):
    from bench.attributions import Target

    example = examples["sentiment"]
    order = ranking(scores(skills, example, "chat"))
    encoder = skills["sentiment"].encoder
    with encoder.adapter("sentiment") as head:
        target = Target(encoder, head, example)
        erasures = [("delete", s) for o in (order, order[::-1]) for pair in rationale_erasures(o) for s in pair]
        probability = target.evaluate(erasures)
    forward = aopc(example.full, lambda words: probability[("delete", words)], order)
    backward = aopc(example.full, lambda words: probability[("delete", words)], order[::-1])
    assert forward[0] > backward[0]
    assert forward[1] < backward[1]


@pytest.mark.slow
def test_randomised_head_gives_different_attributions_and_the_trained_head_comes_back(skills, examples):
    from bench.attributions import chat_scores
    from bench.randomisation import randomisation_test

    example = examples["sentiment"]
    trained = chat_scores(skills, skills["sentiment"].encoder, example)
    result = randomisation_test(skills, skills["sentiment"].encoder, [example], [trained], seed=0)
    assert {kind: row["n"] for kind, row in result.items()} == {
        "random head": 1,
        "random LoRA": 1,
        "random LoRA + head": 1,
    }
    assert all(row["mean"] < 0.99 for row in result.values())
    assert chat_scores(skills, skills["sentiment"].encoder, example) == pytest.approx(trained, abs=1e-5)


def test_words_the_ner_chat_leaves_unscored_rank_after_the_scored_nearest_the_entity_first():
    from bench.attributions import Example, ranked_chat

    # words 0..6, the entity is word 3 (token position 4); the skill scored words 2 and 4 only
    example = Example("ner", "t", [], [None, 0, 1, 2, 3, 4, 5, 6, None], [0, 1, 2, 4, 5, 6], 0, positions=(4,))
    ranked = ranked_chat({2: 0.5, 4: -0.2}, example)
    assert ranking(ranked) == [2, 4, 1, 5, 0, 6]  # the scored, then distance 2 (words 1, 5), then 3 (words 0, 6)
