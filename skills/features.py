"""What every skill's model features share: a loss weight per feature, from its example's weight."""

from __future__ import annotations


def with_weights(features: list[dict], per_example: list[int], weights: list[float] | None) -> list[dict]:
    """Give each feature its example's loss weight (`per_example[i]` features came from example i)."""
    if weights is None:
        return features
    if len(weights) != len(per_example):
        raise ValueError(f"{len(weights)} weights for {len(per_example)} examples")
    expanded = [w for w, n in zip(weights, per_example, strict=True) for _ in range(n)]
    return [{**feature, "weight": weight} for feature, weight in zip(features, expanded, strict=True)]
