"""How the QA skill picks its answer among the spans of every passage it read, and how it words it (pure functions).

Today's reader ("plain") trusts the span logits alone: the best start+end score over every window of every passage
(Devlin et al. 2019, section 4.2). Span scores are not comparable across passages, though — each window is
normalised on its own — so a confident span in the third retrieved passage beats the right one in the first (Clark &
Gardner 2018, "Simple and Effective Multi-Paragraph Reading Comprehension", who fix it with a shared normalisation).
The "phrases" reader adds the retrieval's opinion as a prior, the way open-domain readers combine retriever and reader
scores (Lee et al. 2019, ORQA; Yang et al. 2019, BERTserini, whose linear mix of the two scores is this one):

    score(span in passage p) = span score + λ · log prior(p)

with the prior either rank-based, prior(p) ∝ 1 / rank(p) (whichever ranking retrieval used: hybrid, dense or BM25),
or cosine-based, log prior(p) = cosine(p) up to a constant (a softmax over passages at temperature 1/λ). Which one,
and λ, were chosen on the hand-written dev set (bench/data/kb_dev/, `python -m bench.kb --split dev --sweep`); the
held-out set only reports. Passages the user pasted have no retrieval score and get no prior.

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
from skills.qa.phrases import clean_answer, crosses_structure, whole_phrase
from skills.qa.yesno import YesNo, decide, is_yes_no_question, yes_no_text

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
        default="rank",
        metadata={"env": "EXCHAT_QA_PRIOR", "help": "the retrieval prior: rank (1/rank) or cosine"},
    )
    retrieval_weight: float = field(
        default=1.0,
        metadata={"env": "EXCHAT_QA_RETRIEVAL_WEIGHT", "help": "λ, the weight of the log prior; 0 turns it off"},
    )

    def __post_init__(self) -> None:
        if self.mode not in READER_MODES:
            raise ValueError(f"reader mode must be one of {', '.join(READER_MODES)}, got {self.mode!r}")
        if self.prior not in PRIORS:
            raise ValueError(f"reader prior must be one of {', '.join(PRIORS)}, got {self.prior!r}")
        if not 0.0 <= self.retrieval_weight <= 100.0:
            raise ValueError(f"retrieval_weight must be in [0, 100], got {self.retrieval_weight}")

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
    score: float  # span score + λ · prior: what the reader ranks by


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
    passages: Sequence[Passage], spans: Sequence[Sequence[Span]], config: ReaderConfig
) -> list[Candidate]:
    """Every passage's spans as candidates, best first by span score + λ · log prior (plain: span score alone).
    The phrases reader drops spans that cross a table cell, list item or paragraph where a passage has others."""
    weight = config.retrieval_weight if config.mode == "phrases" else 0.0
    priors = retrieval_priors(passages, config.prior)
    candidates = []
    for index, (passage, found) in enumerate(zip(passages, spans, strict=True)):
        kept = list(found)
        if config.mode == "phrases":
            kept = [s for s in found if not crosses_structure(passage.text, s.start, s.end)] or kept
        candidates += [Candidate(index, s, priors[index], s.score + weight * priors[index]) for s in kept]
    candidates.sort(key=lambda c: -c.score)
    return candidates


def read(
    question: str, passages: Sequence[Passage], spans: Sequence[Sequence[Span]], config: ReaderConfig
) -> Reading | None:
    """The answer to `question` from the passages' candidate spans (`spans[i]` are passage i's); None when no
    passage gave a span."""
    candidates = tuple(rank_candidates(passages, spans, config))
    if not candidates:
        return None
    best = candidates[0]
    text = passages[best.passage].text
    if config.mode == "plain":
        span = best.span
        return Reading(text[span.start : span.end], best.passage, span.start, span.end, best, candidates)
    start, end = whole_phrase(text, best.span.start, best.span.end)
    if is_yes_no_question(question):
        verdict = decide(question, text, start, end)
        return Reading(yes_no_text(verdict, text), best.passage, start, end, best, candidates, verdict)
    return Reading(clean_answer(text[start:end]), best.passage, start, end, best, candidates)


def best_per_passage(reading: Reading, count: int) -> list[Candidate | None]:
    """The best candidate of each of the `count` passages (None for a passage with none)."""
    best: list[Candidate | None] = [None] * count
    for candidate in reading.candidates:
        if best[candidate.passage] is None:
            best[candidate.passage] = candidate
    return best
