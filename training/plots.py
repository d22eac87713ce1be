"""Figures written beside an adapter bundle: the training curve (train loss and selection score per epoch).

Drawn on matplotlib's Agg canvas through the object API (no pyplot), so no global backend is switched and no
display is needed.
"""

from __future__ import annotations

from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

LOSS_COLOUR = "tab:blue"
SCORE_COLOUR = "tab:orange"


def plot_training_curve(
    history: list[dict], skill: str, metric_name: str, path: Path, version: str | None = None
) -> Path:
    """Write a PNG of `history` (entries with `epoch`, `train_loss`, `select`): loss on the left axis, the
    selection metric on the right one, the best epoch marked. Returns `path`."""
    if not history:
        raise ValueError(f"no epochs to plot for {skill!r}: the history is empty")
    epochs = [entry["epoch"] for entry in history]
    losses = [entry["train_loss"] for entry in history]
    scores = [entry["select"] for entry in history]
    best = max(range(len(scores)), key=scores.__getitem__)

    figure = Figure(figsize=(6.4, 4.0), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    loss_axis = figure.add_subplot()
    loss_axis.plot(epochs, losses, marker="o", color=LOSS_COLOUR, label="train loss")
    loss_axis.set_xlabel("epoch")
    loss_axis.set_ylabel("train loss", color=LOSS_COLOUR)
    loss_axis.set_xticks(epochs)
    loss_axis.grid(alpha=0.3)
    score_axis = loss_axis.twinx()
    score_axis.plot(epochs, scores, marker="s", color=SCORE_COLOUR, label=f"selection {metric_name}")
    score_axis.scatter([epochs[best]], [scores[best]], s=150, facecolors="none", edgecolors="black", zorder=3)
    score_axis.set_ylabel(f"selection {metric_name} (circled: kept)", color=SCORE_COLOUR)
    title = f"{skill} adapter" + (f", version {version}" if version else "")
    loss_axis.set_title(title)

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png")
    return path
