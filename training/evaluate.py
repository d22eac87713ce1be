"""Benchmark metrics for the three adapters, computed the standard way.

NER: entity-level micro F1 with seqeval, strict IOB2 (CoNLL's IOB1 converted on reading).
Sentiment: accuracy and macro F1. QA: exact match and F1 with the official SQuAD v1.1 normalisation, each
prediction scored against every reference answer.

    python -m training.evaluate --skill ner --data ../shared/data/conll2003 [--adapter adapters/ner] [--split report]

stdout has the metrics as one JSON object and then, with the default `--format both`, a blank line and the same
metrics as Markdown tables (`training/tables.py`); `--format json` prints only the JSON, for scripts.
"""

from __future__ import annotations

import argparse
import collections
import json
import logging
import re
import string
import sys
from collections.abc import Callable
from pathlib import Path

import torch
from tqdm import tqdm

from skills.encoder import token_shapes
from skills.ner import NER_LABELS
from skills.qa import encode_windows, spans_from_logits
from training.data import LabeledText, QAExample, TaggedSentence, load_split
from training.tables import metrics_table

# (input_ids, attention_mask, token_type_ids) -> head logits; the same for a training model or a loaded adapter.
# (input_ids, attention_mask, token_type_ids, shape_ids or None) -> head logits
LogitsFn = Callable[[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor | None], torch.Tensor]
log = logging.getLogger(__name__)


def normalize_answer(text: str) -> str:
    """SQuAD v1.1's normalisation: lower case, no punctuation, no articles, single spaces."""
    text = "".join(ch for ch in text.lower() if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def squad_f1(prediction: str, truth: str) -> float:
    predicted, gold = normalize_answer(prediction).split(), normalize_answer(truth).split()
    common = collections.Counter(predicted) & collections.Counter(gold)
    overlap = sum(common.values())
    if overlap == 0:
        return 0.0
    precision, recall = overlap / len(predicted), overlap / len(gold)
    return 2 * precision * recall / (precision + recall)


def squad_scores(predictions: dict[str, str], examples: list[QAExample]) -> dict[str, float]:
    exact = f1 = 0.0
    for example in examples:
        prediction = predictions[example.id]
        exact += max(float(normalize_answer(prediction) == normalize_answer(a)) for a in example.answers)
        f1 += max(squad_f1(prediction, a) for a in example.answers)
    n = len(examples)
    return {"exact_match": round(100 * exact / n, 2), "f1": round(100 * f1 / n, 2), "n": n}


def ner_scores(gold: list[list[str]], predicted: list[list[str]]) -> dict:
    from seqeval.metrics import classification_report, f1_score
    from seqeval.scheme import IOB2

    report = classification_report(gold, predicted, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    per_type = {
        kind: {k: round(100 * v, 2) if k != "support" else int(v) for k, v in row.items()}
        for kind, row in report.items()
        if kind in ("PER", "ORG", "LOC", "MISC")
    }
    micro = report.get("micro avg", {})
    f1 = f1_score(gold, predicted, mode="strict", scheme=IOB2)
    return {
        "f1": round(100 * f1, 2),
        "precision": round(100 * float(micro.get("precision", 0.0)), 2),
        "recall": round(100 * float(micro.get("recall", 0.0)), 2),
        "per_type": per_type,
        "n": len(gold),
    }


def sentiment_scores(gold: list[int], predicted: list[int]) -> dict:
    confusion = [[0, 0], [0, 0]]
    for g, p in zip(gold, predicted, strict=True):
        confusion[g][p] += 1
    f1s = []
    for label in (0, 1):
        tp = confusion[label][label]
        precision = tp / max(1, confusion[0][label] + confusion[1][label])
        recall = tp / max(1, sum(confusion[label]))
        f1s.append(0.0 if tp == 0 else 2 * precision * recall / (precision + recall))
    accuracy = (confusion[0][0] + confusion[1][1]) / len(gold)
    return {
        "accuracy": round(100 * accuracy, 2),
        "macro_f1": round(100 * sum(f1s) / 2, 2),
        "confusion": confusion,
        "n": len(gold),
    }


def _batches(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


@torch.inference_mode()
def evaluate_ner(logits_fn: LogitsFn, tokenizer, sentences: list[TaggedSentence], max_length: int) -> dict:
    predicted = []
    for batch in tqdm(list(_batches(sentences, 64)), desc="ner eval", leave=False):
        enc = tokenizer(
            [s.tokens for s in batch],
            is_split_into_words=True,
            truncation=True,
            max_length=max_length,
            padding=True,
            return_tensors="pt",
        )
        shapes = torch.tensor([token_shapes(enc.word_ids(row), s.tokens) for row, s in enumerate(batch)])
        labels = logits_fn(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"], shapes).argmax(-1)
        for row, sentence in enumerate(batch):
            tags = ["O"] * len(sentence.tokens)
            previous = None
            for position, word_id in enumerate(enc.word_ids(row)):
                if word_id is not None and word_id != previous:
                    tags[word_id] = NER_LABELS[int(labels[row, position])]
                previous = word_id
            predicted.append(tags)
    return ner_scores([s.tags for s in sentences], predicted)


@torch.inference_mode()
def evaluate_sentiment(logits_fn: LogitsFn, tokenizer, texts: list[LabeledText], max_length: int) -> dict:
    predicted = []
    for batch in tqdm(list(_batches(texts, 128)), desc="sentiment eval", leave=False):
        enc = tokenizer(
            [t.text for t in batch], truncation=True, max_length=max_length, padding=True, return_tensors="pt"
        )
        logits = logits_fn(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"], None)
        predicted += logits.argmax(-1).tolist()
    return sentiment_scores([t.label for t in texts], predicted)


@torch.inference_mode()
def evaluate_qa(logits_fn: LogitsFn, tokenizer, examples: list[QAExample], max_length: int) -> dict:
    predictions = {}
    for example in tqdm(examples, desc="qa eval", leave=False):
        enc = encode_windows(tokenizer, example.question, example.context, max_length)
        logits = logits_fn(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"], None)
        spans = spans_from_logits(enc, logits, example.context, top_k=1)
        predictions[example.id] = example.context[spans[0].start : spans[0].end] if spans else ""
    return squad_scores(predictions, examples)


EVALUATORS = {"ner": evaluate_ner, "sentiment": evaluate_sentiment, "qa": evaluate_qa}
HEADLINE = {"ner": "f1", "sentiment": "accuracy", "qa": "f1"}


def adapter_logits_fn(encoder, skill: str) -> LogitsFn:
    def logits(input_ids, attention_mask, token_type_ids, shape_ids=None):
        with encoder.adapter(skill) as head:
            return encoder.logits(head, input_ids, attention_mask, shape_ids, token_type_ids)

    return logits


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skill", required=True, choices=sorted(EVALUATORS))
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
    metrics = EVALUATORS[args.skill](
        adapter_logits_fn(encoder, args.skill), encoder.tokenizer, examples, info.max_length
    )
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
    from training.data import SPLIT_FILES
    from training.model_card import write_model_card

    info = BundleInfo.read(folder)
    info.metrics = {"report_split": SPLIT_FILES[info.skill]["report"], **metrics}
    info.write(folder)
    write_model_card(folder, info)


if __name__ == "__main__":
    main(sys.argv[1:])
