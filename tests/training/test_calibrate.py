"""Temperature scaling: an over-confident model gets a temperature above 1 and a smaller calibration error."""

from __future__ import annotations

import random

from training.calibrate import expected_calibration_error, fit_temperature, nll, reliability


def overconfident(n: int = 400, seed: int = 0) -> list[tuple[list[float], int]]:
    """Logits that put ~99% on their top class, which is right only 70% of the time."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        gold = rng.randrange(3)
        top = gold if rng.random() < 0.7 else (gold + 1) % 3
        rows.append(([6.0 if c == top else 0.0 for c in range(3)], gold))
    return rows


def test_an_overconfident_model_is_cooled_and_its_error_shrinks():
    rows = overconfident()
    temperature = fit_temperature(rows)
    assert temperature > 1.5
    assert nll(rows, temperature) < nll(rows, 1.0)
    assert expected_calibration_error(rows, temperature) < expected_calibration_error(rows, 1.0) / 3


def test_the_reliability_bins_count_every_example_once():
    rows = overconfident(50)
    table = reliability(rows, 1.0)
    assert len(table) == 15 and sum(b["n"] for b in table) == 50
    assert table[-1]["n"] == 50 and abs(table[-1]["accuracy"] - 0.7) < 0.2
