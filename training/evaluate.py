"""Benchmark metrics of an adapter, computed the standard way by its skill's `skills/<name>/evaluate.py` (NER:
seqeval entity F1, strict IOB2; sentiment: accuracy and macro F1; QA: SQuAD v1.1 exact match and F1).

    python -m training.evaluate --skill ner --data ../shared/data/conll2003 [--adapter adapters/ner] [--split report]

stdout has the metrics as one JSON object and then, with the default `--format both`, a blank line and the same
metrics as Markdown tables (`training/tables.py`); `--format json` prints only the JSON, for scripts.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from skills.base import LogitsFn
from skills.registry import get_skill, skill_names
from training.data import data_spec, load_split
from training.tables import metrics_table

log = logging.getLogger(__name__)


def evaluate(skill: str, logits_fn: LogitsFn, tokenizer, examples: list, max_length: int) -> dict:
    """The skill's benchmark metrics for `examples`, computed by its own `evaluate.py`."""
    return get_skill(skill).evaluation.evaluate(logits_fn, tokenizer, examples, max_length)


def headline(skill: str) -> str:
    """The metric that selects epochs and gates promotions for `skill`."""
    metric = get_skill(skill).spec.headline_metric
    if metric is None:
        raise ValueError(f"the {skill} skill has no benchmark metric (it has no adapter)")
    return metric


def adapter_logits_fn(encoder, skill: str) -> LogitsFn:
    def logits(input_ids, attention_mask, token_type_ids, shape_ids=None):
        with encoder.adapter(skill) as head:
            return encoder.logits(head, input_ids, attention_mask, shape_ids, token_type_ids)

    return logits


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skill", required=True, choices=skill_names(trainable=True, serving=None))
    parser.add_argument(
        "--data", required=True, help="benchmark folder, e.g. ../shared/data/sst2, or a hub name, e.g. stanfordnlp/sst2"
    )
    parser.add_argument("--adapter", type=Path, help="adapter bundle folder (default: adapters/SKILL)")
    parser.add_argument("--split", default="report", choices=["select", "report"])
    parser.add_argument("--limit", type=int, help="evaluate only the first N examples (smoke runs)")
    parser.add_argument("--json", type=Path, help="also write the metrics to this file")
    parser.add_argument(
        "--format",
        default="both",
        choices=["json", "table", "both"],
        help="stdout: the JSON, Markdown tables, or both (JSON first, then a blank line; the default)",
    )
    parser.add_argument(
        "--update-card",
        action="store_true",
        help="store the report-split metrics in the bundle's bundle.json and rewrite its model card",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    from skills.encoder import SharedEncoder

    encoder = SharedEncoder()
    info = encoder.load_adapter(args.skill, args.adapter or Path("adapters") / args.skill)
    examples = load_split(args.skill, args.data, args.split)[: args.limit]
    metrics = evaluate(args.skill, adapter_logits_fn(encoder, args.skill), encoder.tokenizer, examples, info.max_length)
    result = {"skill": args.skill, "split": args.split, "adapter_version": info.version, **metrics}
    text = json.dumps(result, indent=2)
    print(format_result(result, args.format))
    if args.json:
        args.json.write_text(text + "\n")
    if args.update_card:
        if args.split != "report" or args.limit:
            parser.error("--update-card needs the full report split (no --limit)")
        update_card(args.adapter or Path("adapters") / args.skill, metrics)
    return result


def format_result(result: dict, output: str) -> str:
    """What `main` prints: the JSON object, the Markdown tables, or both (JSON first)."""
    text = json.dumps(result, indent=2)
    if output == "json":
        return text
    heading = f"## {result['skill']}, {result['split']} split, adapter {result['adapter_version']}\n\n"
    table = heading + metrics_table(result["skill"], result)
    return table if output == "table" else f"{text}\n\n{table}"


def update_card(folder: Path, metrics: dict) -> None:
    from skills.encoder import BundleInfo
    from training.model_card import write_model_card

    info = BundleInfo.read(folder)
    info.metrics = {"report_split": data_spec(info.skill).files["report"], **metrics}
    info.write(folder)
    write_model_card(folder, info)


if __name__ == "__main__":
    main(sys.argv[1:])
