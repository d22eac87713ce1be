from __future__ import annotations

import pytest

from training.plots import plot_training_curve

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_training_curve_is_written_as_a_png(tmp_path):
    history = [
        {"epoch": 1, "train_loss": 0.9, "select": 71.5},
        {"epoch": 2, "train_loss": 0.4, "select": 80.25},
        {"epoch": 3, "train_loss": 0.3, "select": 79.0},
    ]
    path = plot_training_curve(history, "ner", "f1", tmp_path / "plots" / "training_curve.png", version="v2")
    assert path == tmp_path / "plots" / "training_curve.png"
    content = path.read_bytes()
    assert content.startswith(PNG_SIGNATURE)
    assert len(content) > 5000  # a drawn figure, not an empty canvas


def test_training_curve_of_no_epochs_is_refused(tmp_path):
    with pytest.raises(ValueError, match="history is empty"):
        plot_training_curve([], "sentiment", "accuracy", tmp_path / "curve.png")
    assert not (tmp_path / "curve.png").exists()
