"""ERASER faithfulness metrics as pure functions: top-k% rationales, erasure, AOPC, rank correlation.

DeYoung et al., "ERASER: A Benchmark to Evaluate Rationalized NLP Models" (ACL 2020), section 4:
comprehensiveness = p(y|x) - p(y|x without the rationale), sufficiency = p(y|x) - p(y|the rationale alone), each
averaged over rationales of the top k% tokens, k in {1, 5, 10, 20, 50} (AOPC, Samek et al. 2017). Here the unit
is the word (what the chat displays), only "candidate" words are ranked and erased (for NER: the words outside the
entity), and a rationale holds at least one word.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Literal

K_FRACTIONS = (0.01, 0.05, 0.10, 0.20, 0.50)
Erasure = Literal["delete", "mask"]


def k_counts(n_words: int, fractions: Sequence[float] = K_FRACTIONS) -> list[int]:
    """Words in each top-k% rationale of `n_words` candidates: k% rounded up, at least one, at most all."""
    return [min(n_words, max(1, math.ceil(fraction * n_words - 1e-9))) for fraction in fractions]


def ranking(scores: Mapping[int, float]) -> list[int]:
    """Candidate words, highest score first (ties keep the words' order in `scores`)."""
    return sorted(scores, key=lambda word: -scores[word])


def rationale_erasures(order: Sequence[int], fractions: Sequence[float] = K_FRACTIONS) -> list[tuple[frozenset, ...]]:
    """Per k: (the top-k words, which comprehensiveness erases; every other candidate, which sufficiency erases)."""
    return [(frozenset(order[:k]), frozenset(order[k:])) for k in k_counts(len(order), fractions)]


def aopc(
    full: float,
    probability: Callable[[frozenset], float],
    order: Sequence[int],
    fractions: Sequence[float] = K_FRACTIONS,
) -> tuple[float, float, list[tuple[float, float]]]:
    """(comprehensiveness, sufficiency, per-k pairs) of the ranking `order`.

    `full` is the explained probability on the whole input; `probability(words)` is that probability with `words`
    erased. Comprehensiveness is high and sufficiency low (even negative) for a faithful ranking.
    """
    per_k = [(full - probability(top), full - probability(rest)) for top, rest in rationale_erasures(order, fractions)]
    return (
        sum(c for c, _ in per_k) / len(per_k),
        sum(s for _, s in per_k) / len(per_k),
        per_k,
    )


def erase(
    ids: Sequence[int],
    word_ids: Sequence[int | None],
    words: frozenset,
    mode: Erasure,
    mask_id: int,
    shapes: Sequence[int] | None = None,
    positions: Sequence[int] = (),
) -> tuple[list[int], list[int] | None, list[int]]:
    """Token ids (and word shapes) with `words` erased, and where the tokens at `positions` moved to.

    "delete" removes the words' tokens (ERASER's erasure); "mask" replaces each of them by [MASK] and keeps the
    word's shape, as the NER skill's occlusion does. Special tokens (word id None) are never erased.
    """
    if mode == "mask":
        new_ids = [mask_id if w is not None and w in words else t for t, w in zip(ids, word_ids, strict=True)]
        return new_ids, None if shapes is None else list(shapes), list(positions)
    if mode != "delete":
        raise ValueError(f"unknown erasure {mode!r}; expected delete or mask")
    kept = [i for i, w in enumerate(word_ids) if w is None or w not in words]
    moved = {old: new for new, old in enumerate(kept)}
    if any(p not in moved for p in positions):
        raise ValueError(f"positions {list(positions)} include an erased token")
    return (
        [ids[i] for i in kept],
        None if shapes is None else [shapes[i] for i in kept],
        [moved[p] for p in positions],
    )


def word_totals(token_scores: Sequence[float], word_ids: Sequence[int | None], candidates: Sequence[int]) -> dict:
    """Per candidate word, the sum of its sub-tokens' scores."""
    totals = dict.fromkeys(candidates, 0.0)
    for score, word in zip(token_scores, word_ids, strict=True):
        if word in totals:
            totals[word] += float(score)
    return totals


def average_ranks(values: Sequence[float]) -> list[float]:
    """Ranks from 1, ties sharing their mean rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for position in range(i, j + 1):
            ranks[order[position]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    """Spearman's rank correlation (Pearson on average ranks); nan when either side is constant."""
    if len(a) != len(b):
        raise ValueError(f"need two equally long sequences, got {len(a)} and {len(b)}")
    ra, rb = average_ranks(a), average_ranks(b)
    mean_a, mean_b = sum(ra) / len(ra), sum(rb) / len(rb)
    cov = sum((x - mean_a) * (y - mean_b) for x, y in zip(ra, rb, strict=True))
    var_a = sum((x - mean_a) ** 2 for x in ra)
    var_b = sum((y - mean_b) ** 2 for y in rb)
    return cov / math.sqrt(var_a * var_b) if var_a and var_b else math.nan


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile, as `bench/latency.py` computes it."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]
