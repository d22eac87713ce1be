"""Markdown tables of a skill's benchmark metrics (as `training.evaluate` computes them), for people to read; each
skill's own table is `table(metrics)` in its `skills/<name>/evaluate.py`."""

from __future__ import annotations

from typing import Any

from skills.registry import get_skill


def metrics_table(skill: str, metrics: dict[str, Any]) -> str:
    """The metrics of `skill` as Markdown table(s), one line per row."""
    try:
        evaluation = get_skill(skill).evaluation
    except (KeyError, LookupError):
        raise ValueError(f"no metrics table for skill {skill!r}") from None
    return "\n".join(evaluation.table(metrics)) + "\n"
