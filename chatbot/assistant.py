"""The `Assistant`: the stable Python API behind the chat. One call per user turn, one per rating.

    assistant = Assistant.from_config(AppConfig.from_env())
    reply = assistant.reply("find the names in: Priya Nair joined Infosys in Pune", session_id="s1")
    reply.skill, reply.text, reply.confidence, reply.data["entities"], reply.rationale, reply.turn_id
    assistant.rate(reply.turn_id, thumb="down", correction="Priya Nair=PER; Infosys=ORG; Pune=LOC")

A turn: clean the message → decide the skill and its input (command, conversation, router) → run the skill →
store the turn → return a `Reply` with the router's and the skill's rationale. The UI is a thin layer over this.
"""

from __future__ import annotations

import logging
import math
import threading
from collections import OrderedDict
from contextlib import nullcontext
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any

from chatbot import conversation as conv
from chatbot.adapters import AdapterSource
from chatbot.knowledge import KnowledgeBase, ensure_default_documents
from chatbot.ratelimit import RateLimiter
from chatbot.retention import DAY_SECONDS, purge_expired, run_every
from chatbot.router import FALLBACK_SKILL, Router, RouteScores
from core.config import AppConfig
from core.errors import InputError
from core.registry import AdapterRegistry
from core.store import FeedbackStore, RatingRecord, check_session_id, purged_message
from skills import ADAPTER_SKILLS, Passage, Skill, SkillRequest, SkillResult, build_skills
from skills.encoder import AdapterSkill, SharedEncoder, resolve_location

log = logging.getLogger(__name__)
MAX_SESSIONS = 10_000
KB_PASSAGES = 3
RESUME_TURNS = 50  # how far back a session's state is rebuilt after a restart
SIMILAR_EXAMPLES = 3  # training examples shown with an adapter skill's answer


@dataclass
class Reply:
    turn_id: int
    session_id: str
    skill: str
    text: str
    confidence: float
    data: dict[str, Any]
    rationale: dict[str, Any]
    adapter_version: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Plan:
    """The decision for one turn: which skill runs on what, and why."""

    skill: str
    request: SkillRequest
    reason: str
    overridden_by: str | None = None  # "command", "conversation" or "passage" when not the router's choice
    subject: str | None = None  # the text this turn is about, remembered for follow-ups
    passage: str | None = None  # a passage to remember for follow-up questions
    notice: str | None = None  # a reply that needs no skill (a passage was saved)
    error: str | None = None  # why the skill cannot serve this request, known before running it


