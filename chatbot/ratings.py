"""Ratings of answers: one place that turns what a user sent (a thumb, a reason, a correction in free text) into a
rating event, before the store writes it.

The service checks what only it knows: the answer id as the API and the UI spell it, the thumb's spellings
(`core.records.Thumb`), the session's rate limit (its id checked first, so nothing is keyed on a bad one), and the
correction in the answering skill's own terms (its `feedback.parse_correction`, which reads what the skill read
from the turn's typed record and refuses a correction that equals the answer; so does this service for one that
repeats the reply word for word; a purged turn has nothing left to read). The store then checks, inside its write
transaction, what can change in between (the turn still exists and was not purged) and the types of its own API.
"""

from __future__ import annotations

import math

from chatbot import conversation as conv
from chatbot.ratelimit import RateLimiter
from core.errors import InputError
from core.records import Thumb, TurnOutput
from core.store import FeedbackStore, RatingRecord, check_session_id, purged_message
from skills.registry import get_skill, skill_names
from skills.request.spec import INTENTS


class RatingService:
    def __init__(self, store: FeedbackStore, limiter: RateLimiter) -> None:
        self.store = store
        self.limiter = limiter

    def rate(
        self,
        turn_id: object,
        thumb: Thumb | str | None = None,
        reason: str | None = None,
        correction: str | dict | None = None,
        session_id: str | None = None,
    ) -> RatingRecord:
        """Store a rating of an answer: thumb up/down, or none (none alone takes the thumb back), an optional reason
        and an optional correction in the skill's own terms (free text is parsed by the skill). At most the limiter's
        burst at once and its rate per minute per session (the turn's session when no `session_id` is given); over
        that, InputError and nothing is stored."""
        turn = self.store.turn(answer_id(turn_id))
        if session_id:
            check_session_id(session_id)  # before the limiter keys anything on it
        given = Thumb.parse(thumb)
        if isinstance(correction, str):
            correction = conv.storable_text(correction)
        elif correction is not None and not isinstance(correction, dict):
            raise InputError(f"A correction is text or a dict in the skill's terms, got {type(correction).__name__}.")
        if turn.skill not in skill_names() and (isinstance(correction, dict) or (correction or "").strip()):
            raise InputError(
                f"Answer #{turn.id} was a question back to you, not an answer: pick one of its options, or say which "
                "skill you meant, rather than correcting it."
            )
        self._take(session_id or turn.session_id)
        parsed = None
        if isinstance(correction, str) and correction.strip():
            if turn.purged_at is not None:  # its text is gone: the correction cannot be read against it
                raise InputError(purged_message(turn.id))
            if correction.strip() == turn.reply_text.strip():
                raise InputError("That is the answer I gave: write what should change, or rate it 👍.")
            output = TurnOutput.from_json(turn.output)
            inputs = output.inputs.to_dict() if output.inputs else {"text": None, "question": None, "passage": None}
            parsed = get_skill(turn.skill).feedback.parse_correction(correction, inputs, output.data)
        elif isinstance(correction, dict):
            parsed = correction
        if parsed is not None and given == Thumb.UP:
            raise InputError("A correction says the answer was wrong: choose 👎 or no thumb to go with it.")
        if parsed is not None and given is None:
            given = Thumb.DOWN  # a correction says the answer was wrong
        reason = (conv.storable_text(reason) or None) if isinstance(reason, str) else reason
        if given == Thumb.RETRACTED and (parsed is not None or reason):
            raise InputError("Taking a thumb back stores no reason or correction: send them with 👍 or 👎.")
        stored = None if given == Thumb.RETRACTED else given  # the store records a bare "no thumb" as taken back
        rating_id = self.store.rate(turn.id, session_id=session_id, thumb=stored, reason=reason, correction=parsed)
        return next(r for r in self.store.ratings(turn.id) if r.id == rating_id)

    def draft(self, turn_id: object) -> str:
        """An answer as the correction to edit (the skill's `correction_draft`: the names found, the other label,
        the answer's span); "" for a skill that learns nothing from corrections."""
        turn = self.store.turn(answer_id(turn_id))
        if turn.skill not in skill_names(trainable=True):
            return ""
        return get_skill(turn.skill).feedback.correction_draft(TurnOutput.from_json(turn.output).data)

    def relabel(self, turn_id: int, intent: str, session_id: str, source: str) -> RatingRecord:
        """Store which skill (and kind of turn) a message was for, as a 👎 with a routing correction
        `{"intent", "source"}` ("clarify": a choice among the options asked; "wrong skill": the user said so). It
        teaches the request model, not the skill that answered (training/feedback.py leaves it to the former)."""
        if intent not in INTENTS:
            raise InputError(f"Unknown reading {intent!r}; one of {', '.join(INTENTS)}.")
        self._take(session_id)
        correction = {"intent": intent, "source": source}
        rating_id = self.store.rate(turn_id, session_id=session_id, thumb=Thumb.DOWN, correction=correction)
        return next(r for r in self.store.ratings(turn_id) if r.id == rating_id)

    def _take(self, session_id: str) -> None:
        """One rating from the session's budget; InputError with the wait when it is spent (nothing is stored)."""
        wait = self.limiter.take(session_id)
        if wait:
            raise InputError(f"too many ratings from this session; try again in {math.ceil(wait)} s")


def answer_id(value: object) -> int:
    """An answer id as a whole number; "12" and 12.0 are accepted, but 1.5 or True are refused, not rounded."""
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise InputError(f"An answer id is a whole number, got {value!r}.")
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        raise InputError(f"An answer id is a whole number, got {value!r}.") from None
