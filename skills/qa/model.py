"""Extractive question answering (SQuAD-style spans) through the `qa` LoRA adapter.

The question and each candidate passage are encoded together in overlapping windows; each passage's best spans are
those with the highest start+end logit over its windows (Devlin et al. 2019, section 4.2). Which span answers, and
how it is worded, is the reader's choice (`skills/qa/reader.py`: the span score with a retrieval prior, whole
phrases, yes/no answers); this module runs the model and builds the result the chat shows.
"""

from __future__ import annotations

from typing import Any

import torch

from core.errors import InputError
from core.records import SkillInputs
from skills.base import Passage, SkillRequest, SkillResult
from skills.encoder import AdapterSkill, SharedEncoder
from skills.qa.answer_type import expected_type
from skills.qa.data import encode_windows
from skills.qa.phrases import clean_answer, escape_markdown, snap_to_words
from skills.qa.reader import (
    ReaderConfig,
    Reading,
    Span,
    best_per_passage,
    floor_score,
    passage_order,
    read,
)
from skills.qa.spec import SPEC
from skills.qa.tables import to_original, with_column_names
from skills.qa.yesno import Evidence, YesNo, evidence_candidates, evidence_score, is_yes_no_question

MAX_ANSWER_TOKENS = 30
SPANS_PER_PASSAGE = 10  # candidates kept per passage: the reader drops those that cross a table cell or list item


def best_spans(
    start_logits: list[float],
    end_logits: list[float],
    offsets: list[tuple[int, int]],
    in_context: list[bool],
    top_k: int = 3,
    max_answer_tokens: int = MAX_ANSWER_TOKENS,
) -> list[Span]:
    """The `top_k` highest-scoring spans of context tokens, as character offsets, best first."""
    context_positions = [i for i, inside in enumerate(in_context) if inside]
    starts = sorted(context_positions, key=lambda i: -start_logits[i])[:20]
    ends = sorted(context_positions, key=lambda i: -end_logits[i])[:20]
    candidates = [
        Span(offsets[s][0], offsets[e][1], start_logits[s] + end_logits[e])
        for s in starts
        for e in ends
        if s <= e < s + max_answer_tokens
    ]
    candidates.sort(key=lambda span: -span.score)
    unique: list[Span] = []
    for span in candidates:
        if all((span.start, span.end) != (u.start, u.end) for u in unique):
            unique.append(span)
        if len(unique) == top_k:
            break
    return unique


def spans_from_logits(encoding, logits: torch.Tensor, context: str, top_k: int = 3) -> list[Span]:
    """Best word-aligned spans over all windows of one (question, context) encoding; logits [windows, tokens, 2]."""
    spans: list[Span] = []
    for window in range(logits.shape[0]):
        in_context = [sid == 1 for sid in encoding.sequence_ids(window)]
        offsets = [tuple(o) for o in encoding["offset_mapping"][window].tolist()]
        spans += best_spans(logits[window, :, 0].tolist(), logits[window, :, 1].tolist(), offsets, in_context, top_k)
    spans.sort(key=lambda span: -span.score)
    unique: dict[tuple[int, int], Span] = {}
    for span in spans:
        start, end = snap_to_words(context, span.start, span.end)
        unique.setdefault((start, end), Span(start, end, span.score))
    return list(unique.values())[:top_k]


