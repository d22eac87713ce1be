"""Are the chat's explanations faithful? ERASER AOPC of the chat's word attributions against other methods.

    python -m bench.faithfulness --data ../shared/data [--skill sentiment|ner|all] [--limit N]
        [--out docs/faithfulness.json] [--plot docs/faithfulness.png] [--threads 1]

- Sentiment, SST-2 dev.tsv: the predicted label's probability; every word is a candidate.
- NER, CoNLL-2003 eng.testb: each predicted entity that matches a gold entity (span and type); the entity's type
  probability averaged over its words; the candidates are the words outside the entity.
Per method (`bench/attributions.py`): AOPC comprehensiveness and sufficiency (`bench/aopc.py`) with two erasures,
"delete" (ERASER's; the headline) and "mask" ([MASK] in place, as occlusion does), the cost of one explanation
(median, p95 ms), and each method's mean rank correlation with the chat's. Then the parameter randomisation test
(`bench/randomisation.py`) and the chat's explanation latency on 28-32-token SST-2 sentences and on testb sentences
in which the chat finds exactly three entities (the explanation alone, and the whole `skill.run`).
Samples are seeded shuffles of the report split (`--split selection`: SST-2 train texts of ten words or more and
CoNLL testa, to choose settings on); times are wall-clock with `--threads` torch threads. The table
and the figure are drawn by `bench/faithfulness_report.py`.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

import torch
from tqdm import tqdm

from bench.aopc import K_FRACTIONS, aopc, k_counts, percentile, ranking, rationale_erasures, spearman
from bench.attributions import CHAT_METHODS, METHOD_NAMES, METHODS, Example, Target, method_scores
from bench.faithfulness_report import markdown_table, plot
from bench.randomisation import randomisation_test
from skills.base import SkillRequest
from skills.encoder import PRECISIONS
from skills.ner.decode import decode_entities, encode_words
from skills.ner.spec import ENTITY_TYPES

log = logging.getLogger(__name__)

SKILLS = ("sentiment", "ner")
DEFAULT_LIMITS = {"sentiment": 150, "ner": 100}  # with the defaults below, about 15 minutes on 2 busy cores
ERASURES = ("delete", "mask")
TARGET_MS = {"sentiment": 100, "ner": 150}
LATENCY_TOKENS = (28, 32)  # "a 30-token message": SST-2 sentences of 28-32 word pieces
SELECTION_MIN_WORDS = 10


def gold_spans(tokens: list[str], tags: list[str]) -> set[tuple[int, int, str]]:
    """(start, end, type) character spans of the BIO entities of a sentence whose text is `" ".join(tokens)`."""
    spans, start, kind, cursor, end = set(), None, None, 0, 0
    for token, tag in zip(tokens, tags, strict=True):
        if kind is not None and not (tag.startswith("I-") and tag[2:] == kind):
            spans.add((start, end, kind))
            kind = None
        if tag != "O" and kind is None:
            start, kind = cursor, tag[2:]
        end = cursor + len(token)
        cursor = end + 1
    if kind is not None:
        spans.add((start, end, kind))
    return spans


def _word_texts(text: str, enc, candidates: list[int]) -> dict[int, str]:
    return {w: text[slice(*enc.word_to_chars(0, w))] for w in candidates}


def sentiment_examples(skill, texts: list[str]) -> list[Example]:
    examples = []
    for text in texts:
        enc = skill.encode(text)
        word_ids = enc.word_ids(0)
        candidates = sorted({w for w in word_ids if w is not None})
        if not candidates:
            continue
        with torch.inference_mode(), skill.encoder.adapter("sentiment") as head:
            probabilities = skill.encoder.logits(head, enc["input_ids"], enc["attention_mask"]).softmax(-1)[0]
        label = int(probabilities.argmax())
        examples.append(
            Example(
                "sentiment",
                text,
                enc["input_ids"][0].tolist(),
                word_ids,
                candidates,
                label,
                float(probabilities[label]),
                encoding=enc,
                word_text=_word_texts(text, enc, candidates),
            )
        )
    return examples


def _within(span, entity) -> bool:
    """Whether a word's character span lies inside `entity` (the NER skill's own test)."""
    return span[0] >= entity.start and span[1] <= entity.end


def ner_examples(skill, sentences, limit: int) -> list[Example]:
    """Examples for the predicted entities that match a gold entity, in sentence order, until `limit`."""
    examples: list[Example] = []
    for sentence in sentences:
        text = " ".join(sentence.tokens)
        gold = gold_spans(sentence.tokens, sentence.tags)
        entities = [e for e in decode_entities(text, skill.predict_words(text)) if (e.start, e.end, e.type) in gold]
        if not entities:
            continue
        encoded = encode_words(text, skill.encoder.tokenizer, skill.bundle.max_length, windows=False)
        enc, word_ids, spans = encoded.encoding, encoded.word_ids(0), encoded.spans
        shapes = encoded.shape_ids[0].tolist()
        for entity in entities:
            inside = {w for w in set(word_ids) - {None} if _within(spans[w], entity)}
            candidates = sorted(set(word_ids) - {None} - inside)
            positions = tuple(word_ids.index(w) for w in sorted(inside))
            if not inside or not candidates or spans[max(inside)][1] != entity.end:
                continue  # the entity runs past the first window, or the sentence is the entity alone
            example = Example(
                "ner",
                text,
                enc["input_ids"][0].tolist(),
                word_ids,
                candidates,
                ENTITY_TYPES.index(entity.type),
                shapes=shapes,
                positions=positions,
                entity=entity,
                word_text={w: text[slice(*spans[w])] for w in candidates},
            )
            nothing_erased = ("delete", frozenset())
            with skill.encoder.adapter("ner") as head:
                example.full = Target(skill.encoder, head, example).evaluate([nothing_erased])[nothing_erased]
            examples.append(example)
            if len(examples) == limit:
                return examples
    return examples


def evaluate(skills: dict, examples: list[Example], methods: tuple[str, ...], seed: int = 13) -> dict:
    """AOPC per method and erasure, cost per explanation, agreement with the chat; plus the chat's attributions."""
    encoder = skills["sentiment"].encoder
    comp = {m: {e: [] for e in ERASURES} for m in methods}
    suff = {m: {e: [] for e in ERASURES} for m in methods}
    per_k = {m: [] for m in methods}
    cost = {m: [] for m in methods}
    agreement = {m: [] for m in methods}
    chat, shown = [], []
    for index, example in enumerate(tqdm(examples, desc=f"{examples[0].skill} attributions" if examples else "")):
        with encoder.adapter(example.skill) as head:
            target = Target(encoder, head, example)
            orders, scores = {}, {}
            for method in methods:
                started = time.perf_counter()
                scores[method] = method_scores(method, skills, target, seed * 100_003 + index)
                cost[method].append(1000 * (time.perf_counter() - started))
                orders[method] = ranking(scores[method])
            wanted = [(e, s) for e in ERASURES for o in orders.values() for pair in rationale_erasures(o) for s in pair]
            probability = target.evaluate(wanted)
        for method, order in orders.items():
            for erasure in ERASURES:
                c, s, k_pairs = aopc(example.full, lambda words, e=erasure, p=probability: p[(e, words)], order)
                comp[method][erasure].append(c)
                suff[method][erasure].append(s)
                if erasure == "delete":
                    per_k[method].append(k_pairs)
            if "chat" in scores and len(example.candidates) >= 3:
                rho = spearman(*([scores[m][w] for w in example.candidates] for m in ("chat", method)))
                if not math.isnan(rho):
                    agreement[method].append(rho)
        if "chat" in scores:
            chat.append(scores["chat"])
        if index < 3:
            shown.append(_shown(example, orders))
    rows = {
        m: {
            "name": CHAT_METHODS[examples[0].skill] if m == "chat" else METHOD_NAMES[m],
            "comprehensiveness": {e: round(statistics.fmean(comp[m][e]), 4) for e in ERASURES},
            "sufficiency": {e: round(statistics.fmean(suff[m][e]), 4) for e in ERASURES},
            "per_k_delete": [[round(statistics.fmean(k[i][j] for k in per_k[m]), 4) for j in (0, 1)] for i in range(5)],
            "cost_ms": _ms(cost[m]),
            "spearman_with_chat": round(statistics.fmean(agreement[m]), 3) if agreement[m] else None,
        }
        for m in methods
    }
    return {"methods": rows, "examples": shown, "chat_scores": chat}


