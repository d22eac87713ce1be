"""Leave-one-out by deletion, the word attributions of the sentiment and NER skills.

A word's score is how much the explained output (a label's or an entity type's log-odds) drops when that word's
tokens are deleted from the text. All variants of one text go through the model in one batch, on the skill's
explanation model (`SharedEncoder.explanation_logits`). `bench/faithfulness.py` found deletion the most
comprehensive of the methods it measures for both skills (docs/EXPLANATIONS.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch


@dataclass
class DeletionBatch:
    """Row 0: the text; row i + 1: the text without the i-th deleted word (right-padded)."""

    input_ids: torch.Tensor
    attention_mask: torch.Tensor
    shape_ids: torch.Tensor | None  # NER word shapes, deleted with their tokens
    moved: torch.Tensor  # moved[row, p]: where token p of the text sits in that row (0 where it was deleted)


def deletion_batch(
    input_ids: torch.Tensor,
    word_ids: list[int | None],
    deleted: list[int],
    pad_token_id: int,
    shape_ids: torch.Tensor | None = None,
) -> DeletionBatch:
    """The text (`input_ids` of one window, its tokens' `word_ids`) and one variant per word in `deleted`."""
    rows = [list(range(len(word_ids)))] + [[p for p, w in enumerate(word_ids) if w != word] for word in deleted]
    ids = torch.full((len(rows), len(word_ids)), pad_token_id, dtype=input_ids.dtype)
    mask, moved = torch.zeros_like(ids), torch.zeros_like(ids)
    shapes = None if shape_ids is None else torch.zeros_like(ids)
    for row, kept in enumerate(rows):
        ids[row, : len(kept)] = input_ids[kept]
        mask[row, : len(kept)] = 1
        moved[row, kept] = torch.arange(len(kept))
        if shapes is not None:
            shapes[row, : len(kept)] = shape_ids[kept]
    return DeletionBatch(ids, mask, shapes, moved)