class QASkill(AdapterSkill):
    spec = SPEC

    def __init__(self, encoder: SharedEncoder, reader: ReaderConfig | None = None) -> None:
        super().__init__(encoder)
        self.reader = reader or ReaderConfig.from_env()  # bench/kb.py swaps it to measure both readers

    def run(self, request: SkillRequest) -> SkillResult:
        if not request.passages:
            raise InputError("I have no passage to answer from: paste a text first, or add documents to the KB.")
        spans = [self.answer_spans(request.text, p.text, top_k=SPANS_PER_PASSAGE) for p in request.passages]
        reading = read(request.text, request.passages, spans, self.reader, self.evidence(request))
        if reading is None:
            raise InputError("I could not find an answer in the passages I read; try asking in other words.")
        passage = request.passages[reading.passage]
        held_to = floor_score(request.text, reading, request.passages, self.reader, request.follow_up)
        if held_to is not None and held_to < self.reader.min_answer_score:
            raise InputError(
                f"I found nothing in your documents that answers that: the best I could read, “{reading.answer}” in "
                f"“{passage.source[3:]}”, scored {held_to:.1f}, below the {self.reader.min_answer_score:g} an answer "
                "needs. Ask in other words, or add a document about it."
            )
        return SkillResult(
            text=_bubble(reading, passage),
            confidence=round(_confidence(reading), 4),
            data=_data(request.text, reading, passage),
            rationale=_rationale(request.text, reading, request.passages, self.reader, held_to),
            inputs=SkillInputs(text=request.text, question=request.text, passage=passage.text, source=passage.source),
        )

    def evidence(self, request: SkillRequest) -> list[Evidence]:
        """For a yes/no question read by the phrases reader, the passages' sentences that may answer it, scored by
        their similarity to it (the shared encoder's sentence embeddings, as retrieval's) and the question's words
        they repeat; [] otherwise. The span reader, trained on wh-questions, often lands on a sentence that does not
        speak of what a yes/no question asks."""
        if self.reader.mode == "plain" or not is_yes_no_question(request.text):
            return []
        texts = [p.text for p in request.passages]
        found = evidence_candidates(request.text, texts)
        sentences = [texts[n][slice(*sentence)] for n, sentence in found]
        vectors = self.encoder.embed([request.text, *(clean_answer(s) for s in sentences)])
        similarities = vectors[1:] @ vectors[0]
        return [
            Evidence(n, sentence, evidence_score(request.text, text, float(similarity)))
            for (n, sentence), text, similarity in zip(found, sentences, similarities, strict=True)
        ]

    def answer_spans(self, question: str, context: str, top_k: int = 3) -> list[Span]:
        """The model's best spans of `context`, as its offsets; a Markdown table is read row by row with its column
        names (`skills/qa/tables.py`)."""
        info = self.bundle
        read_text, origin = with_column_names(context)
        encoding = encode_windows(
            self.encoder.tokenizer, question, read_text, info.max_length, padding=True, return_tensors="pt"
        )
        with torch.inference_mode(), self.encoder.adapter(self.name) as head:
            logits = self.encoder.logits(
                head, encoding["input_ids"], encoding["attention_mask"], token_type_ids=encoding["token_type_ids"]
            )
        spans: dict[tuple[int, int], Span] = {}
        for span in spans_from_logits(encoding, logits, read_text, top_k):
            found = to_original(origin, span.start, span.end)
            if found is not None:
                spans.setdefault(found, Span(*found, span.score))
        return list(spans.values())


def _confidence(reading: Reading) -> float:
    scores = torch.tensor([c.score for c in reading.candidates[:10]])
    return float(scores.softmax(0)[0])


def _describe_source(passage: Passage) -> str:
    if passage.source.startswith("kb:"):
        return f"the knowledge base, document “{passage.source[3:]}”"
    if passage.source == "picture":
        return "the text read from your picture"
    return "the passage you pasted" if passage.source == "conversation" else "the passage in your message"


def _bubble(reading: Reading, passage: Passage) -> str:
    """The chat bubble (Markdown): the answer in bold ("**No** – <sentence>" for a yes/no), then its source. The
    answer's own characters are escaped so that a password such as "sea*gull*" shows as typed."""
    source = f"_from {_describe_source(passage)}_"
    verdict = reading.yes_no.answer if reading.yes_no else None
    if verdict is not None:
        word, _, sentence = reading.answer.partition(" – ")
        return f"**{word}** – {escape_markdown(sentence)}\n\n{source}"
    if reading.yes_no is not None:
        return f"{escape_markdown(reading.answer)}\n\n{source}"
    return f"**{escape_markdown(reading.answer)}**\n\n{source}"


def _data(question: str, reading: Reading, passage: Passage) -> dict[str, Any]:
    """The structured answer: the text shown (`answer`), the exact evidence span (`start`, `end`, `span_text`: a
    slice of the passage, which feedback trains on) and, for a yes/no question, the verdict and its sentence."""
    data = {
        "answer": reading.answer,
        "start": reading.start,
        "end": reading.end,
        "span_text": passage.text[reading.start : reading.end],
        "source": passage.source,
        "score": round(reading.chosen.span.score, 4),
        "question": question,
    }
    if reading.yes_no is not None:
        sentence = reading.yes_no.sentence
        data["yes_no"] = reading.yes_no.answer
        data["evidence_sentence"] = {"start": sentence[0], "end": sentence[1], "text": passage.text[slice(*sentence)]}
    return data


