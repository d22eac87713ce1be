"""Temperature scaling (Guo et al. 2017) of the request model's intent probabilities on its selection split.

    python -m training.calibrate --adapter adapters/request --data runs/requests [--plot docs/request_reliability.png]

One number T divides the intent logits before the softmax; T is chosen to minimise the negative log-likelihood of
the selection split's gold intents (the hand-written dev set: never the held-out one). The bundle's bundle.json
records T with the expected calibration error (ECE, 15 equal-width bins of the top probability) before and after,
and the request model reads with it, so the probability the router's explanation shows and the threshold below which
the planner does not follow the model mean what they say. A reliability plot shows both. The nightly retrain
calibrates a candidate of a calibrated version the same way (`calibrate`).
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skills.request.spec import INTENTS, SPEC, intent

if TYPE_CHECKING:
    from skills.encoder import SharedEncoder

log = logging.getLogger(__name__)
BINS = 15
TEMPERATURES = [round(0.25 + 0.05 * i, 2) for i in range(96)]  # 0.25 .. 5.0


def softmax(scores: list[float], temperature: float) -> list[float]:
    top = max(scores)
    weights = [math.exp((s - top) / temperature) for s in scores]
    total = sum(weights)
    return [w / total for w in weights]


def nll(rows: list[tuple[list[float], int]], temperature: float) -> float:
    """Mean negative log-likelihood of the gold intents at `temperature`."""
    return -sum(math.log(max(softmax(s, temperature)[gold], 1e-12)) for s, gold in rows) / len(rows)


def fit_temperature(rows: list[tuple[list[float], int]]) -> float:
    """The temperature on the grid with the least NLL (the loss is smooth in T; a grid of 0.05 is enough)."""
    return min(TEMPERATURES, key=lambda t: nll(rows, t))


def reliability(rows: list[tuple[list[float], int]], temperature: float, bins: int = BINS) -> list[dict[str, Any]]:
    """Per bin of top probability: how many, their mean confidence and their accuracy."""
    binned: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for scores, gold in rows:
        probabilities = softmax(scores, temperature)
        best = max(range(len(probabilities)), key=probabilities.__getitem__)
        confidence = probabilities[best]
        binned[min(bins - 1, int(confidence * bins))].append((confidence, best == gold))
    return [
        {
            "low": i / bins,
            "high": (i + 1) / bins,
            "n": len(b),
            "confidence": sum(c for c, _ in b) / len(b) if b else None,
            "accuracy": sum(r for _, r in b) / len(b) if b else None,
        }
        for i, b in enumerate(binned)
    ]


def expected_calibration_error(rows: list[tuple[list[float], int]], temperature: float) -> float:
    """Σ over bins of (share of examples) × |accuracy − confidence|, in points."""
    table = reliability(rows, temperature)
    total = sum(b["n"] for b in table)
    return round(100 * sum(b["n"] / total * abs(b["accuracy"] - b["confidence"]) for b in table if b["n"]), 2)


def plot_reliability(before: list[dict], after: list[dict], path: Path, temperature: float) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(4.5, 4.5))
    axis.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1, label="perfectly calibrated")
    for table, label in ((before, "T = 1"), (after, f"T = {temperature}")):
        points = [(b["confidence"], b["accuracy"]) for b in table if b["n"]]
        axis.plot(*zip(*points, strict=True), marker="o", label=label)
    axis.set_xlabel("confidence (top intent probability)")
    axis.set_ylabel("accuracy")
    axis.set_title("Request model: reliability on the selection split", fontsize=9)
    axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def intent_rows(folder: Path, data: Path, encoder: SharedEncoder | None = None) -> list[tuple[list[float], int]]:
    """(intent logits, gold intent index) for every request of the selection split, through the bundle as loaded
    (onto `encoder`, or a new one)."""
    from skills.encoder import SharedEncoder
    from skills.registry import get_skill
    from skills.request.evaluate import read_all
    from training import data as datasets
    from training.evaluate import adapter_logits_fn

    encoder = encoder or SharedEncoder()
    name = f"{SPEC.name}-calibrated"
    info = encoder.load_adapter(name, folder)
    requests = get_skill(SPEC.name).data.read_file(data / datasets.data_spec(SPEC.name).files["select"])
    read = read_all(adapter_logits_fn(encoder, name), encoder.tokenizer, requests, info.max_length)
    return [(scores, INTENTS.index(intent(r.skill, r.kind))) for r, (_, scores, _) in zip(requests, read, strict=True)]


def calibration(rows: list[tuple[list[float], int]]) -> dict[str, Any]:
    """The fitted temperature with the NLL and ECE before and after, as bundle.json records it."""
    temperature = fit_temperature(rows)
    return {
        "temperature": temperature,
        "split": "select",
        "n": len(rows),
        "nll_before": round(nll(rows, 1.0), 4),
        "nll_after": round(nll(rows, temperature), 4),
        "ece_before": expected_calibration_error(rows, 1.0),
        "ece_after": expected_calibration_error(rows, temperature),
    }


def calibrate(folder: Path, data: Path, encoder: SharedEncoder | None = None) -> dict[str, Any]:
    """The calibration record of the request-model bundle in `folder` on its data folder's selection split."""
    return calibration(intent_rows(folder, data, encoder))


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--adapter", type=Path, required=True, help="the request-model bundle to calibrate")
    parser.add_argument("--data", type=Path, required=True, help="its data folder (select.jsonl calibrates)")
    parser.add_argument("--plot", type=Path, help="write the reliability plot here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    from skills.encoder import BundleInfo

    rows = intent_rows(args.adapter, args.data)
    record = calibration(rows)
    temperature = record["temperature"]
    record["command"] = "python -m training.calibrate " + " ".join(sys.argv[1:] if argv is None else argv)
    info = BundleInfo.read(args.adapter)
    info.training["calibration"] = record
    info.write(args.adapter)
    if args.plot:
        plot_reliability(reliability(rows, 1.0), reliability(rows, temperature), args.plot, temperature)
    print(json.dumps(record, indent=2))
    return record


if __name__ == "__main__":
    main()
