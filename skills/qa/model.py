"""Extractive question answering (SQuAD-style spans) through the `qa` LoRA adapter.

The question and each candidate passage are encoded together in overlapping windows; the answer is the span
with the highest start+end logit over every window of every passage (Devlin et al. 2019, section 4.2).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from core.errors import InputError
from core.records import SkillInputs
from skills.base import Passage, SkillRequest, SkillResult
from skills.encoder import AdapterSkill, SharedEncoder
from skills.qa.data import encode_windows
from skills.qa.spec import SPEC

MAX_ANSWER_TOKENS = 30


@dataclass(frozen=True)
class Span:
    start: int  # character offsets into the passage, end exclusive
    end: int
    score: float  # start logit + end logit


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


def snap_to_words(context: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span that starts or ends inside a word (a sub-token boundary) to the whole word."""
    while start > 0 and context[start - 1].isalnum() and context[start].isalnum():
        start -= 1
    while end < len(context) and context[end].isalnum() and context[end - 1].isalnum():
        end += 1
    return start, end


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

    def run(self, request: SkillRequest) -> SkillResult:
        if not request.passages:
            raise InputError("I have no passage to answer from: paste a text first, or add documents to the KB.")
        candidates = []
        for passage in request.passages:
            for span in self.answer_spans(request.text, passage.text):
                candidates.append((span, passage))
        candidates.sort(key=lambda pair: -pair[0].score)
        span, passage = candidates[0]
        confidence = _confidence(candidates)
        answer = passage.text[span.start : span.end]
        return SkillResult(
            text=f"**{answer}**\n\n_from {_describe_source(passage)}_",
            confidence=round(confidence, 4),
            data={
                "answer": answer,
                "start": span.start,
                "end": span.end,
                "source": passage.source,
                "score": round(span.score, 4),
                "question": request.text,
            },
            rationale={
                "evidence": passage.to_dict(),
                "span": {"start": span.start, "end": span.end, "score": round(span.score, 4)},
                "alternatives": [
                    {"answer": p.text[s.start : s.end], "score": round(s.score, 4), "source": p.source}
                    for s, p in candidates[1:3]
                ],
                "passages_read": len(request.passages),
                "confidence_is": "softmax of the best span's score against the runner-up spans",
            },
            inputs=SkillInputs(text=request.text, question=request.text, passage=passage.text, source=passage.source),
        )

    def answer_spans(self, question: str, context: str, top_k: int = 3) -> list[Span]:
        info = self.bundle
        encoding = encode_windows(
            self.encoder.tokenizer, question, context, info.max_length, padding=True, return_tensors="pt"
        )
        with torch.inference_mode(), self.encoder.adapter(self.name) as head:
            logits = self.encoder.logits(
                head, encoding["input_ids"], encoding["attention_mask"], token_type_ids=encoding["token_type_ids"]
            )
        return spans_from_logits(encoding, logits, context, top_k)


def _confidence(candidates: list[tuple[Span, Passage]]) -> float:
    scores = torch.tensor([span.score for span, _ in candidates[:10]])
    return float(scores.softmax(0)[0])


def _describe_source(passage: Passage) -> str:
    if passage.source.startswith("kb:"):
        return f"the knowledge base, document “{passage.source[3:]}”"
    return "the passage you pasted" if passage.source == "conversation" else "the passage in your message"


def build(encoder: SharedEncoder) -> QASkill:
    return QASkill(encoder)
