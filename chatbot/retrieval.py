"""Ranking knowledge-base chunks for a question: keywords (BM25), meaning (dense cosine) or both fused.

- Dense: the shared MiniLM encoder's L2-normalised sentence embeddings, searched exhaustively by inner product
  (cosine) in a `faiss.IndexFlatIP` (Johnson et al. 2019); a few thousand chunks need no approximate index. It finds
  paraphrases ("how do I get my money back" for a refunds section) but blurs rare words: names, codes, numbers.
- BM25 (Robertson & Zaragoza 2009, "The Probabilistic Relevance Framework: BM25 and Beyond"; the `bm25s` library,
  Lù 2024) over the chunks' words, lowercased, English stop words (NLTK's list) removed. It catches the rare keyword
  that dense misses, and nothing without a shared word.
- Hybrid (the default): both rankings fused by reciprocal rank fusion (Cormack, Clarke & Büttcher 2009, "Reciprocal
  Rank Fusion outperforms Condorcet and individual Rank Learning Methods"): a chunk scores the sum of 1 / (k + rank)
  over the rankings that hold it, k = 60 as in the paper. Ranks, not scores, are fused, so BM25's unbounded scores
  and the cosines need no calibration against each other.

A question with no word BM25 knows (only stop words, or words in no chunk) is ranked by dense alone, in every mode.
Whatever ranked a chunk, each hit carries its dense cosine: the planner's thresholds (`kb_min_score`,
`kb_rescue_score` in core/config.py) are cosines and keep their meaning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import bm25s
import faiss
import numpy as np
from bm25s.stopwords import STOPWORDS_EN_PLUS

from core.config import KB_RETRIEVAL_MODES

STOP_WORDS = frozenset(STOPWORDS_EN_PLUS)
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class RetrievalConfig:
    mode: str = "hybrid"  # hybrid | dense | bm25 (AppConfig.kb_retrieval, EXCHAT_KB_RETRIEVAL)
    rrf_k: int = 60  # reciprocal rank fusion's constant; 60 in Cormack et al. 2009
    depth: int = 50  # how far down each ranking is read before fusing

    def __post_init__(self) -> None:
        if self.mode not in KB_RETRIEVAL_MODES:
            raise ValueError(f"retrieval mode must be one of {', '.join(KB_RETRIEVAL_MODES)}, got {self.mode!r}")
        if self.rrf_k < 0 or self.depth < 1:
            raise ValueError(f"need rrf_k >= 0 and depth >= 1, got rrf_k={self.rrf_k}, depth={self.depth}")


@dataclass(frozen=True)
class Hit:
    position: int  # the chunk's place in the index
    cosine: float  # dense similarity to the question, whatever ranked it


def keyword_tokens(text: str) -> list[str]:
    """The words BM25 indexes and matches: lowercased, English stop words removed."""
    return [token for token in _TOKEN.findall(text.lower()) if token not in STOP_WORDS]


def reciprocal_rank_fusion(rankings: Sequence[Sequence[int]], k: int = 60) -> list[int]:
    """Items of all `rankings` (each best first) by their summed 1 / (k + rank), rank counted from 1; ties keep the
    order in which the items first appear (earlier rankings first)."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    order = {item: n for n, item in enumerate(scores)}
    return sorted(scores, key=lambda item: (-scores[item], order[item]))


class ChunkIndex:
    """Dense and BM25 indexes over a fixed list of chunks; immutable, so searches need no lock."""

    def __init__(self, vectors: np.ndarray, texts: list[str]) -> None:
        if len(vectors) != len(texts) or not texts:
            raise ValueError(f"need one vector per text and at least one text: {len(vectors)} vs {len(texts)}")
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.dimension = self.vectors.shape[1]
        self._dense = faiss.IndexFlatIP(self.dimension)
        self._dense.add(self.vectors)
        self._bm25 = bm25s.BM25()
        self._bm25.index([keyword_tokens(text) for text in texts], show_progress=False)

    def __len__(self) -> int:
        return len(self.vectors)

    def dense_ranking(self, query_vector: np.ndarray, depth: int) -> list[int]:
        """Chunk positions by cosine to the question, best first."""
        _, ids = self._dense.search(query_vector.reshape(1, -1), min(depth, len(self)))
        return [int(i) for i in ids[0] if i >= 0]

    def best_cosine(self, query_vector: np.ndarray) -> float:
        """The highest cosine of any chunk to the query (an exhaustive scan: thousands of chunks take microseconds)."""
        return min(float((self.vectors @ query_vector.reshape(-1)).max()), 1.0)

    def bm25_ranking(self, tokens: list[str], depth: int) -> list[int]:
        """Chunk positions with a positive BM25 score for `tokens`, best first; [] when no token is indexed."""
        known = [token for token in tokens if token in self._bm25.vocab_dict]
        if not known:
            return []
        scores = self._bm25.get_scores(known)
        order = np.argsort(-scores, kind="stable")[:depth]
        return [int(i) for i in order if scores[i] > 0]

    def search(self, query_vector: np.ndarray, query: str, k: int, config: RetrievalConfig) -> list[Hit]:
        """The `k` best chunks for a question (its text and its embedding), ranked as `config.mode` says."""
        dense = self.dense_ranking(query_vector, config.depth) if config.mode != "bm25" else []
        keywords = self.bm25_ranking(keyword_tokens(query), config.depth) if config.mode != "dense" else []
        if not keywords:
            ranking = dense or self.dense_ranking(query_vector, config.depth)
        elif config.mode == "hybrid":
            ranking = reciprocal_rank_fusion([dense, keywords], config.rrf_k)
        else:
            ranking = keywords
        best = ranking[:k]
        cosines = self.vectors[best] @ query_vector.reshape(-1)
        return [Hit(position, min(float(cosine), 1.0)) for position, cosine in zip(best, cosines, strict=True)]