def _shown(example: Example, orders: dict) -> dict:
    """The top three words per method for one example, for the report."""
    about = example.text if example.skill == "sentiment" else f"{example.text}  [{example.entity.text}]"
    return {"text": about, "top_words": {m: [example.word_text[w] for w in o[:3]] for m, o in orders.items()}}


def _timed(function, repeats: int) -> list[float]:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        timings.append(1000 * (time.perf_counter() - started))
    return timings


def _ms(timings: list[float]) -> dict:
    return {"median": round(statistics.median(timings), 1), "p95": round(percentile(timings, 0.95), 1)}


def _latency(explain: list, run: list, repeats: int, what: str, tokens: list[int]) -> dict:
    for function in explain[:2] + run[:2]:
        function()  # warm-up
    explain_ms = [t for f in explain for t in _timed(f, repeats)]
    run_ms = [t for f in run for t in _timed(f, repeats)]
    return {
        "what": what,
        "n_texts": len(explain),
        "tokens": {"median": statistics.median(tokens), "max": max(tokens)} if tokens else {},
        "repeats": repeats,
        "explanation_ms": _ms(explain_ms),
        "whole_run_ms": _ms(run_ms),
    }


def sentiment_latency(skill, texts: list[str], limit: int, repeats: int) -> dict:
    low, high = LATENCY_TOKENS
    chosen = [t for t in texts if low <= len(skill.encode(t)["input_ids"][0]) - 2 <= high][:limit]

    def explain(text: str):
        enc = skill.encode(text)
        with torch.inference_mode(), skill.encoder.adapter("sentiment") as head:
            label = int(skill.encoder.logits(head, enc["input_ids"], enc["attention_mask"]).argmax())
        return lambda: skill.word_scores(enc, label)

    return _latency(
        [explain(t) for t in chosen],
        [lambda t=t: skill.run(SkillRequest(t)) for t in chosen],
        repeats,
        f"SST-2 dev sentences of {low}-{high} tokens; explanation = SentimentSkill.word_scores (prediction excluded)",
        [len(skill.encode(t)["input_ids"][0]) - 2 for t in chosen],
    )


