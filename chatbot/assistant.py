"""The `Assistant`: the stable Python API behind the chat. One call per user turn, one per rating.

    assistant = Assistant.from_config(AppConfig.from_env())
    reply = assistant.reply("find the names in: Priya Nair joined Infosys in Pune", session_id="s1")
    reply.skill, reply.text, reply.confidence, reply.data["entities"], reply.rationale.route.scores, reply.turn_id
    assistant.rate(reply.turn_id, thumb="down", correction="Priya Nair=PER; Infosys=ORG; Pune=LOC")
    assistant.close()

A turn: clean the message → plan it (`chatbot/planner.py`: which skill on what, and why) → look up the knowledge
base if the plan asks → run the skill → store the turn (`core.records.TurnOutput`) → return a `Reply`. Ratings go
through `chatbot/ratings.py`. The Assistant composes these parts and keeps each session's conversation state; the
UI is a thin layer over it.
"""

from __future__ import annotations

import logging
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import numpy as np

from chatbot import conversation as conv
from chatbot.adapters import AdapterSource
from chatbot.explanation import (
    SIMILAR_EXAMPLES,
    input_sentence,
    missing_examples_note,
    route_rationale,
    shows_confidence,
    similar_examples,
    summary,
)
from chatbot.knowledge import KnowledgeBase, ensure_default_documents
from chatbot.media.intake import Media, corrected_message, read_message
from chatbot.media.keep import MediaKeeper
from chatbot.memory import CorrectionMemory
from chatbot.planner import (
    CLARIFY,
    Plan,
    knowledge_rescue,
    knowledge_search,
    passage_rescue,
    plan_turn,
    plan_understood,
    request_context,
    with_knowledge,
)
from chatbot.ratelimit import RateLimiter
from chatbot.ratings import RatingService, answer_id
from chatbot.retention import DAY_SECONDS, RepeatingJob, purge_expired, run_every
from chatbot.router import Router, RouteScores
from chatbot.sessions import SessionStates
from core.config import AppConfig
from core.errors import InputError
from core.records import InputReading, Rationale, SkillInputs, Thumb, TurnOutput
from core.registry import AdapterRegistry
from core.store import FeedbackStore, RatingRecord, check_session_id, purged_message
from skills import build_skills
from skills.base import Skill, SkillResult
from skills.encoder import SharedEncoder, resolve_location
from skills.registry import fallback, get_skill, registered, skill_names
from skills.request.generate import Context
from skills.request.spec import KINDS_BY_READS, PLAIN_KIND, Understanding, split_intent
from skills.request.spec import SPEC as REQUEST_SPEC

if TYPE_CHECKING:
    from skills.request.model import RequestModel

log = logging.getLogger(__name__)
REQUEST_MODEL = REQUEST_SPEC.name


@dataclass
class Reply:
    turn_id: int
    session_id: str
    skill: str
    text: str
    confidence: float
    data: dict[str, Any]
    rationale: Rationale
    adapter_version: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "turn_id": self.turn_id,
            "session_id": self.session_id,
            "skill": self.skill,
            "text": self.text,
            "confidence": self.confidence,
            "data": self.data,
            "rationale": self.rationale.to_dict(),
            "adapter_version": self.adapter_version,
        }


