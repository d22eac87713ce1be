"""How the QA skill picks its answer among the spans of every passage it read, and how it words it (pure functions).

Today's reader ("plain") trusts the span logits alone: the best start+end score over every window of every passage
(Devlin et al. 2019, section 4.2). Span scores are not comparable across passages, though — each window is
normalised on its own — so a confident span in the third retrieved passage beats the right one in the first (Clark &
Gardner 2018, "Simple and Effective Multi-Paragraph Reading Comprehension", who fix it with a shared normalisation).
The "phrases" reader adds the retrieval's opinion as a prior, the way open-domain readers combine retriever and reader
scores (Lee et al. 2019, ORQA; Yang et al. 2019, BERTserini, whose linear mix of the two scores is this one), and two
checks of the span itself:

    score(span in passage p) = span score + λ · log prior(p) + μ · [the span is of the expected kind]
                               + ν · (content words of the question its sentence repeats)

The prior is rank-based, prior(p) ∝ 1 / rank(p) (whichever ranking retrieval used: hybrid, dense or BM25), or
cosine-based, log prior(p) = cosine(p) up to a constant (a softmax over passages at temperature 1/λ). The expected
kind ("how much" wants money, "what time" a clock time, "who" a name: `skills/qa/answer_type.py`) is the classic
answer-type check of open-domain QA (Moldovan et al. 2000); the word overlap is the lexical-match feature of answer
sentence selection and of DrQA's reader (Chen et al. 2017, "Reading Wikipedia to Answer Open-Domain Questions").
The prior's kind, λ, μ and ν were chosen on the hand-written dev set (bench/data/kb_dev/, `python -m bench.kb
--split dev --sweep`): on its first 44 questions rank, λ 5, μ 8, ν 2; on all 102 (the first set proved too small)
cosine, λ 20, μ 8, ν 2, the best point (84.8 F1 on the questions the reader was given, rank λ 5: 82.3). The least
score an answer from the knowledge base needs (`min_answer_score`, `floor_score`) was chosen with it on the dev set's
answerable and unanswerable questions, then again on that set and the understanding dev set together (questions typed
as people type them, in dialogues: `bench/answer_floor.py`); docs/BENCHMARKS.md. The held-out set only reports.
Passages the user pasted have no retrieval score and get no prior.

The "phrases" reader then widens the span to a whole phrase (`skills/qa/phrases.py`) and answers yes/no questions
with their evidence sentence (`skills/qa/yesno.py`). `mode="plain"` keeps today's reader, so both can be measured.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from skills.base import Passage
from skills.qa.answer_type import expected_type, matches, range_part, typed_part
from skills.qa.phrases import clean_answer, crosses_structure, trim_edges, whole_phrase
from skills.qa.yesno import (
    Evidence,
    YesNo,
    content_words,
    decide,
    decide_sentence,
    is_yes_no_question,
    sentence_bounds,
    shared_words,
    words,
    yes_no_text,
)

READER_MODES = ("phrases", "plain")
PRIORS = ("rank", "cosine")


@dataclass(frozen=True)
class ReaderConfig:
    """The QA reader's settings; `from_env` maps `EXCHAT_QA_*` variables onto the fields."""

    mode: str = field(
        default="phrases",
        metadata={
            "env": "EXCHAT_QA_READER",
            "help": "phrases (whole phrases, yes/no answers, retrieval prior) or plain (span logits alone)",
        },
    )
    prior: str = field(
        default="cosine",
        metadata={"env": "EXCHAT_QA_PRIOR", "help": "the retrieval prior: rank (1/rank) or cosine"},
    )
    retrieval_weight: float = field(
        default=20.0,
        metadata={"env": "EXCHAT_QA_RETRIEVAL_WEIGHT", "help": "λ, the weight of the log prior; 0 turns it off"},
    )
    type_weight: float = field(
        default=8.0,
        metadata={
            "env": "EXCHAT_QA_TYPE_WEIGHT",
            "help": "μ, the bonus of a span of the kind the question expects (skills/qa/answer_type.py); 0: none",
        },
    )
    overlap_weight: float = field(
        default=2.0,
        metadata={
            "env": "EXCHAT_QA_OVERLAP_WEIGHT",
            "help": "ν, the bonus per content word of the question that the span's sentence repeats; 0: none",
        },
    )

    # 11: the smallest best point of the joint sweep on both dev sets (`bench.answer_floor`: knowledge-base dev F1 plus
    # unanswerable questions refused, plus understanding dev turns right), tied with 18, which refuses 5 more
    # unanswerable questions but 2 answerable ones and 3 typed turns; docs/BENCHMARKS.md.
    min_answer_score: float = field(
        default=11.0,
        metadata={
            "env": "EXCHAT_QA_MIN_ANSWER_SCORE",
            "help": "least score (span score + λ·log prior + μ + ν·words) of an answer read from the knowledge base; "
            "below it the bot says it found no answer. Yes/no answers and pasted passages are never refused",
        },
    )

    def __post_init__(self) -> None:
        if self.mode not in READER_MODES:
            raise ValueError(f"reader mode must be one of {', '.join(READER_MODES)}, got {self.mode!r}")
        if self.prior not in PRIORS:
            raise ValueError(f"reader prior must be one of {', '.join(PRIORS)}, got {self.prior!r}")
        for name in ("retrieval_weight", "type_weight", "overlap_weight"):
            if not 0.0 <= getattr(self, name) <= 100.0:
                raise ValueError(f"{name} must be in [0, 100], got {getattr(self, name)}")
        if not math.isfinite(self.min_answer_score):
            raise ValueError(f"min_answer_score must be a finite number, got {self.min_answer_score}")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> ReaderConfig:
        """Defaults, then `EXCHAT_QA_*` environment variables, then explicit keyword overrides."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in dataclasses.fields(cls):
            raw = environ.get(f.metadata["env"])
            if raw is not None:
                try:
                    values[f.name] = float(raw) if f.type == "float" else raw
                except ValueError as error:
                    raise ValueError(f"{f.metadata['env']}={raw!r} is not a number") from error
        return cls(**{**values, **overrides})


@dataclass(frozen=True)
class Span:
    start: int  # character offsets into the passage, end exclusive
    end: int
    score: float  # start logit + end logit


@dataclass(frozen=True)
class Candidate:
    passage: int  # index of the passage (in the order retrieval gave them)
    span: Span
    prior: float  # log prior of the passage (0 without a retrieval score)
    score: float  # span score + λ · prior (+ μ where typed): what the reader ranks by
    typed: bool = False  # the span, widened to a phrase, is of the kind the question expects
    overlap: int = 0  # content words of the question that the span's sentence repeats


@dataclass(frozen=True)
class Reading:
    """The reader's answer: the text shown, the span's offsets in its passage, and how it was chosen."""

    answer: str  # what the user reads: a clean phrase, or "Yes – <sentence>"
    passage: int
    start: int  # offsets of the answer span in the passage: the exact evidence (after widening to a phrase)
    end: int
    chosen: Candidate  # the reader's own span, before widening
    candidates: tuple[Candidate, ...]  # every passage's spans, best first
    yes_no: YesNo | None = None  # set for a yes/no question read by the "phrases" reader


def retrieval_priors(passages: Sequence[Passage], kind: str) -> list[float]:
    """Each passage's log prior: -log(rank) (rank from 1, in the order given) or its cosine; 0 where the passage
    has no retrieval score (pasted text)."""
    priors = []
    for rank, passage in enumerate(passages, start=1):
        if passage.retrieval_score is None:
            priors.append(0.0)
        else:
            priors.append(-math.log(rank) if kind == "rank" else float(passage.retrieval_score))
    return priors


def rank_candidates(
    question: str, passages: Sequence[Passage], spans: Sequence[Sequence[Span]], config: ReaderConfig
) -> list[Candidate]:
    """Every passage's spans as candidates, best first by span score + λ · log prior + μ · [of the expected kind]
    (plain: span score alone). The phrases reader drops, where a passage has others, spans that cross a sentence, a
    table cell, a list item or a paragraph: they join two facts."""
    if config.mode == "plain":
        found = [Candidate(i, s, 0.0, s.score) for i, spans_of in enumerate(spans) for s in spans_of]
        return sorted(found, key=lambda c: -c.score)
    priors = retrieval_priors(passages, config.prior)
    expected = expected_type(question)
    asked = content_words(question)
    candidates = []
    for index, (passage, found) in enumerate(zip(passages, spans, strict=True)):
        text = passage.text
        kept = [s for s in found if not crosses_structure(text, s.start, s.end) and not crosses_sentence(text, s)]
        for span in kept or found:
            typed = matches(expected, question, text, *whole_phrase(text, span.start, span.end))
            score = span.score + config.retrieval_weight * priors[index] + (config.type_weight if typed else 0.0)
            sentence = text[slice(*sentence_bounds(text, span.start, span.end))]
            overlap = len(shared_words(asked, words(sentence)))
            score += config.overlap_weight * overlap
            candidates.append(Candidate(index, span, priors[index], score, typed, overlap))
    candidates.sort(key=lambda c: -c.score)
    return candidates


def crosses_sentence(text: str, span: Span) -> bool:
    """Whether the span runs over the end of a sentence (a break `sentence_bounds` finds)."""
    return span.end > sentence_bounds(text, span.start, span.start + 1)[1] + 1


def read(
    question: str,
    passages: Sequence[Passage],
    spans: Sequence[Sequence[Span]],
    config: ReaderConfig,
    evidence: Sequence[Evidence] = (),
) -> Reading | None:
    """The answer to `question` from the passages' candidate spans (`spans[i]` are passage i's); None when no
    passage gave a span. A yes/no question rests on the best of `evidence` (sentences scored by their similarity to
    the question), or, where none is given, on the sentence of the best span."""
    candidates = tuple(rank_candidates(question, passages, spans, config))
    if not candidates:
        return None
    best = candidates[0]
    text = passages[best.passage].text
    if config.mode == "plain":
        span = best.span
        return Reading(text[span.start : span.end], best.passage, span.start, span.end, best, candidates)
    start, end = whole_phrase(text, best.span.start, best.span.end)
    if is_yes_no_question(question) and evidence:
        found = max(evidence, key=lambda e: e.score)
        text = passages[found.passage].text
        verdict = decide_sentence(question, text, found.sentence)
        own = next((c for c in candidates if c.passage == found.passage), best)
        start, end = trim_edges(text, *verdict.clause)
        return Reading(yes_no_text(verdict, text), found.passage, start, end, own, candidates, verdict)
    if is_yes_no_question(question):
        verdict = decide(question, text, start, end)
        return Reading(yes_no_text(verdict, text), best.passage, start, end, best, candidates, verdict)
    kind = expected_type(question)
    part = typed_part(kind, text, start, end) or range_part(question, kind, text, start, end)
    if part is not None:
        start, end = whole_phrase(text, *part)
    return Reading(clean_answer(text[start:end]), best.passage, start, end, best, candidates)


def passage_order(reading: Reading, count: int) -> list[int]:
    """The `count` passages in the order an answer lists them: the one it was read from, then the others by their
    best candidate's score, those without a candidate last (in retrieval order)."""
    best = best_per_passage(reading, count)
    others = [n for n in range(count) if n != reading.passage]
    others.sort(key=lambda n: (best[n] is None, -(best[n].score if best[n] else 0.0)))
    return [reading.passage, *others]


