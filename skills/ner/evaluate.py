"""NER metrics, scored on the app's own path, and their table (precision, recall, F1, support per type, micro).

Each benchmark sentence is joined into the raw text a person would type (`skills.words.detokenize_spans`: "Paris."
not "Paris ."), read by `skills.ner.decode` exactly as the chat reads a message, and its entities' character spans
are matched exactly (type, start, end) against the gold entities' spans: CoNLL's exact-match entity F1 on
characters, so a name cut in two, a lost period or a title inside an entity is an error. The same text lowercased
measures the lowercase case. `f1_any_case` (their mean) selects epochs and gates promotions; `gold_tokens` keeps
the older reading of the benchmark's own tokens (seqeval, strict IOB2), to show the two paths agree.
"""

from __future__ import annotations

from typing import Any

import torch
from tqdm import tqdm

from skills.base import LogitsFn, batches
from skills.markup import number, table_rows
from skills.ner.data import TaggedSentence
from skills.ner.decode import decode_entities, predict_words
from skills.ner.spec import ENTITY_TYPES, NER_LABELS
from skills.words import detokenize_spans, token_shapes


def ner_scores(gold: list[list[str]], predicted: list[list[str]]) -> dict:
    from seqeval.metrics import classification_report, f1_score
    from seqeval.scheme import IOB2

    report = classification_report(gold, predicted, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    per_type = {
        kind: {k: round(100 * v, 2) if k != "support" else int(v) for k, v in row.items()}
        for kind, row in report.items()
        if kind in ENTITY_TYPES
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


def gold_entities(sentence: TaggedSentence) -> tuple[str, set[tuple[int, int, str]]]:
    """The sentence's raw text and its gold entities as (start, end, type) character spans."""
    text, spans = detokenize_spans(sentence.tokens)
    entities = set()
    for entity in bio_spans(sentence.tags):
        first, last, kind = entity
        entities.add((spans[first][0], spans[last][1], kind))
    return text, entities


def bio_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """(first word, last word, type) of each BIO entity; an I- that does not continue its type opens one."""
    found: list[list] = []
    for i, tag in enumerate(tags):
        if tag == "O":
            continue
        if tag.startswith("B-") or not found or found[-1][1] != i - 1 or found[-1][2] != tag[2:]:
            found.append([i, i, tag[2:]])
        else:
            found[-1][1] = i
    return [tuple(entity) for entity in found]


def span_scores(gold: list[set], predicted: list[set]) -> dict:
    """Micro and per-type precision, recall and F1 of exact (start, end, type) matches, in percent."""

    def prf(hits: int, n_gold: int, n_predicted: int) -> tuple[float, float, float]:
        precision = hits / n_predicted if n_predicted else 0.0
        recall = hits / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return round(100 * precision, 2), round(100 * recall, 2), round(100 * f1, 2)

    per_type = {}
    for kind in ENTITY_TYPES:
        g = [{e for e in spans if e[2] == kind} for spans in gold]
        p = [{e for e in spans if e[2] == kind} for spans in predicted]
        support = sum(map(len, g))
        if support or sum(map(len, p)):
            hits = sum(len(a & b) for a, b in zip(g, p, strict=True))
            precision, recall, f1 = prf(hits, support, sum(map(len, p)))
            per_type[kind] = {"precision": precision, "recall": recall, "f1-score": f1, "support": support}
    hits = sum(len(a & b) for a, b in zip(gold, predicted, strict=True))
    precision, recall, f1 = prf(hits, sum(map(len, gold)), sum(map(len, predicted)))
    return {"f1": f1, "precision": precision, "recall": recall, "per_type": per_type, "n": len(gold)}


def app_path_scores(logits_fn: LogitsFn, tokenizer, texts: list[str], gold: list[set], max_length: int) -> dict:
    """Entity scores of the app's reading (`skills.ner.decode`) of raw `texts` against gold character spans."""
    predicted = [
        {(e.start, e.end, e.type) for e in decode_entities(text, predict_words(text, tokenizer, logits_fn, max_length))}
        for text in tqdm(texts, desc="ner eval", leave=False)
    ]
    return span_scores(gold, predicted)


def evaluate(logits_fn: LogitsFn, tokenizer, sentences: list[TaggedSentence], max_length: int) -> dict:
    """App-path scores as written and lowercased, their mean (the headline), and the gold-token reading."""
    texts, gold = zip(*map(gold_entities, sentences), strict=True) if sentences else ((), ())
    as_written = app_path_scores(logits_fn, tokenizer, list(texts), list(gold), max_length)
    lowercased = app_path_scores(logits_fn, tokenizer, [t.lower() for t in texts], list(gold), max_length)
    return {
        **as_written,
        "f1_lowercased": lowercased["f1"],
        "f1_any_case": round((as_written["f1"] + lowercased["f1"]) / 2, 2),
        "lowercased": lowercased,
        "gold_tokens": gold_token_scores(logits_fn, tokenizer, sentences, max_length),
    }


@torch.inference_mode()
def gold_token_scores(logits_fn: LogitsFn, tokenizer, sentences: list[TaggedSentence], max_length: int) -> dict:
    """seqeval's strict IOB2 F1 of the labels of the benchmark's own tokens (the reading before the app path)."""
    predicted = []
    for batch in batches(sentences, 64):
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
    scores = ner_scores([s.tags for s in sentences], predicted)
    return {k: scores[k] for k in ("f1", "precision", "recall")}


def table(metrics: dict[str, Any]) -> list[str]:
    per_type = metrics.get("per_type", {})
    kinds = [k for k in ENTITY_TYPES if k in per_type] + sorted(set(per_type) - set(ENTITY_TYPES))
    rows = [
        [kind, *(number(per_type[kind].get(k)) for k in ("precision", "recall", "f1-score", "support"))]
        for kind in kinds
    ]
    support = sum(int(row.get("support", 0)) for row in per_type.values())
    micro = [number(metrics.get(k)) for k in ("precision", "recall", "f1")]
    rows.append(["**micro**", *micro, number(support)])
    for name, key in (("lowercased", "lowercased"), ("gold tokens", "gold_tokens")):
        if key in metrics:
            rows.append([f"micro, {name}", *(number(metrics[key].get(k)) for k in ("precision", "recall", "f1")), ""])
    return table_rows(["type", "precision", "recall", "F1", "support"], rows)