def ner_latency(skill, sentences, limit: int, repeats: int) -> dict:
    chosen = []
    for sentence in sentences:
        text = " ".join(sentence.tokens)
        entities = decode_entities(text, skill.predict_words(text))
        if len(entities) == 3:
            chosen.append((text, entities))
        if len(chosen) == limit:
            break
    return _latency(
        [lambda t=t, e=e: skill.context_words(t, e) for t, e in chosen],
        [lambda t=t: skill.run(SkillRequest(t)) for t, _ in chosen],
        repeats,
        "eng.testb sentences with exactly three predicted entities; explanation = NerSkill.context_words "
        "(all three entities; prediction and runner-up types excluded)",
        [
            len(skill.encoder.tokenizer(t, truncation=True, max_length=skill.bundle.max_length)["input_ids"]) - 2
            for t, _ in chosen
        ],
    )


def targets(skill: str, result: dict) -> dict:
    """The issue's targets for the chat's method, on the headline ("delete") erasure, with the figures behind them."""
    comp = {m: row["comprehensiveness"]["delete"] for m, row in result["methods"].items()}
    best = max(comp, key=comp.get)
    p95 = result["latency"]["explanation_ms"]["p95"]
    return {
        "comprehensiveness_vs_random": {
            "chat": comp["chat"],
            "random": comp["random"],
            "ratio": round(comp["chat"] / comp["random"], 2) if comp["random"] > 0 else None,
            "met": comp["chat"] >= 3 * comp["random"],
        },
        "within_10_percent_of_best": {
            "best": best,
            "best_value": comp[best],
            "share_of_best": round(comp["chat"] / comp[best], 3) if comp[best] > 0 else None,
            "met": comp["chat"] >= 0.9 * comp[best],
        },
        "p95_explanation_ms": {"value": p95, "limit": TARGET_MS[skill], "met": p95 <= TARGET_MS[skill]},
    }