class Assistant:
    def __init__(
        self,
        skills: dict[str, Skill],
        router: Router,
        store: FeedbackStore,
        knowledge: KnowledgeBase,
        config: AppConfig,
        adapters: AdapterSource | None = None,
        request_model: RequestModel | None = None,
        memory: CorrectionMemory | None = None,
    ) -> None:
        self.skills = skills
        self.memory = memory  # None: corrections wait for a retrain
        self.request_model = request_model  # None: the rules and the router plan every turn
        self.adapters = adapters  # None: the adapters loaded at start serve for good
        self.router = router
        self.store = store
        self.knowledge = knowledge
        self.config = config
        self.sessions = SessionStates(lambda session_id, limit: self.store.turns(session_id=session_id, limit=limit))
        self.ratings = RatingService(store, RateLimiter(config.ratings_per_minute, config.ratings_burst))
        self.media = MediaKeeper(config.home / "media", config.keep_media)
        self.purge_expired()
        self._purging: RepeatingJob | None = None
        if config.retention_days:
            self._purging = run_every(DAY_SECONDS, self.purge_expired, "retention purge")

    @classmethod
    def from_config(cls, config: AppConfig | None = None) -> Assistant:
        """Load the encoder once, its adapters, the knowledge base and the store."""
        config = config or AppConfig.from_env()
        if config.torch_threads:
            import torch

            torch.set_num_threads(config.torch_threads)
        encoder = SharedEncoder(config.base_model or None, config.explanation_precision)
        released, registry = resolve_location(config.adapters), AdapterRegistry(config.registry)
        models = (
            [REQUEST_MODEL] if (registry.current_folder(REQUEST_MODEL) or released / REQUEST_MODEL).is_dir() else []
        )
        adapters = AdapterSource(encoder, released, registry, [*skill_names(trainable=True), *models])
        adapters.complete_shipped_copies()
        folders = adapters.folders()
        skills = build_skills(encoder, folders)
        request_model = None
        if models:
            encoder.load_adapter(REQUEST_MODEL, folders[REQUEST_MODEL])
            request_model = get_skill(REQUEST_MODEL).model.build(encoder)
        adapters.mark_loaded(folders)
        knowledge = KnowledgeBase.from_config(config, encoder.embed)
        added = ensure_default_documents(knowledge, config.default_docs)
        if added:
            log.info("knowledge base was empty: added %d chunks from %s", added, config.default_docs)
        router = Router([d.spec for d in registered()], encoder.embed, config.router_threshold)
        memory = CorrectionMemory(config.db_url, encoder.embed, config.memory_similarity)
        return cls(skills, router, FeedbackStore(config.db_url), knowledge, config, adapters, request_model, memory)

    def reply(
        self, message: str | None, session_id: str, audio: Media | None = None, image: Media | None = None
    ) -> Reply:
        """Answer one message; raises InputError (nothing stored) when the message itself is unusable.

        With `audio` (a clip: path or bytes) what was said, after any typed words, is the message. With `image` its
        text is the text to analyse or the passage to answer from, and the typed (or said) words are the request;
        a picture alone is its text, as if pasted. The reply's `rationale.input` says what was heard or read."""
        if audio is None and image is None:
            return self._answer(message, session_id)
        check_session_id(session_id)
        sent = read_message(message, audio, image, self.config)
        kept = [name for data in sent.files if (name := self.media.keep(session_id, data))]
        try:
            return self._answer(sent.message, session_id, reading=sent.reading, media=kept)
        except BaseException:
            self.media.discard(kept)  # nothing of a turn that was not stored stays behind
            raise

    def correct_input(self, turn_id: int, text: str, session_id: str) -> Reply:
        """The text heard in turn `turn_id`'s recording, or read in its picture, as the user edited it: answered again
        as if recognised so. The new turn keeps what the recogniser got (`input.original`, `input.corrects`): the
        pairs `python -m chatbot media export` writes for a later speech or text-recognition fine-tune."""
        turn = self._own_turn(turn_id, session_id)
        output = TurnOutput.from_json(turn.output)
        reading = (output.rationale.input if output.rationale else None) or InputReading("text", turn.message)
        message, corrected = corrected_message(turn.message, reading, text, turn.id, self.config.max_message_chars)
        return self._answer(message, session_id, reading=corrected)

    def choose(self, turn_id: int, option: int | str, session_id: str) -> Reply:
        """Answer a clarifying question (turn `turn_id`, skill "clarify") with one of its options, by index or by
        skill: the original message is answered that way, and the choice is stored as its routing label."""
        turn = self._own_turn(turn_id, session_id)
        if turn.skill != CLARIFY:
            raise InputError(f"Answer #{turn.id} did not ask which skill you meant.")
        output = TurnOutput.from_json(turn.output)
        options = output.data.get("options") or []
        chosen = next((o for i, o in enumerate(options) if option in (i, str(i), o["skill"])), None)
        if chosen is None:
            offered = ", ".join(f"{i} ({o['skill']})" for i, o in enumerate(options))
            raise InputError(f"Choose one of the options offered: {offered}.")
        return self._answer_as(turn, chosen["intent"], output, session_id, "clarify")

    def reanswer(self, turn_id: int, skill: str, session_id: str) -> Reply:
        """ "Wrong skill": answer turn `turn_id`'s message again with `skill`, and store that as its routing label."""
        turn = self._own_turn(turn_id, session_id)
        if skill not in skill_names():
            raise InputError(f"There is no skill {skill!r}; choose one of {', '.join(skill_names())}.")
        if skill == turn.skill:
            raise InputError(f"Answer #{turn.id} already came from {skill}: choose the skill you meant.")
        output = TurnOutput.from_json(turn.output)
        reading = (output.rationale.route.request if output.rationale else None) or {}
        kinds = KINDS_BY_READS[get_skill(skill).spec.reads]
        kind = reading.get("kind") if reading.get("kind") in kinds else kinds[0]
        return self._answer_as(turn, f"{skill}/{kind}", output, session_id, "wrong skill")

    def _plan(
        self, message: str, state: conv.ConversationState, forced: Understanding | None, chosen: str | None
    ) -> tuple[Plan, RouteScores, Understanding | None, Context]:
        """The turn's plan (see `chatbot/planner.py`), with what it was decided from: the router's scores, the
        request model's reading (or the user's choice, `forced`) and the context it read."""
        routed = conv.routing_text(message)
        vectors = self.router.embed(list(dict.fromkeys([message, routed])))  # one forward for both texts
        route = self.router.score_vector(vectors[-1])
        understanding, context = forced, request_context(state, self.knowledge.closest_cosine(vectors[0]))
        if understanding is None and self.request_model is not None and not conv.parse_command(message)[0]:
            understanding = self.request_model.read(message, context)
            nearest = self.request_model.similar_examples(vectors[0], SIMILAR_EXAMPLES)  # the message's own vector
            understanding = replace(understanding, examples=None if nearest is None else [e.to_dict() for e in nearest])
        if forced is not None:
            plan = plan_understood(message, state, forced) or plan_turn(f"/{forced.skill} {message}", state, route, 0.0)
            plan = replace(plan, reason=chosen or plan.reason, overridden_by="you")
        else:
            plan = plan_turn(message, state, route, self.router.threshold, understanding, self.config.request_threshold)
        embedded = {message: vectors[0]}  # a search for the message itself needs no second forward
        if plan.knowledge_query is not None:
            query, prefer = knowledge_search(plan, state)
            found = self.knowledge.search(query, k=self.config.kb_passages, vector=embedded.get(query))
            plan = with_knowledge(plan, found, self.config.kb_min_score, prefer, query)
        elif self._reads_as_plain_help(plan, understanding, forced):
            plan = self._rescue(plan, state, embedded.get(plan.request.text))
        elif self._asks_about_analysed_text(plan, state, forced):
            plan = self._knowledge_over_text(plan, state, context, vectors[0], embedded.get(plan.request.text))
        return plan, route, understanding, context

    @staticmethod
    def _asks_about_analysed_text(plan: Plan, state: conv.ConversationState, forced: Understanding | None) -> bool:
        """The request model decided this turn and read it as a question about the text analysed before."""
        return (
            forced is None
            and plan.read_by == "request model"
            and state.passage is None
            and state.last_text is not None
            and plan.subject == state.last_text
            and get_skill(plan.skill).spec.reads == "question"
        )

    def _knowledge_over_text(
        self,
        plan: Plan,
        state: conv.ConversationState,
        context: Context,
        message: np.ndarray,
        question: np.ndarray | None,
    ) -> Plan:
        """A question read as about the text analysed the turn before ("who invented the Zephyr valve?" after a
        review's sentiment) that the user's documents match closely, and better than that text, is answered from
        the knowledge base: the request model learned that questions after an analysed text are about it, and it
        reads how close the message is to the documents but not how close it is to that text."""
        if context.kb_score is None or context.kb_score < self.config.kb_rescue_score:
            return plan
        text = self.router.embed([state.last_text])[0]
        if float(message @ text) >= context.kb_score:
            return plan
        return self._rescue(plan, state, question)  # no passage is pending: the knowledge base's rescue alone

    def _rescue(self, plan: Plan, state: conv.ConversationState, vector: np.ndarray | None = None) -> Plan:
        """A plain help reading (or a question read as about the analysed text, `_knowledge_over_text`) checked
        against what the user gave the bot: a question close to the passage pasted earlier is about it; one close to
        a knowledge-base document is answered from it (the request model reads
        without seeing either)."""
        if state.passage is not None:
            message, passage = self.router.embed([plan.request.text, state.passage])
            rescued = passage_rescue(plan, state, float(message @ passage), self.config.passage_rescue_score)
            if rescued is not None:
                return rescued
        found = self.knowledge.search(plan.request.text, k=self.config.kb_passages, vector=vector)
        return knowledge_rescue(plan, found, self.config.kb_rescue_score, self.config.kb_min_score) or plan

    @staticmethod
    def _reads_as_plain_help(plan, understanding: Understanding | None, forced: Understanding | None) -> bool:
        """The request model decided this turn and read it as a message for the fallback skill (not a passage)."""
        return (
            forced is None
            and understanding is not None
            and plan.read_by == "request model"
            and plan.skill == fallback().name
            and understanding.kind == PLAIN_KIND
        )

    def _own_turn(self, turn_id: int, session_id: str):
        check_session_id(session_id)
        turn = self.store.turn(answer_id(turn_id))
        if turn.purged_at is not None:
            raise InputError(purged_message(turn.id))
        if turn.session_id != session_id:
            raise InputError(f"Answer #{turn.id} belongs to another conversation.")
        return turn

    def _answer_as(self, turn, intent: str, output: TurnOutput, session_id: str, source: str) -> Reply:
        """Store `intent` as the routing label of `turn`, then answer its message with that reading (the spans the
        request model read, where it read any)."""
        self.ratings.relabel(turn.id, intent, session_id, source)
        reading = (output.rationale.route.request if output.rationale else None) or {}
        skill, kind = split_intent(intent)
        offsets = {label: (span[0], span[1]) for label, span in (reading.get("offsets") or {}).items()}
        forced = Understanding(skill, kind, 1.0, {intent: 1.0}, offsets)
        command, rest = conv.parse_command(turn.message)
        message = rest if command else turn.message  # a command's skill was wrong: its text is what to read
        reading = output.rationale.input if output.rationale else None  # a picture's text is read again with it
        return self._answer(message, session_id, forced, f"you chose {skill} ({source})", reading)

    def _answer(
        self,
        message: str,
        session_id: str,
        forced: Understanding | None = None,
        chosen: str | None = None,
        reading: InputReading | None = None,
        media: list[str] | None = None,
    ) -> Reply:
        check_session_id(session_id)
        message = conv.clean_message(message, self.config.max_message_chars)
        if self.adapters:
            self.adapters.refresh()
        session_state = self.sessions.get(session_id)
        shown = reading.text if reading is not None and reading.modality == "image" and reading.request else None
        state = session_state if shown is None else session_state.showing(shown)  # as if pasted just before
        plan, route, understanding, context = self._plan(message, state, forced, chosen)
        with self.adapters.lock if self.adapters else nullcontext():  # no version swap between run and record
            skill, result = self._run(plan)
            answering = self.skills.get(skill)  # none answers a clarifying question
            adapter_version = answering.adapter_version if answering else None
            if self.memory is not None:  # a remembered correction answers at once
                read = result.inputs or SkillInputs(text=plan.request.text)
                result = self.memory.answer(skill, result, read, session_id, adapter_version)
            similar = similar_examples(answering, result) if answering else None  # the version that ran
        routing = route_rationale(skill, plan, route, understanding, message, context)
        reading = reading or InputReading("text", message)
        explained = summary(skill, routing.reason, result.confidence, result.data, result.rationale)
        rationale = Rationale(
            route=routing,
            confidence=result.confidence,
            skill=result.rationale,
            similar_examples=similar,
            examples_missing=missing_examples_note(skill) if similar is None and shows_confidence(skill) else "",
            summary=" ".join(part for part in (input_sentence(reading), explained) if part),
            input=reading,
        )
        inputs = result.inputs or SkillInputs(text=plan.request.text)
        picture_text = reading.text if reading.modality == "image" else None
        passage = plan.passage or picture_text  # a picture's text stays for follow-up questions, like a pasted passage
        output = TurnOutput(data=result.data, rationale=rationale, inputs=inputs, passage=passage)
        turn_id = self.store.record_turn(
            session_id=session_id,
            message=message,
            skill=skill,
            reply_text=result.text,
            confidence=result.confidence,
            router_scores=rationale.route.scores,  # those of what decided: the request model where it did
            output=output.to_json(),
            adapter_version=adapter_version,
            subject_text=plan.subject,
            modality=reading.modality,
            media=media,
        )
        session_state.record(
            skill, plan.subject, passage, message, inputs.source, picture_text is not None and passage == picture_text
        )
        return Reply(
            turn_id, session_id, skill, result.text, result.confidence, result.data, rationale, adapter_version
        )

    def rate(
        self,
        turn_id: int,
        thumb: Thumb | str | None = None,
        reason: str | None = None,
        correction: str | dict | None = None,
        session_id: str | None = None,
    ) -> RatingRecord:
        """Store a rating of an answer (see `RatingService.rate`): thumb "up"/"down"/None (None alone takes the
        thumb back), an optional reason, and an optional correction in the skill's own terms; the correction memory
        follows it at once."""
        rating = self.ratings.rate(turn_id, thumb, reason, correction, session_id)
        if self.memory is not None:
            self.memory.remember(self.store.turn(rating.turn_id), rating)
        return rating

    @property
    def rating_limit(self) -> RateLimiter:
        """The per-session limit on ratings (tests and operators may swap it)."""
        return self.ratings.limiter

    @rating_limit.setter
    def rating_limit(self, limiter: RateLimiter) -> None:
        self.ratings.limiter = limiter

    def stop_purging(self) -> None:
        """Stop the daily purge thread (and wait for a purge under way)."""
        if self._purging is not None:
            self._purging.stop()
            self._purging = None

    def _run(self, plan: Plan) -> tuple[str, SkillResult]:
        """The skill that answered and its result; a request the skill cannot serve is answered plainly."""
        help_skill = fallback().name
        if plan.options:
            data = {"kind": CLARIFY, "options": [dict(o) for o in plan.options], "message": plan.request.text}
            return plan.skill, SkillResult(text=plan.notice or "", confidence=0.0, data=data)
        if plan.notice:
            return plan.skill, SkillResult(text=plan.notice, confidence=1.0, data={"kind": "passage_saved"})
        error = plan.error
        if error is None:
            try:
                return plan.skill, self.skills[plan.skill].run(plan.request)
            except InputError as skill_error:
                error = str(skill_error)
        return help_skill, SkillResult(text=error, confidence=1.0, data={"kind": "cannot_answer"})

    def purge_expired(self, now: datetime | None = None) -> dict[str, int]:
        """Purge the text of answers older than `config.retention_days` (0: keep forever); run at start and daily.

        Remembered conversations are dropped too, so no purged text stays in memory; they resume from the store; so
        are remembered corrections made before the cutoff.
        """
        now = now or datetime.now(timezone.utc)
        counts = purge_expired(self.store, self.config.retention_days, now)
        if self.config.retention_days:
            media_files = self.media.forget_before(now - timedelta(days=self.config.retention_days))
            if media_files or self.media.enabled:
                counts["media files"] = media_files
        if self.memory is not None and self.config.retention_days:
            self.memory.forget_before(now - timedelta(days=self.config.retention_days))
        if counts["turns"]:
            self.sessions.clear()
        return counts

    def delete_session(self, session_id: str) -> dict[str, int]:
        """Delete a session's answers and ratings from the store and forget its conversation."""
        counts = self.store.delete_session(session_id)
        media_files = self.media.forget_session(session_id)  # also those kept before an operator turned keeping off
        if media_files or self.media.enabled:
            counts["media files"] = media_files
        if self.memory is not None:
            counts["remembered corrections"] = self.memory.forget_session(session_id)
        self.sessions.forget(session_id)
        return counts

    def close(self) -> None:
        """Stop the daily purge thread and release the stores' connections."""
        self.stop_purging()
        self.store.close()
        self.knowledge.close()
        if self.memory is not None:
            self.memory.close()