class Assistant:
    def __init__(
        self,
        skills: dict[str, Skill],
        router: Router,
        store: FeedbackStore,
        knowledge: KnowledgeBase,
        config: AppConfig,
        adapters: AdapterSource | None = None,
    ) -> None:
        self.skills = skills
        self.adapters = adapters  # None: the adapters loaded at start serve for good
        self.router = router
        self.store = store
        self.knowledge = knowledge
        self.config = config
        self._sessions: OrderedDict[str, conv.ConversationState] = OrderedDict()
        self._sessions_lock = threading.Lock()
        self.rating_limit = RateLimiter(config.ratings_per_minute, config.ratings_burst)
        self.purge_expired()
        if config.retention_days:
            self._stop_purging = run_every(DAY_SECONDS, self.purge_expired, "retention purge")

    @classmethod
    def from_config(cls, config: AppConfig | None = None) -> Assistant:
        """Load the encoder once, its adapters, the knowledge base and the store."""
        config = config or AppConfig.from_env()
        if config.torch_threads:
            import torch

            torch.set_num_threads(config.torch_threads)
        encoder = SharedEncoder(config.base_model or None, config.explanation_precision)
        adapters = AdapterSource(
            encoder,
            resolve_location(config.adapters),
            AdapterRegistry(config.registry),
            [skill.name for skill in ADAPTER_SKILLS],
        )
        folders = adapters.folders()
        skills = build_skills(encoder, folders)
        adapters.mark_loaded(folders)
        knowledge = KnowledgeBase(config.kb_dir, encoder.embed, max_document_bytes=config.max_upload_bytes)
        added = ensure_default_documents(knowledge, config.default_docs)
        if added:
            log.info("knowledge base was empty: added %d chunks from %s", added, config.default_docs)
        router = Router(list(skills.values()), encoder.embed, config.router_threshold)
        return cls(skills, router, FeedbackStore(config.db_url), knowledge, config, adapters)

    def reply(self, message: str, session_id: str) -> Reply:
        """Answer one message; raises InputError (nothing stored) when the message itself is unusable."""
        check_session_id(session_id)
        message = conv.clean_message(message, self.config.max_message_chars)
        if self.adapters:
            self.adapters.refresh()
        state = self._state(session_id)
        route = self.router.score(conv.routing_text(message))
        plan = self._plan(message, route, state)
        with self.adapters.lock if self.adapters else nullcontext():  # no version swap between run and record
            skill, result = self._run(plan)
            adapter_version = self.skills[skill].adapter_version
            similar = _similar_examples(self.skills[skill], result)  # from the index of the version that ran
        rationale = {
            "route": {
                "skill": skill,
                "reason": plan.reason if skill == plan.skill else f"{plan.reason}; but {plan.skill} could not answer",
                "overridden_by": plan.overridden_by,
                "scores": route.scores,
                "similarities": route.similarities,
                "nearest_example": {"skill": route.best, "text": route.nearest_examples[route.best]},
                "nearest_examples": route.nearest_examples,
            },
            "confidence": result.confidence,
            "skill": result.rationale,
        }
        if similar is not None:
            rationale["similar_examples"] = similar
        turn_id = self.store.record_turn(
            session_id=session_id,
            message=message,
            skill=skill,
            reply_text=result.text,
            confidence=result.confidence,
            router_scores=route.scores,
            output={"data": result.data, "rationale": rationale, "passage": plan.passage},
            adapter_version=adapter_version,
            subject_text=plan.subject,
        )
        state.record(skill, plan.subject, plan.passage)
        return Reply(
            turn_id,
            session_id,
            skill,
            result.text,
            result.confidence,
            result.data,
            rationale,
            adapter_version,
        )

    def rate(
        self,
        turn_id: int,
        thumb: str | None = None,
        reason: str | None = None,
        correction: str | dict | None = None,
        session_id: str | None = None,
    ) -> RatingRecord:
        """Store a rating of an answer: thumb "up"/"down"/None (None alone takes the thumb back), an optional
        reason, and an optional correction in the skill's own terms (free text is parsed by the skill).
        At most `ratings_burst` at once and `ratings_per_minute` per session (the turn's session when no
        `session_id` is given); over that, InputError and nothing is stored."""
        turn = self.store.turn(_answer_id(turn_id))
        if turn.purged_at is not None:
            raise InputError(purged_message(turn.id))
        if session_id:
            check_session_id(session_id)
        if isinstance(correction, str):
            correction = conv.storable_text(correction)
        elif correction is not None and not isinstance(correction, dict):
            raise InputError(f"A correction is text or a dict in the skill's terms, got {type(correction).__name__}.")
        wait = self.rating_limit.take(session_id or turn.session_id)
        if wait:
            raise InputError(f"too many ratings from this session; try again in {math.ceil(wait)} s")
        parsed = None
        if isinstance(correction, str) and correction.strip():
            stored_result = {
                "data": turn.output["data"],
                "rationale": turn.output["rationale"].get("skill", {}),
            }
            parsed = self.skills[turn.skill].parse_correction(correction, stored_result)
        elif isinstance(correction, dict):
            parsed = correction
        if parsed is not None and thumb == "up":
            raise InputError("A correction says the answer was wrong: choose 👎 or no thumb to go with it.")
        if parsed is not None and thumb is None:
            thumb = "down"  # a correction says the answer was wrong
        reason = (conv.storable_text(reason) or None) if isinstance(reason, str) else reason
        rating_id = self.store.rate(turn.id, session_id=session_id, thumb=thumb, reason=reason, correction=parsed)
        return next(r for r in self.store.ratings(turn.id) if r.id == rating_id)

    def _plan(self, message: str, route: RouteScores, state: conv.ConversationState) -> Plan:
        command, rest = conv.parse_command(message)
        if command:
            return self._plan_command(command, rest, state)
        repeated = conv.repeat_request(message)
        if repeated and state.last_skill in ("ner", "sentiment", "qa"):
            return self._plan_for(
                state.last_skill,
                repeated,
                state,
                f"“now this one” repeats the previous skill ({state.last_skill})",
                "conversation",
            )
        inline = conv.split_passage_question(message)
        if inline:
            return _plan_inline(*inline, "your message holds a passage and a question about it", "passage")
        if not self.router.is_confident(route) or route.best == FALLBACK_SKILL:
            if conv.looks_like_passage(message):
                return self._plan_passage_saved(message, route)
            if conv.is_question(message) and not self.router.is_confident(route):
                reason = (
                    f"no skill matched well (best: {route.best}, similarity {route.similarities[route.best]:.2f}), "
                    "and it is a question"
                )
                return self._plan_question(message, state, reason, "conversation")
            reason = (
                f"the message is closest to a help example ({route.similarities[route.best]:.2f})"
                if route.best == FALLBACK_SKILL
                else f"no skill matched well (best: {route.best}, similarity "
                f"{route.similarities[route.best]:.2f} < {self.router.threshold:.2f})"
            )
            return Plan(FALLBACK_SKILL, SkillRequest(message), reason)
        reason = (
            f"closest routing example is “{route.nearest_examples[route.best]}” "
            f"(similarity {route.similarities[route.best]:.2f})"
        )
        if route.best == "qa":
            return self._plan_question(message, state, reason, None)
        instruction, text = conv.split_instruction(message)
        if conv.refers_to_earlier_text(message) and state.last_text and instruction is None:
            return self._plan_for(
                route.best,
                state.last_text,
                state,
                f"{reason}; “{message}” refers to the text of your previous message",
                "conversation",
            )
        return self._plan_for(route.best, text, state, reason, None)

    def _plan_command(self, command: str, rest: str, state: conv.ConversationState) -> Plan:
        reason = f"you used the /{command} command"
        if command == "help":
            return Plan("help", SkillRequest(rest or "what can you do"), reason, "command")
        if not rest:
            if command != "qa" and state.last_text:
                return self._plan_for(command, state.last_text, state, reason + " on the previous text", "command")
            example = "a question" if command == "qa" else "some text"
            raise InputError(f"/{command} needs {example} after it, e.g. /{command} {_COMMAND_EXAMPLES[command]}")
        return self._plan_for(command, rest, state, reason, "command")

    def _plan_for(
        self, skill: str, text: str, state: conv.ConversationState, reason: str, overridden_by: str | None
    ) -> Plan:
        if skill == "qa":
            inline = conv.split_passage_question(text)
            if inline:
                return _plan_inline(*inline, reason, overridden_by)
            return self._plan_question(text, state, reason, overridden_by)
        passage = text if conv.looks_like_passage(text) else None
        return Plan(skill, SkillRequest(text), reason, overridden_by, subject=text, passage=passage)

    def _plan_question(
        self, question: str, state: conv.ConversationState, reason: str, overridden_by: str | None
    ) -> Plan:
        if state.passage:
            ago = state.turns - state.passage_turn
            when = "in your previous message" if ago <= 1 else f"{ago} turns ago"
            return Plan(
                "qa",
                SkillRequest(question, (Passage(state.passage, "conversation"),)),
                f"{reason}; you pasted a passage {when}, so this is a question about it",
                overridden_by or "conversation",
                subject=state.passage,
            )
        found = self.knowledge.search(question, k=KB_PASSAGES)
        passages = tuple(p for p in found if (p.retrieval_score or 0.0) >= self.config.kb_min_score)
        plan = Plan(
            "qa",
            SkillRequest(question, passages),
            f"{reason}; answered from the knowledge base",
            overridden_by,
            subject=None,
        )
        if not found:
            plan.error = "I have no passage to answer from: paste a text first, or add documents to the knowledge base."
        elif not passages:
            plan.error = (
                "I found nothing about that in the knowledge base (best match "
                f"“{found[0].source[3:]}”, similarity {found[0].retrieval_score:.2f}). Paste a passage and ask "
                "again, or add a document about it."
            )
        return plan

    def _plan_passage_saved(self, message: str, route: RouteScores) -> Plan:
        words = len(message.split())
        return Plan(
            FALLBACK_SKILL,
            SkillRequest(message),
            f"a {words}-word text with no question and no clear request (best skill {route.best}, "
            f"similarity {route.similarities[route.best]:.2f}): kept as a passage",
            "passage",
            subject=message,
            passage=message,
            notice=(
                f"I've kept this passage ({words} words). Ask me questions about it, "
                "or use /ner or /sentiment to analyse it."
            ),
        )

    def _run(self, plan: Plan) -> tuple[str, SkillResult]:
        """The skill that answered and its result; a request the skill cannot serve is answered plainly."""
        if plan.notice:
            return plan.skill, SkillResult(text=plan.notice, confidence=1.0, data={"kind": "passage_saved"})
        error = plan.error
        if error is None:
            try:
                return plan.skill, self.skills[plan.skill].run(plan.request)
            except InputError as skill_error:
                error = str(skill_error)
        return FALLBACK_SKILL, SkillResult(text=error, confidence=1.0, data={"kind": "cannot_answer"})

    def purge_expired(self, now: datetime | None = None) -> dict[str, int]:
        """Purge the text of answers older than `config.retention_days` (0: keep forever); run at start and daily.

        Remembered conversations are dropped too, so no purged text stays in memory; they resume from the store.
        """
        counts = purge_expired(self.store, self.config.retention_days, now or datetime.now(timezone.utc))
        if counts["turns"]:
            with self._sessions_lock:
                self._sessions.clear()
        return counts

    def delete_session(self, session_id: str) -> dict[str, int]:
        """Delete a session's answers and ratings from the store and forget its conversation."""
        counts = self.store.delete_session(session_id)
        with self._sessions_lock:
            self._sessions.pop(session_id, None)
        return counts

    def _state(self, session_id: str) -> conv.ConversationState:
        """The session's conversation state; a session this process has not seen resumes from the store."""
        with self._sessions_lock:
            state = self._sessions.pop(session_id, None)
        if state is None:
            history = reversed(self.store.turns(session_id=session_id, limit=RESUME_TURNS))
            state = conv.ConversationState.replay([(t.skill, t.subject_text, t.output.get("passage")) for t in history])
        with self._sessions_lock:
            self._sessions[session_id] = state
            while len(self._sessions) > MAX_SESSIONS:
                self._sessions.popitem(last=False)
        return state


