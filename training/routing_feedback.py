"""Routing labels as request-model training examples: what users said a message was for.

A routing label is a rating whose correction is `{"intent": "<skill>/<kind>", "source": "clarify" | "wrong skill"}`
(chatbot/ratings.py `relabel`): the answer to a clarifying question, or "it was for another skill". Each current one
becomes a `Request` with the turn's message, the conversation context the request model read beside it (stored in
the turn's rationale) and the spans it read, kept where the labelled kind needs them; where the kind needs a span the
model did not read, the whole message stands in for the text or the question, and a passage question without its
passage is left out with the reason. Pure functions over the store's records.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.records import TurnOutput
from core.store import RatingRecord, TurnRecord
from skills.request.generate import Context, Request, Span
from skills.request.spec import INTENTS, split_intent
from training.feedback import current_ratings

NEEDED = {
    "new_text": ("TEXT",),
    "passage_question": ("PASSAGE", "QUESTION"),
    "pending_passage_question": ("QUESTION",),
    "kb_question": ("QUESTION",),
    "passage_keep": ("PASSAGE",),
}


def routing_request(turn: TurnRecord, rating: RatingRecord) -> Request:
    """The request one routing label makes of its turn; ValueError saying why when it makes none."""
    intent = (rating.correction or {}).get("intent")
    if intent not in INTENTS:
        raise ValueError(f"rating {rating.id} is not a routing label ({intent!r})")
    if turn.purged_at is not None:
        raise ValueError(f"the text of answer #{turn.id} was purged")
    if turn.message.startswith("/"):
        raise ValueError(f"answer #{turn.id} came from a command, which the request model never reads")
    output = TurnOutput.from_json(turn.output)
    reading = (output.rationale.route.request if output.rationale else None) or {}
    context = Context(**reading["context"]) if reading.get("context") else Context()
    skill, kind = split_intent(intent)
    read = {label: (start, end) for label, (start, end) in (reading.get("offsets") or {}).items()}
    spans = []
    for label in NEEDED.get(kind, ()):
        start, end = read.get(label, (0, len(turn.message)) if label in ("TEXT", "QUESTION") else (None, None))
        if start is None:
            raise ValueError(
                f"answer #{turn.id}: a {kind} label needs a {label.lower()} the request model did not read"
            )
        spans.append(Span(label, start, end))
    return Request(turn.message, context, skill, kind, tuple(spans))


def routing_requests(
    turns: Iterable[TurnRecord], ratings: Iterable[RatingRecord]
) -> tuple[list[Request], list[tuple[int, str]]]:
    """Every current routing label as a request, and (turn id, why) for those that make none."""
    by_id = {turn.id: turn for turn in turns}
    made, dropped = [], []
    for rating in current_ratings(ratings):
        if not rating.correction or "intent" not in rating.correction:
            continue
        try:
            made.append(routing_request(by_id[rating.turn_id], rating))
        except (KeyError, ValueError) as error:
            dropped.append((rating.turn_id, str(error)))
    return made, dropped