def floor_score(
    question: str, reading: Reading, passages: Sequence[Passage], config: ReaderConfig, follow_up: bool = False
) -> float | None:
    """The score an answer read from the knowledge base is compared with `config.min_answer_score` (below it the
    documents probably do not answer the question), or None where no floor applies. A question that expects no
    particular kind ("how do I return a bike?") cannot earn the kind bonus μ, so it is credited with it. A yes/no
    answer rests on its evidence sentence's similarity, not on a span score, and a pasted passage is what the user
    asked about: neither is held to the floor. Nor is a `follow_up` ("and the cost?" after an answer from the same
    document): an elliptical question scores low whatever it reads ("and the cost" read "£12" at 10.9 where "how
    much does the school trip cost" read it at 31.4), and the document it continues was found for the question
    before it."""
    if (
        config.mode == "plain"
        or follow_up
        or reading.yes_no is not None
        or passages[reading.passage].retrieval_score is None
    ):
        return None
    credit = config.type_weight if expected_type(question) is None else 0.0
    return reading.chosen.score + credit


def best_per_passage(reading: Reading, count: int) -> list[Candidate | None]:
    """The best candidate of each of the `count` passages (None for a passage with none)."""
    best: list[Candidate | None] = [None] * count
    for candidate in reading.candidates:
        if best[candidate.passage] is None:
            best[candidate.passage] = candidate
    return best
