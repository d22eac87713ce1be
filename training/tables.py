"""Markdown tables of a skill's benchmark metrics (as `training.evaluate` computes them), for people to read.

NER: precision, recall, F1 and support per entity type and the micro average. Sentiment: accuracy, macro-F1 and
the confusion matrix (rows gold, columns predicted). QA: exact match, F1 and the number of questions.
"""

from __future__ import annotations

from typing import Any

ENTITY_ORDER = ("PER", "ORG", "LOC", "MISC")
SENTIMENT_LABELS = ("negative", "positive")
MISSING = "–"


def _number(value: Any) -> str:
    if value is None:
        return MISSING
    return str(int(value)) if isinstance(value, int) else f"{float(value):.2f}"


def _rows(header: list[str], rows: list[list[Any]], align: str = "---:") -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" + f"{align}|" * (len(header) - 1)]
    return lines + ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]


def ner_table(metrics: dict[str, Any]) -> list[str]:
    per_type = metrics.get("per_type", {})
    kinds = [k for k in ENTITY_ORDER if k in per_type] + sorted(set(per_type) - set(ENTITY_ORDER))
    rows = [
        [kind, *(_number(per_type[kind].get(k)) for k in ("precision", "recall", "f1-score", "support"))]
        for kind in kinds
    ]
    support = sum(int(row.get("support", 0)) for row in per_type.values())
    micro = [_number(metrics.get(k)) for k in ("precision", "recall", "f1")]
    rows.append(["**micro**", *micro, _number(support)])
    return _rows(["type", "precision", "recall", "F1", "support"], rows)


def sentiment_table(metrics: dict[str, Any]) -> list[str]:
    summary = [
        ["accuracy", _number(metrics["accuracy"])],
        ["macro-F1", _number(metrics["macro_f1"])],
        ["n", _number(metrics.get("n"))],
    ]
    confusion = zip(SENTIMENT_LABELS, metrics["confusion"], strict=True)
    matrix = [[f"**{label}**", *(_number(count) for count in row)] for label, row in confusion]
    return [*_rows(["metric", "value"], summary), "", *_rows(["gold \\ predicted", *SENTIMENT_LABELS], matrix)]


def qa_table(metrics: dict[str, Any]) -> list[str]:
    rows = [
        ["exact match", _number(metrics["exact_match"])],
        ["F1", _number(metrics["f1"])],
        ["n", _number(metrics.get("n"))],
    ]
    return _rows(["metric", "value"], rows)


TABLES = {"ner": ner_table, "sentiment": sentiment_table, "qa": qa_table}


def metrics_table(skill: str, metrics: dict[str, Any]) -> str:
    """The metrics of `skill` as Markdown table(s), one line per row."""
    if skill not in TABLES:
        raise ValueError(f"no metrics table for skill {skill!r}; expected one of {sorted(TABLES)}")
    return "\n".join(TABLES[skill](metrics)) + "\n"