def run_skill(skills: dict, skill: str, data: Path, args) -> dict:
    from skills.ner.data import read_conll
    from skills.sentiment.data import read_sst_tsv
    from training.data import data_spec

    limit = args.limit or DEFAULT_LIMITS[skill]
    rng = random.Random(args.seed)
    if skill == "sentiment":
        file = data_spec(skill).files["report" if args.split == "report" else "train"]
        texts = [item.text for item in read_sst_tsv(data / data_spec(skill).folder / file)]
        if args.split == "selection":  # train.tsv is mostly phrases; keep sentence-like ones
            texts = [text for text in texts if len(text.split()) >= SELECTION_MIN_WORDS]
        rng.shuffle(texts)
        examples = sentiment_examples(skills[skill], texts[:limit])
        split = f"SST-2 {file}"
        if args.split == "selection":
            split += f" (texts of at least {SELECTION_MIN_WORDS} words)"
    else:
        file = data_spec(skill).files["report" if args.split == "report" else "select"]
        sentences = read_conll(data / data_spec(skill).folder / file)
        rng.shuffle(sentences)
        examples = ner_examples(skills[skill], tqdm(sentences, desc="finding entities", leave=False), limit)
        split = f"CoNLL-2003 {file} (predicted entities matching gold)"
    log.info("%s: %d examples", skill, len(examples))
    always = ("chat", "random")  # the targets compare with these
    methods = METHODS[skill] if not args.methods else (*always, *(m for m in args.methods if m not in always))
    result = evaluate(skills, examples, methods, seed=args.seed)
    chat = result.pop("chat_scores")
    n = min(len(examples), args.randomisation_limit)
    result["randomisation"] = randomisation_test(skills, skills[skill].encoder, examples[:n], chat[:n], args.seed)
    result["latency"] = (
        sentiment_latency(skills[skill], texts, args.latency_limit, args.repeats)
        if skill == "sentiment"
        else ner_latency(skills[skill], sentences, args.latency_limit, args.repeats)
    )
    sizes = [len(e.candidates) for e in examples]
    result.update(split=split, n=len(examples), candidate_words={"median": statistics.median(sizes), "max": max(sizes)})
    result["k_fractions"] = list(K_FRACTIONS)
    result["k_words_at_median"] = k_counts(int(statistics.median(sizes)))
    result["targets"] = targets(skill, result)
    return result


def environment(threads: int, precision: str) -> dict:
    import captum
    import peft

    return {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU cores, no GPU",
        "torch_threads": threads,
        "explanation_precision": precision,
        "versions": {"torch": torch.__version__, "captum": captum.__version__, "peft": peft.__version__},
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
        "date": time.strftime("%Y-%m-%d"),
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, type=Path, help="the benchmark root, e.g. ../shared/data")
    parser.add_argument("--skill", default="all", choices=[*SKILLS, "all"])
    parser.add_argument(
        "--split",
        default="report",
        choices=("report", "selection"),
        help="report: SST-2 dev, CoNLL testb; selection (to choose settings on): SST-2 train texts, CoNLL testa",
    )
    parser.add_argument(
        "--methods", nargs="+", help="only these methods (besides the chat's and random), e.g. ig_4 ig_6 loo_delete"
    )
    parser.add_argument("--limit", type=int, help="examples per skill (default: 150 sentences, 100 entities)")
    parser.add_argument("--out", type=Path, help="write the results as JSON here (e.g. docs/faithfulness.json)")
    parser.add_argument("--plot", type=Path, help="write the figure here (default: beside --out, .png)")
    parser.add_argument("--adapters", type=Path, default=Path(__file__).resolve().parents[1] / "adapters")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (1: stable timings on busy cores)")
    parser.add_argument("--precision", default="auto", choices=PRECISIONS, help="of the explanation models")
    parser.add_argument("--randomisation-limit", type=int, default=60, help="examples in the randomisation test")
    parser.add_argument("--latency-limit", type=int, default=40, help="texts in each latency measurement")
    parser.add_argument("--repeats", type=int, default=2, help="timed runs of each latency text")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    torch.set_num_threads(args.threads)

    from skills import build_skills
    from skills.encoder import SharedEncoder
    from skills.registry import skill_names

    started = time.perf_counter()
    encoder = SharedEncoder(explanation_precision=args.precision)
    report = {
        "environment": environment(args.threads, encoder.explanation_precision),
        "command": "python -m bench.faithfulness " + " ".join(sys.argv[1:] if argv is None else argv),
        "skills": {},
    }
    skills = build_skills(encoder, {name: args.adapters / name for name in skill_names(trainable=True)})
    for skill in SKILLS if args.skill == "all" else (args.skill,):
        report["skills"][skill] = run_skill(skills, skill, args.data, args)
        print(f"\n{skill} (n={report['skills'][skill]['n']})\n{markdown_table(report['skills'][skill])}")
        print(json.dumps(report["skills"][skill]["targets"], indent=1))
    report["environment"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    report["environment"]["seconds"] = round(time.perf_counter() - started)
    if args.out:
        args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    plot_path = args.plot or (args.out.with_suffix(".png") if args.out else None)
    if plot_path:
        plot(report["skills"], plot_path, args.threads)
    return report


if __name__ == "__main__":
    main(sys.argv[1:])
