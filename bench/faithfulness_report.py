"""The faithfulness benchmark's table (Markdown) and figure (PNG), from the results `bench/faithfulness.py` computes."""

from __future__ import annotations

from pathlib import Path


def markdown_table(result: dict) -> str:
    lines = [
        "| method | comprehensiveness ↑ | sufficiency ↓ | comp. ([MASK]) | suff. ([MASK]) | ρ with chat "
        "| median ms | p95 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in result["methods"].values():
        rho = "—" if row["spearman_with_chat"] is None else f"{row['spearman_with_chat']:.2f}"
        lines.append(
            f"| {row['name']} | {row['comprehensiveness']['delete']:.3f} | {row['sufficiency']['delete']:.3f} "
            f"| {row['comprehensiveness']['mask']:.3f} | {row['sufficiency']['mask']:.3f} | {rho} "
            f"| {row['cost_ms']['median']:.1f} | {row['cost_ms']['p95']:.1f} |"
        )
    return "\n".join(lines)


def plot(results: dict, path: Path, threads: int) -> None:
    """Per skill: AOPC comprehensiveness and sufficiency per method with words deleted (left); comprehensiveness
    under both erasures against the median cost, random ranking as a floor line (right)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(len(results), 2, figsize=(13, 4.2 * len(results)), squeeze=False)
    for row, (skill, result) in enumerate(results.items()):
        rows = result["methods"]
        methods = list(rows)
        left, right = axes[row]
        x = range(len(methods))
        left.bar(
            [i - 0.2 for i in x],
            [rows[m]["comprehensiveness"]["delete"] for m in methods],
            0.4,
            label="comprehensiveness (higher is better)",
        )
        left.bar(
            [i + 0.2 for i in x],
            [rows[m]["sufficiency"]["delete"] for m in methods],
            0.4,
            label="sufficiency (lower is better)",
        )
        labels = [f"{m} · {rows[m]['cost_ms']['median']:.0f} ms" for m in methods]
        left.set_xticks(list(x), labels, fontsize=8, rotation=30, ha="right")
        left.axhline(0, color="black", linewidth=0.5)
        left.set_title(f"{skill}: AOPC with words deleted (n={result['n']})")
        left.legend(fontsize=8)
        _cost_panel(right, rows, skill, threads)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _cost_panel(axis, rows: dict, skill: str, threads: int) -> None:
    for erasure, marker in (("delete", "o"), ("mask", "^")):
        for method, row in rows.items():
            if method == "random":
                continue
            colour, layer = ("tab:red", 3) if method == "chat" else ("tab:blue", 2)  # chat on top of its twin ig_6
            axis.scatter(
                row["cost_ms"]["median"],
                row["comprehensiveness"][erasure],
                marker=marker,
                color=colour,
                facecolors=colour if erasure == "delete" else "none",
                zorder=layer,
            )
            if erasure == "delete":
                axis.annotate(
                    method,
                    (row["cost_ms"]["median"], row["comprehensiveness"][erasure]),
                    fontsize=8,
                    xytext=(4, 2),
                    textcoords="offset points",
                )
        axis.axhline(
            rows["random"]["comprehensiveness"][erasure],
            color="grey",
            linewidth=0.8,
            linestyle="-" if erasure == "delete" else "--",
        )
    axis.scatter([], [], marker="o", color="grey", label="words deleted")
    axis.scatter([], [], marker="^", facecolors="none", color="grey", label="words → [MASK]")
    axis.plot([], [], color="grey", linewidth=0.8, label="random ranking")
    axis.set_xscale("log")
    axis.set_xlabel(f"median ms per explanation ({threads} torch thread{'s' if threads > 1 else ''})")
    axis.set_ylabel("comprehensiveness")
    axis.set_title(f"{skill}: faithfulness against cost (chat in red)")
    axis.legend(fontsize=8, loc="lower right")
