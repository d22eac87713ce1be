"""Ranking knowledge-base chunks: reciprocal rank fusion and keyword tokens as pure functions, the index on hand-made
vectors, then hybrid, dense and BM25 retrieval on a toy corpus with the real packaged encoder: a rare keyword that only
BM25 ranks first, a paraphrase that only dense finds, a question of only stop words."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from chatbot.knowledge import KnowledgeBase
from chatbot.retrieval import ChunkIndex, RetrievalConfig, keyword_tokens, reciprocal_rank_fusion
from core.config import AppConfig


def test_reciprocal_rank_fusion_sums_one_over_k_plus_rank() -> None:
    # a: 1/61 + 1/63, b: 1/62 + 1/61, c: 1/63, d: 1/62 -> b > a > d > c
    assert reciprocal_rank_fusion([["a", "b", "c"], ["b", "d", "a"]], k=60) == ["b", "a", "d", "c"]
    # k = 60 favours what both rankings hold (b: 1/62 + 1/63 > a: 1/61); k = 0 the top of each (a: 1 > b: 1/2 + 1/3)
    assert reciprocal_rank_fusion([["a", "b"], ["c", "d", "b"]], k=60) == ["b", "a", "c", "d"]
    assert reciprocal_rank_fusion([["a", "b"], ["c", "d", "b"]], k=0) == ["a", "c", "b", "d"]


def test_reciprocal_rank_fusion_keeps_first_appearance_order_on_ties_and_takes_empty_rankings() -> None:
    assert reciprocal_rank_fusion([["x", "y"], ["y", "x"]]) == ["x", "y"]
    assert reciprocal_rank_fusion([[3, 1, 2], []]) == [3, 1, 2]
    assert reciprocal_rank_fusion([]) == []


def test_keyword_tokens_are_lowercased_words_without_english_stop_words() -> None:
    assert keyword_tokens("When does the Bike-Shop open on Sundays?") == ["bike", "shop", "open", "sundays"]
    assert keyword_tokens("What is it, and where was that?") == []
    assert keyword_tokens("Locker XR-7, code 4417") == ["locker", "xr", "7", "code", "4417"]


def test_retrieval_config_refuses_an_unknown_mode_or_bad_numbers() -> None:
    with pytest.raises(ValueError, match="'sparse'"):
        RetrievalConfig(mode="sparse")
    with pytest.raises(ValueError, match="depth=0"):
        RetrievalConfig(depth=0)
    with pytest.raises(ValueError, match="kb_retrieval must be one of hybrid, dense, bm25, got 'fast'"):
        AppConfig.from_env(environ={"EXCHAT_KB_RETRIEVAL": "fast"})
    assert AppConfig.from_env(environ={"EXCHAT_KB_RETRIEVAL": "bm25"}).kb_retrieval == "bm25"
    assert AppConfig.from_env(environ={}).kb_retrieval == "hybrid"


def unit(*values: float) -> np.ndarray:
    vector = np.asarray(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_index_fuses_by_rank_and_scores_every_hit_with_its_cosine() -> None:
    texts = ["apples and pears", "the zebra code", "fruit salad recipe"]
    vectors = np.stack([unit(1, 0, 0), unit(0.1, 0, 1), unit(0.9, 0.1, 0)])
    index = ChunkIndex(vectors, texts)
    query = unit(1, 0.05, 0)  # close to the fruit chunks, far from the zebra one
    assert index.dense_ranking(query, depth=10) == [0, 2, 1]
    assert index.bm25_ranking(keyword_tokens("zebra fruit"), depth=10) == [1, 2]
    hybrid = index.search(query, "zebra fruit", k=3, config=RetrievalConfig())
    # zebra: 1/61 + 1/63 = 0.032266 > fruit salad: 1/62 + 1/62 = 0.032258 > apples: 1/61
    assert [hit.position for hit in hybrid] == [1, 2, 0]
    assert [hit.cosine for hit in hybrid] == pytest.approx([float(vectors[h.position] @ query) for h in hybrid])
    assert 0.05 < hybrid[0].cosine < 0.15
    assert [h.position for h in index.search(query, "zebra fruit", 3, RetrievalConfig(mode="bm25"))] == [1, 2]
    assert [h.position for h in index.search(query, "zebra fruit", 3, RetrievalConfig(mode="dense"))] == [0, 2, 1]
    # no known word: dense alone, in every mode
    for mode in ("hybrid", "bm25"):
        assert [h.position for h in index.search(query, "the of unknownword", 2, RetrievalConfig(mode=mode))] == [0, 2]


TOY_CORPUS = {
    "internet.md": "# Internet\n\nThe guest network is called Kestrel-Guest; its password is on the fridge.",
    "helpdesk.md": "# Contact\n\nFor wireless connection trouble, call the helpdesk on extension 210.",
    "refunds.md": "# Refunds\n\nRefunds are paid to the original card within 14 days of a return.",
    "bikes.md": "# Parking\n\nBikes are parked at the back of the shop, next to the bins.",
    "lockers.md": "# Lockers\n\nLocker XR-7 opens with the code 4417.",
}


@pytest.fixture(scope="module")
def toy(tmp_path_factory) -> dict[str, KnowledgeBase]:
    """The toy corpus in one database, searched by three knowledge bases: one per ranking."""
    from skills.encoder import SharedEncoder

    embed = SharedEncoder().embed
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('toy')) / 'app.db'}"
    bases = {
        mode: KnowledgeBase(url, embed, retrieval=RetrievalConfig(mode=mode)) for mode in ("hybrid", "dense", "bm25")
    }
    for name, text in TOY_CORPUS.items():
        bases["hybrid"].add_document(name, text.encode())
    for kb in bases.values():
        kb.refresh(force=True)
    return bases


def ranked(kb: KnowledgeBase, query: str, k: int = 3) -> list[str]:
    return [passage.source.removeprefix("kb:") for passage in kb.search(query, k=k)]


@pytest.mark.slow
def test_a_rare_keyword_that_dense_misses_is_ranked_first_by_bm25_and_hybrid(toy) -> None:
    query = "Kestrel wifi problems"  # "wifi problems" reads like the helpdesk; only the network's name says which
    assert ranked(toy["dense"], query)[0] == "helpdesk.md"
    assert ranked(toy["bm25"], query, k=1) == ["internet.md"]
    assert ranked(toy["hybrid"], query)[:2] == ["internet.md", "helpdesk.md"]


@pytest.mark.slow
def test_a_paraphrase_that_only_dense_finds_stays_in_the_hybrid_top_and_its_cosine_decides(toy) -> None:
    query = "How do I get my money back?"  # no word in common with the refunds section; "back" is in the bikes one
    assert ranked(toy["dense"], query)[0] == "refunds.md"
    assert "refunds.md" not in ranked(toy["bm25"], query)
    found = toy["hybrid"].search(query, k=3)
    assert [p.source for p in found[:2]] == ["kb:bikes.md", "kb:refunds.md"]  # rank fusion: 1/61 + 1/6x beats 1/61
    # the score is the dense cosine whatever ranked the passage, so the planner's threshold keeps the refunds section
    dense = {p.source: p.retrieval_score for p in toy["dense"].search(query, k=5)}
    assert {p.source: p.retrieval_score for p in found} == {p.source: dense[p.source] for p in found}
    min_score = AppConfig.from_env(environ={}).kb_min_score
    assert [p.source for p in found if p.retrieval_score >= min_score] == ["kb:refunds.md"]


@pytest.mark.slow
def test_a_question_of_only_stop_words_is_ranked_by_dense_in_every_mode(toy) -> None:
    query = "what is it about, and where was it?"
    assert keyword_tokens(query) == []
    dense = toy["dense"].search(query, k=3)
    assert len(dense) == 3
    assert toy["hybrid"].search(query, k=3) == dense
    assert toy["bm25"].search(query, k=3) == dense
