"""The model card written beside every adapter bundle: data, hyper-parameters, metrics, the exact command."""

from __future__ import annotations

import json
from pathlib import Path

from skills.encoder import BundleInfo
from skills.registry import get_skill
from training.tables import metrics_table

CURVE_FILE = "training_curve.png"
EXAMPLE_INDEX_PREFIX = "Example index:"


def data_description(skill: str) -> str:
    """The skill's benchmark in one paragraph (its spec), or a pointer to bundle.json for a skill not registered."""
    try:
        data = get_skill(skill).spec.data
    except KeyError:
        data = None
    return data.description if data else "see bundle.json"


def write_model_card(folder: Path, info: BundleInfo) -> None:
    training = info.training
    config = training.get("config", {})
    metrics = {k: v for k, v in info.metrics.items() if k != "per_type"}
    lines = [
        f"# `{info.skill}` adapter, version {info.version}",
        "",
        f"LoRA adapter plus a {info.head.kind} head ({len(info.head.labels)} outputs: "
        f"{', '.join(info.head.labels)}) on the shared encoder `{info.base_model}`.",
        "",
        "## Data",
        data_description(info.skill),
        f"Training examples: {training.get('train_examples')} ({training.get('train_features')} features); "
        f"selection examples: {training.get('select_examples')}.",
        *split_lines(training.get("splits")),
        *example_index_lines(training.get("example_index")),
        "",
        "## Hyper-parameters",
        "| name | value |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in config.items() if k not in ("data", "out", "base_model")],
        "",
        "## Metrics on the report split",
        *metrics_lines(info),
        "",
        *history_lines(folder, training.get("history", [])),
        "## Reproduce",
        "```",
        training.get("command", ""),
        "```",
        f"Wall time {training.get('wall_seconds')} s on {training.get('machine')}{resumed_note(training)}.",
        "",
        f"Headline: {json.dumps(metrics)}",
        "",
    ]
    (folder / "README.md").write_text("\n".join(lines))


def split_lines(splits: dict | None) -> list[str]:
    """One line naming the file (and part) and the example count of each split; nothing for older bundles."""
    if not splits:
        return []
    parts = []
    for name in ("train", "select", "report"):
        split = splits.get(name, {})
        part = f", {split['part']}" if "part" in split else ""
        where = f"`{split['hub']}` split `{split.get('hub_split')}`" if "hub" in split else f"`{split.get('file')}`"
        parts.append(f"{name} {where}{part} ({split.get('examples', '?')} examples)")
    return ["", "Splits: " + "; ".join(parts) + "."]


def example_index_line(record: dict) -> str:
    """One line on the examples shown as "similar examples" (skills/examples.py): how many, which, how indexed."""
    sources = record.get("by_source", {})
    counts = ", ".join(f"{n} {source}" for source, n in sources.items()) or f"{record.get('examples')}"
    line = f"{EXAMPLE_INDEX_PREFIX} {counts} examples, {record.get('index')}, in `examples.faiss` + `examples.jsonl.gz`"
    if "distinct_texts" in record:
        capped = record["distinct_texts"] > record.get("cap", record["distinct_texts"])
        line += f"; {'a sample (seed ' + str(record.get('seed')) + ') of ' if capped else 'all '}"
        line += f"{record['distinct_texts']} distinct texts among {record.get('training_examples')} training examples"
    if record.get("parent"):
        line += f"; the index of {record['parent']} plus this version's training feedback"
    return line + (f"; added without retraining by `{record['command']}`." if record.get("command") else ".")


def example_index_lines(record: dict | None) -> list[str]:
    return ["", example_index_line(record)] if record else []


def metrics_lines(info: BundleInfo) -> list[str]:
    table = [metrics_table(info.skill, info.metrics).rstrip("\n"), ""] if info.metrics else []
    return [*table, "```json", json.dumps(info.metrics, indent=2), "```"]


def history_lines(folder: Path, history: list[dict]) -> list[str]:
    """The per-epoch table, and the training curve where `training_curve.png` lies beside the card."""
    lines = [
        "| epoch | train loss | selection score |",
        "|---|---|---|",
        *[f"| {h['epoch']} | {h['train_loss']:.4f} | {h['select']:.2f} |" for h in history],
        "",
    ]
    if (folder / CURVE_FILE).is_file():
        lines += [f"![training curve]({CURVE_FILE})", ""]
    return lines


def resumed_note(training: dict) -> str:
    resumed = training.get("resumed_after_epochs")
    return f" (an interrupted run, resumed after epoch {', '.join(map(str, resumed))})" if resumed else ""


def write_retrained_card(folder: Path, info: BundleInfo) -> None:
    """The card of a version the nightly retrain made: its feedback, replay and the gate's verdict."""
    training, metrics = info.training, info.metrics
    data, gate = training.get("feedback", {}), training.get("gate", {})
    bench, feedback = metrics.get("benchmark", {}), metrics.get("feedback", {})
    config = training.get("config", {})
    lines = [
        f"# `{info.skill}` adapter, version {info.version} (nightly retrain)",
        "",
        f"Trained from version {config.get('init_adapter', '?').rstrip('/').split('/')[-1]} on users' feedback "
        f"plus a replay sample of the original training data. {data_description(info.skill)}",
        "",
        "## Data",
        f"Feedback examples: {data.get('feedback_examples')} ({data.get('by_kind')}); replay examples: "
        f"{data.get('replay_examples')}; held out for the gate: {data.get('held_out_examples')}; "
        f"ratings up to id {data.get('through_rating_id')}.",
        *example_index_lines(training.get("example_index")),
        "",
        "## Hyper-parameters",
        "| name | value |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in config.items() if k not in ("data", "out", "base_model")],
        "",
        "## Gate",
        f"| score | {metric_name(bench)} current | candidate |",
        "|---|---|---|",
        f"| benchmark `{bench.get('file')}` ({bench.get('split')} split) | {bench.get('current', 0):.2f} | "
        f"{bench.get('candidate', 0):.2f} |",
        f"| held-out feedback ({feedback.get('examples')} examples) | {feedback.get('current', 0):.2f} | "
        f"{feedback.get('score', 0):.2f} |",
        "",
        f"**{'Promoted' if gate.get('promoted') else 'Rejected'}**: {gate.get('reason', '')}",
        "",
        "## Reproduce",
        "```",
        training.get("command", ""),
        "```",
        f"Wall time {training.get('wall_seconds')} s on {training.get('machine')}.",
        "",
    ]
    (folder / "README.md").write_text("\n".join(lines))


def metric_name(scores: dict) -> str:
    return str(scores.get("metric", "score"))