def _answer_id(value: object) -> int:
    """An answer id as a whole number; "12" and 12.0 are accepted, but 1.5 or True are refused, not rounded."""
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise InputError(f"An answer id is a whole number, got {value!r}.")
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        raise InputError(f"An answer id is a whole number, got {value!r}.") from None


def _similar_examples(skill: Skill, result: SkillResult) -> list[dict[str, Any]] | None:
    """The training examples nearest to what an adapter skill analysed (QA: the question; else the text), with
    their gold labels; None for rule-based skills and for bundles that ship no example index."""
    analysed = result.data.get("question") or result.data.get("text")
    if not isinstance(skill, AdapterSkill) or not analysed:
        return None
    found = skill.similar_examples(analysed, SIMILAR_EXAMPLES)
    return None if found is None else [example.to_dict() for example in found]


def _plan_inline(passage: str, question: str, reason: str, overridden_by: str | None) -> Plan:
    """A question about the passage given with it; the passage is remembered for follow-up questions."""
    request = SkillRequest(question, (Passage(passage, "message"),))
    return Plan("qa", request, reason, overridden_by, subject=passage, passage=passage)


_COMMAND_EXAMPLES = {
    "ner": "Priya Nair joined Infosys in Pune",
    "sentiment": "the film was a delight",
    "qa": "how do I correct an answer?",
}
