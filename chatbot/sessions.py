"""The conversation state of each chat session this process has seen, most recently used last: a bounded cache
in front of the store, from which a session this process has not seen (or has dropped) resumes."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from chatbot.conversation import ConversationState
from core.records import TurnOutput

MAX_SESSIONS = 10_000
RESUME_TURNS = 50  # how far back a session's state is rebuilt after a restart


class SessionStates:
    """Each session's `ConversationState`; `stored_turns(session_id, limit)` gives a session's stored turns, newest
    first, to resume one from."""

    def __init__(self, stored_turns: Callable[[str, int], list]) -> None:
        self._stored_turns = stored_turns
        self._states: OrderedDict[str, ConversationState] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, session_id: str) -> ConversationState:
        """The session's state; one this process has not seen resumes from the store."""
        with self._lock:
            state = self._states.pop(session_id, None)
        if state is None:
            history = reversed(self._stored_turns(session_id, RESUME_TURNS))
            state = ConversationState.replay([remembered(turn) for turn in history])
        with self._lock:
            self._states[session_id] = state
            while len(self._states) > MAX_SESSIONS:
                self._states.popitem(last=False)
        return state

    def forget(self, session_id: str) -> None:
        with self._lock:
            self._states.pop(session_id, None)

    def clear(self) -> None:
        """Forget every session (after a purge, so no purged text stays in memory; they resume from the store)."""
        with self._lock:
            self._states.clear()


def remembered(turn) -> tuple:
    """What a stored turn leaves in the conversation state (see `ConversationState.record`)."""
    output = TurnOutput.from_json(turn.output)
    source = output.inputs.source if output.inputs else None
    read = turn.modality == "image" and output.passage is not None  # a picture's text stays as its passage
    return (turn.skill, turn.subject_text, output.passage, turn.message, source, read)