def _rationale(
    question: str, reading: Reading, passages: tuple[Passage, ...], config: ReaderConfig, held_to: float | None
) -> dict[str, Any]:
    """What the "why" panel shows: the evidence passage and span, every passage read with its retrieval score and
    best span, the scoring rule, the score floor it passed (None where none applies), the next best answers and, for
    a yes/no question, the rule that decided."""
    chosen = passages[reading.passage]
    span = reading.chosen.span
    rationale: dict[str, Any] = {
        "evidence": chosen.to_dict(),
        "span": {"start": reading.start, "end": reading.end, "score": round(span.score, 4)},
        "reader_span": {"start": span.start, "end": span.end, "text": chosen.text[span.start : span.end]},
        "passages": _passages_read(reading, passages),
        "passages_read": len(passages),
        "scoring": _scoring(config, question),
        "floor": None if held_to is None else {"score": round(held_to, 4), "least": config.min_answer_score},
        "alternatives": [
            {
                "answer": passages[c.passage].text[c.span.start : c.span.end],
                "score": round(c.score, 4),
                "source": passages[c.passage].source,
            }
            for c in reading.candidates[1:3]
        ],
        "confidence_is": "softmax of the best span's score against the runner-up spans",
    }
    if reading.yes_no is not None:
        rationale["yes_no"] = _yes_no(reading.yes_no, chosen.text)
    return rationale


def _passages_read(reading: Reading, passages: tuple[Passage, ...]) -> list[dict[str, Any]]:
    """Every passage read with its retrieval rank and best span, in the reader's order (`passage_order`): the one
    answered from first."""
    best = best_per_passage(reading, len(passages))
    rows = []
    for index in passage_order(reading, len(passages)):
        row = {**passages[index].to_dict(), "rank": index + 1, "best_span": None}
        candidate = best[index]
        if candidate is not None:
            row["best_span"] = {
                "text": passages[index].text[candidate.span.start : candidate.span.end],
                "start": candidate.span.start,
                "end": candidate.span.end,
                "span_score": round(candidate.span.score, 4),
                "prior": round(candidate.prior, 4),
                "expected_kind": candidate.typed,
                "question_words": candidate.overlap,
                "score": round(candidate.score, 4),
            }
        rows.append(row)
    return rows


def _scoring(config: ReaderConfig, question: str) -> str:
    if config.mode == "plain":
        return "span score (start + end logit) alone, over every passage read"
    prior = "-log(retrieval rank)" if config.prior == "rank" else "the passage's cosine similarity"
    kind = expected_type(question)
    expected = f"a {kind} answer" if kind else "no particular kind of answer (no rule matched)"
    return (
        f"span score + {config.retrieval_weight:g} × {prior} + {config.type_weight:g} if the span is of the kind "
        f"asked (here: {expected}) + {config.overlap_weight:g} per word of the question its sentence repeats; "
        "the span widened to a whole phrase"
    )


def _yes_no(verdict: YesNo, text: str) -> dict[str, Any]:
    return {
        "answer": verdict.answer,
        "reason": verdict.reason,
        "sentence": {"start": verdict.sentence[0], "end": verdict.sentence[1]},
        "clause": {"start": verdict.clause[0], "end": verdict.clause[1], "text": text[slice(*verdict.clause)]},
        "negations": list(verdict.negations),
        "question_negations": list(verdict.question_negations),
        "shared_words": list(verdict.shared),
        "contraries": list(verdict.contraries),
        "rule": "a question opening with an auxiliary (is, can, do, ...) is yes/no; the evidence is the sentence most "
        "similar to it (with a bonus per word of the question it repeats), and its clause that repeats most of the "
        "question decides: a negation, or a word that denies what was asked (free for charged, closed for open), says "
        "no, unless the question has its own negation; no negation and a word of the question says yes; otherwise "
        "undecided",
    }


def build(encoder: SharedEncoder) -> QASkill:
    return QASkill(encoder)
