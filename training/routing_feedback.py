"""Routing labels as request-model training examples: what users said a message was for.

A routing label is a rating whose correction is `{"intent": "<skill>/<kind>", "source": "clarify" | "wrong skill"}`
(chatbot/ratings.py `relabel`): the answer to a clarifying question, or "it was for another skill". Each current one
becomes a `Request` with the turn's message, the conversation context the request model read beside it (stored in
the turn's rationale) and the spans it read, kept where the labelled kind needs them; where the kind needs a span the
model did not read, the whole message stands in for the text or the question, and a passage question without its
passage is left out with the reason. `routing_labels` gives them as the nightly retrain's `Labels` for the request
model (`training/retrain.py`): one session's earliest `per_session_cap` labels, split by a hash of the message into
training and a fixed held-out part as a skill's feedback is (`training/replay.py`). Pure functions over the store's
records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from core.records import TurnOutput
from core.store import RatingRecord, TurnRecord
from skills.request.data import example_record
from skills.request.generate import Context, Request, Span
from skills.request.spec import INTENTS, SPEC, split_intent
from training.feedback import current_ratings
from training.replay import Labels, held_out_key

MODEL = SPEC.name  # the model routing labels teach

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


@dataclass(frozen=True)
class RoutingLabel:
    """One current routing label as the request it makes, with where it came from."""

    request: Request
    rating_id: int
    session_id: str
    source: str  # "clarify" or "wrong skill"


def routing_examples(
    turns: Iterable[TurnRecord], ratings: Iterable[RatingRecord]
) -> tuple[list[RoutingLabel], list[tuple[int, str]]]:
    """Every current routing label with the request it makes, oldest first, and (turn id, why) for those that
    make none."""
    by_id = {turn.id: turn for turn in turns}
    made, dropped = [], []
    for rating in current_ratings(ratings):
        if not rating.correction or "intent" not in rating.correction:
            continue
        try:
            request = routing_request(by_id[rating.turn_id], rating)
        except (KeyError, ValueError) as error:
            dropped.append((rating.turn_id, str(error)))
            continue
        source = str(rating.correction.get("source", "unknown"))
        made.append(RoutingLabel(request, rating.id, rating.session_id, source))
    return made, dropped


def routing_requests(
    turns: Iterable[TurnRecord], ratings: Iterable[RatingRecord]
) -> tuple[list[Request], list[tuple[int, str]]]:
    """Every current routing label as a request, and (turn id, why) for those that make none."""
    made, dropped = routing_examples(turns, ratings)
    return [label.request for label in made], dropped


def routing_labels(
    turns: Iterable[TurnRecord], ratings: Iterable[RatingRecord], fraction: float, per_session_cap: int
) -> Labels:
    """The routing labels as the request model's retrain labels: each session's `per_session_cap` earliest (so no
    session outweighs the others by volume), split by a hash of the message, so a message keeps its side night after
    night whatever its context, into training and a held-out `fraction` (`training.replay.held_out_key`)."""
    made, _ = routing_examples(turns, ratings)
    taken: Counter[str] = Counter()
    capped = []
    for label in made:
        taken[label.session_id] += 1
        if taken[label.session_id] <= per_session_cap:
            capped.append(label)
    held = [held_out_key((MODEL, label.request.message), fraction) for label in capped]
    train = [label for label, out in zip(capped, held, strict=True) if not out]
    return Labels(
        train=[label.request for label in train],
        weights=[1.0] * len(train),  # what a user said a message was for: gold
        held_out=[label.request for label, out in zip(capped, held, strict=True) if out],
        records=[{**example_record(label.request), "source": "feedback"} for label in train],
        rating_ids=tuple(label.rating_id for label in train),
        newest_rating=max((label.rating_id for label in capped), default=0),
        examples=len(capped),
        by_kind=dict(Counter(label.source for label in train)),
        must_improve=False,
    )
