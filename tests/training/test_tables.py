from __future__ import annotations

import json

import pytest

from training.tables import metrics_table


def _row(table: str, first_cell: str) -> list[str]:
    """The cells of the table row that starts with `first_cell`."""
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells[0] == first_cell:
            return cells[1:]
    raise AssertionError(f"no row {first_cell!r} in:\n{table}")


def test_ner_table_has_a_row_per_type_and_the_micro_average():
    metrics = {
        "f1": 81.5,
        "precision": 80.25,
        "recall": 82.75,
        "per_type": {
            "LOC": {"precision": 90.0, "recall": 85.5, "f1-score": 87.69, "support": 20},
            "PER": {"precision": 70.0, "recall": 77.78, "f1-score": 73.68, "support": 9},
        },
        "n": 12,
    }
    table = metrics_table("ner", metrics)
    assert _row(table, "type") == ["precision", "recall", "F1", "support"]
    assert _row(table, "PER") == ["70.00", "77.78", "73.68", "9"]
    assert _row(table, "LOC") == ["90.00", "85.50", "87.69", "20"]
    assert _row(table, "**micro**") == ["80.25", "82.75", "81.50", "29"]
    # the usual CoNLL order, not the report's alphabetical one
    assert table.index("| PER") < table.index("| LOC")


def test_ner_table_of_an_older_bundle_without_micro_precision_shows_a_dash():
    metrics = {"f1": 50.0, "per_type": {"ORG": {"precision": 50.0, "recall": 50.0, "f1-score": 50.0, "support": 2}}}
    assert _row(metrics_table("ner", metrics), "**micro**") == ["–", "–", "50.00", "2"]


def test_sentiment_table_has_accuracy_macro_f1_and_a_labelled_confusion_matrix():
    metrics = {"accuracy": 75.0, "macro_f1": 73.33, "confusion": [[1, 1], [0, 2]], "n": 4}
    table = metrics_table("sentiment", metrics)
    assert _row(table, "accuracy") == ["75.00"]
    assert _row(table, "macro-F1") == ["73.33"]
    assert _row(table, "n") == ["4"]
    assert _row(table, "gold \\ predicted") == ["negative", "positive"]
    assert _row(table, "**negative**") == ["1", "1"]
    assert _row(table, "**positive**") == ["0", "2"]


def test_qa_table_has_exact_match_f1_and_the_number_of_questions():
    table = metrics_table("qa", {"exact_match": 54.63, "f1": 67.5, "n": 3068})
    assert _row(table, "exact match") == ["54.63"]
    assert _row(table, "F1") == ["67.50"]
    assert _row(table, "n") == ["3068"]


def test_metrics_table_rejects_an_unknown_skill():
    with pytest.raises(ValueError, match="'pos'"):
        metrics_table("pos", {})


def test_evaluate_prints_the_json_first_and_then_the_table():
    from training.evaluate import format_result

    result = {"skill": "qa", "split": "report", "adapter_version": "v3", "exact_match": 50.0, "f1": 62.5, "n": 8}
    printed = format_result(result, "both")
    parsed, end = json.JSONDecoder().raw_decode(printed)
    assert parsed == result
    assert _row(printed[end:], "F1") == ["62.50"]
    assert "adapter v3" in printed[end:]
    assert json.loads(format_result(result, "json")) == result
    assert format_result(result, "table").startswith("## qa, report split")
