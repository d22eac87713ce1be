"""The turn planner: message + conversation state + router scores -> which skill runs on what, and why.

Pure functions: no model, no store. The order: a command (`/ner …`) > "now this one: …" (the previous skill on new
text) > the request model's reading, where it is sure enough (an unsure one asks) > a passage with its question in
the message > the router (a message closest to no skill, or to the fallback, is a saved passage, a question, or
help; "it"/"this" refer to the previous text; a question goes to the passage pasted earlier, else to the knowledge
base). A plain help reading is checked against the pasted passage and the knowledge base (`passage_rescue`,
`knowledge_rescue`). Which skill answers questions and which answers the rest come from the skills' specs (`reads`),
never from their names.

A question for the knowledge base leaves the planner with `knowledge_query` set; the `Assistant` searches and
`with_knowledge` (also pure) decides from what it found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from chatbot import conversation as conv
from chatbot.conversation import ConversationState
from chatbot.retrieval import keyword_tokens
from chatbot.router import RouteScores
from core.errors import InputError
from skills.base import Passage, SkillRequest
from skills.registry import fallback, get_skill, reading, registered, skill_names
from skills.request.generate import Context
from skills.request.spec import Understanding, split_intent


@dataclass(frozen=True)
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
    knowledge_query: str | None = None  # a question to look up in the knowledge base before answering
    read_by: str = "rules"  # "request model" when its reading decided the plan
    options: tuple[dict[str, str], ...] = ()  # a clarifying question's choices: {"intent", "skill", "label"}


CLARIFY = "clarify"  # the skill name a clarifying question is stored under (no skill answers it)
CLARIFY_OPTIONS = 3
CLARIFY_COVER = 0.9  # offer the likeliest readings until they hold this much of the probability


def clarify_options(understanding: Understanding) -> tuple[dict[str, str], ...]:
    """The likeliest readings of different skills users talk to, best first, until they cover CLARIFY_COVER."""
    options: list[dict[str, str]] = []
    covered = 0.0
    for label, probability in sorted(understanding.intents.items(), key=lambda item: -item[1]):
        skill = split_intent(label)[0]
        if skill not in skill_names() or any(o["skill"] == skill for o in options):
            continue
        options.append({"intent": label, "skill": skill, "label": get_skill(skill).spec.offer or skill})
        covered += probability
        if covered >= CLARIFY_COVER or len(options) == CLARIFY_OPTIONS:
            break
    return tuple(options)


def clarify_question(options: tuple[dict[str, str], ...]) -> str:
    labels = [o["label"] for o in options]
    return f"Do you want {', '.join(labels[:-1])} or {labels[-1]}?" if len(labels) > 1 else f"Do you want {labels[0]}?"


def plan_turn(
    message: str,
    state: ConversationState,
    route: RouteScores,
    threshold: float,
    understanding: Understanding | None = None,
    model_threshold: float = 0.5,
) -> Plan:
    """The plan for a cleaned message; InputError for a command that cannot be served (unknown, or missing text).
    A command decides first; then the request model's reading when it is sure enough; then the rules."""
    command, rest = conv.parse_command(message)
    if command:
        return _plan_command(command, rest, state)
    repeated = conv.repeat_request(message)
    if repeated and state.last_skill is not None and _reads(state.last_skill) != "message":
        reason = f"“now this one” repeats the previous skill ({state.last_skill})"  # as explicit as a command
        return _plan_for(state.last_skill, repeated, state, reason, "conversation")
    # Sure of the skill, unsure only of the kind of turn ("a question with its passage" or "about the passage
    # pasted before"): asking which skill was meant would be a question with one answer, so the reading stands.
    if understanding is not None and understanding.skill_probability >= model_threshold:
        understood = plan_understood(message, state, understanding)
        if understood is not None:
            return understood
    elif understanding is not None:
        options = clarify_options(understanding)
        if len(options) > 1:  # unsure between skills: ask (Rasa's two-stage fallback) rather than guess
            reason = (
                f"the request model is unsure ({understanding.skill_probability:.0%} < {model_threshold:.0%} for "
                f"{understanding.skill}): it asks"
            )
            return Plan(
                CLARIFY,
                SkillRequest(message),
                reason,
                None,
                notice=clarify_question(options),
                options=options,
                read_by="request model",
            )
    inline = conv.split_passage_question(message)
    if inline:
        return _plan_inline(*inline, "your message holds a passage and a question about it", "passage")
    best, similarity = route.best, route.similarities[route.best]
    confident = similarity >= threshold
    help_skill = fallback().name
    if not confident or best == help_skill:
        if conv.looks_like_passage(message):
            return _plan_passage_saved(message, route)
        if conv.is_question(message) and not confident:
            reason = f"no skill matched well (best: {best}, similarity {similarity:.2f}), and it is a question"
            return _plan_question(message, state, reason, "conversation")
        if best == help_skill:
            reason = f"the message is closest to a help example ({similarity:.2f})"
        else:
            reason = f"no skill matched well (best: {best}, similarity {similarity:.2f} < {threshold:.2f})"
        return Plan(help_skill, SkillRequest(message), reason)
    reason = f"closest routing example is “{route.nearest_examples[best]}” (similarity {similarity:.2f})"
    if _reads(best) == "question":
        return _plan_question(message, state, reason, None)
    instruction, text = conv.split_instruction(message)
    if conv.refers_to_earlier_text(message) and state.last_text and instruction is None:
        reason = f"{reason}; “{message}” refers to {state.earlier_text}"
        return _plan_for(best, state.last_text, state, reason, "conversation")
    return _plan_for(best, text, state, reason, None)


def request_context(state: ConversationState, kb_score: float | None = None) -> Context:
    """What the request model knows of the conversation: the previous turn, what is pending, and how close the
    message is to the user's documents (`kb_score`, None while the knowledge base is empty)."""
    return Context(
        previous_skill=state.previous_skill,
        previous_message=state.previous_message,
        pending_passage=state.passage is not None or state.last_text is not None,
        pending_kb=(state.previous_source or "").startswith("kb:"),
        kb_score=kb_score,
    )


def plan_understood(message: str, state: ConversationState, understanding: Understanding) -> Plan | None:
    """The plan the request model's reading gives (its skill, kind of turn and spans), or None where the reading
    cannot be served (a skill this app does not have, a follow-up with nothing before it): the rules decide then."""
    skill, kind = understanding.skill, understanding.kind
    if skill not in skill_names():
        return None
    text, passage, question = (understanding.span_text(message, label) for label in ("TEXT", "PASSAGE", "QUESTION"))
    why = f"the request model reads this as {kind.replace('_', ' ')} for {skill} ({understanding.probability:.0%})"
    if kind == "pending_passage_question" and passage and question:  # its own spans say the passage is right here
        kind, why = "passage_question", f"{why}, but it read a passage and a question in this message"
    reads = get_skill(skill).spec.reads
    plan = None
    if kind == "new_text" and reads == "text":
        reading_text = text or message
        said = f"{why}; the text to analyse: “{_short(reading_text)}”"
        kept = reading_text if conv.looks_like_passage(reading_text) else None
        plan = Plan(skill, SkillRequest(reading_text), said, None, subject=reading_text, passage=kept)
    elif kind == "followup_text" and reads == "text" and state.last_text:
        plan = Plan(
            skill,
            SkillRequest(state.last_text),
            f"{why}, on {state.earlier_text}",
            "conversation",
            subject=state.last_text,
        )
    elif kind == "passage_question" and reads == "question" and passage:
        asked = question or message.replace(passage, " ").strip()
        plan = _plan_inline(
            passage, asked, f"{why}; the passage: “{_short(passage)}”, the question: “{asked}”", "passage"
        )
    elif kind == "pending_passage_question" and reads == "question":
        asked = question or message
        if state.passage is None and state.last_text:  # a question about the text analysed before
            earlier = SkillRequest(asked, (Passage(state.last_text, "conversation"),))
            reason = f"{why}; about {state.earlier_text}"
            plan = Plan(skill, earlier, reason, "conversation", subject=state.last_text)
        else:
            plan = _plan_question(asked, state, why, "conversation")
    elif kind == "kb_question" and reads == "question":
        asked = question or message
        plan = Plan(skill, SkillRequest(asked), f"{why}; answered from the knowledge base", None, knowledge_query=asked)
    elif kind == "passage_keep" and reads == "message":
        plan = _plan_passage_saved(passage or message, None, why)
    elif reads == "message":
        plan = Plan(skill, SkillRequest(message), why)
    return None if plan is None else replace(plan, read_by="request model")


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


FOLLOW_UP_MAX_WORDS = 6  # a question this short right after a knowledge-base answer continues it


def knowledge_search(plan: Plan, state: ConversationState) -> tuple[str, str | None]:
    """What to search the knowledge base for, and the document to prefer: a short question right after a
    knowledge-base answer ("and on sundays?") is searched together with the question before it, and the document
    that answered is preferred."""
    query = plan.knowledge_query or plan.request.text
    previous = state.previous_source or ""
    if previous.startswith("kb:") and state.previous_message and len(query.split()) <= FOLLOW_UP_MAX_WORDS:
        return f"{state.previous_message} {query}", previous
    return query, None


def with_knowledge(
    plan: Plan, found: list[Passage], min_score: float, prefer: str | None = None, searched: str | None = None
) -> Plan:
    """A knowledge-base question's plan once the search for `searched` (default: the question; a follow-up's joins
    the question before it, `knowledge_search`) returned `found` (best first): every passage found, when
    the closest reaches `min_score` (only the `prefer`red document's, where one of them does: the reader takes the
    best span of all it is given, weighed by their retrieval rank), or the reason there are none. The cosine is the
    question's, not each passage's: hybrid retrieval finds keyword matches whose cosine is low, and the reader, not
    a cut, should weigh them. A question of only common words ("what is it about?": no word the keyword ranking
    knows) found its passages by chance, so it is told so rather than answered from them."""
    close = [p for p in found if (p.retrieval_score or 0.0) >= min_score]
    passages, reason, follow_up = (tuple(found) if close else ()), plan.reason, False
    if prefer is not None and any(p.source == prefer for p in close):
        passages, follow_up = tuple(p for p in found if p.source == prefer), True
        reason += f"; it continues your previous question, so “{prefer[3:]}” was read"
    request = SkillRequest(plan.request.text, passages, follow_up=follow_up)
    updated = replace(plan, request=request, knowledge_query=None, reason=reason)
    if not found:
        error = "I have no passage to answer from: paste a text first, or add documents to the knowledge base."
        return replace(updated, error=error)
    if not keyword_tokens(searched or plan.request.text):
        common = ", ".join(dict.fromkeys(re.findall(r"[\w'’]+", plan.request.text.lower())))
        error = (
            f"Your question has only common words ({common}), so there is nothing to look up in your documents: "
            "say what you are asking about, e.g. “what time is check-in?”"
        )
        return replace(updated, error=error)
    if not passages:
        closest = _closest(found)
        error = (
            f"I found nothing about that in the knowledge base (best match “{closest.source[3:]}”, similarity "
            f"{closest.retrieval_score:.2f}). Paste a passage and ask again, or add a document about it."
        )
        return replace(updated, error=error)
    return updated


def passage_rescue(plan: Plan, state: ConversationState, similarity: float, rescue_score: float) -> Plan | None:
    """A message read as plain help, right after a passage was pasted, that is close enough to that passage ("who
    won" after a match report): a question about it. None without a pending passage or below `rescue_score`."""
    if state.passage is None or similarity < rescue_score:
        return None
    reason = (
        f"{plan.reason}, but it is close to the passage you pasted (similarity {similarity:.2f} ≥ {rescue_score:.2f})"
    )
    return replace(_plan_question(plan.request.text, state, reason, "conversation"), read_by=plan.read_by)


def knowledge_rescue(plan: Plan, found: list[Passage], rescue_score: float, min_score: float) -> Plan | None:
    """A message read as plain help that the user's own documents match closely ("what time is zumba", worded like a
    request the bot cannot serve), answered from them; None where nothing matches at least `rescue_score`."""
    closest = _closest(found) if found else None
    if closest is None or (closest.retrieval_score or 0.0) < rescue_score:
        return None
    reason = (
        f"{plan.reason}, but your knowledge base matches it closely (“{closest.source[3:]}”, similarity "
        f"{closest.retrieval_score:.2f} ≥ {rescue_score:.2f}): answered from there"
    )
    answering = Plan(reading("question").name, SkillRequest(plan.request.text), reason, "knowledge base")
    return with_knowledge(replace(answering, read_by=plan.read_by), found, min_score)


def _closest(found: list[Passage]) -> Passage:
    """The passage most similar to the question: the knowledge base ranks by keywords and meaning together (hybrid
    retrieval), so the first passage need not be the one with the highest cosine, which the thresholds are about."""
    return max(found, key=lambda passage: passage.retrieval_score or 0.0)


def _reads(skill: str) -> str:
    return get_skill(skill).spec.reads


def _plan_command(command: str, rest: str, state: ConversationState) -> Plan:
    reason = f"you used the /{command} command"
    spec = get_skill(command).spec
    if spec.reads == "message":
        return Plan(command, SkillRequest(rest or spec.default_request), reason, "command")
    if not rest:
        if spec.reads != "question" and state.last_text:
            return _plan_for(command, state.last_text, state, reason + " on the previous text", "command")
        example = "a question" if spec.reads == "question" else "some text"
        raise InputError(f"/{command} needs {example} after it, e.g. /{command} {spec.command_example}")
    return _plan_for(command, rest, state, reason, "command")


def _plan_for(skill: str, text: str, state: ConversationState, reason: str, overridden_by: str | None) -> Plan:
    if _reads(skill) == "question":
        inline = conv.split_passage_question(text)
        if inline:
            return _plan_inline(*inline, reason, overridden_by)
        return _plan_question(text, state, reason, overridden_by)
    passage = text if conv.looks_like_passage(text) else None
    return Plan(skill, SkillRequest(text), reason, overridden_by, subject=text, passage=passage)


def _plan_question(question: str, state: ConversationState, reason: str, overridden_by: str | None) -> Plan:
    answering = reading("question").name
    if state.passage:
        ago = state.turns - state.passage_turn
        when = "in your previous message" if ago <= 1 else f"{ago} turns ago"
        pasted = f"you pasted a passage {when}"
        if state.picture:
            pasted = "your picture's text is the passage"
        elif state.passage_read:
            pasted = f"the passage is the text read from the picture you sent {when}"
        return Plan(
            answering,
            SkillRequest(question, (Passage(state.passage, "picture" if state.passage_read else "conversation"),)),
            f"{reason}; {pasted}, so this is a question about it",
            overridden_by or "conversation",
            subject=state.passage,
        )
    return Plan(
        answering,
        SkillRequest(question),
        f"{reason}; answered from the knowledge base",
        overridden_by,
        knowledge_query=question,
    )


def _plan_passage_saved(message: str, route: RouteScores | None, reason: str | None = None) -> Plan:
    words = len(message.split())
    analysing = [d.spec for d in registered() if d.spec.reads == "text"]
    offers = " or ".join(spec.offer or spec.name for spec in analysing)
    commands = ", ".join(f"/{spec.name}" for spec in analysing)
    if reason is None:
        reason = (
            f"a {words}-word text with no question and no clear request (best skill {route.best}, "
            f"similarity {route.similarities[route.best]:.2f}): kept as a passage"
        )
    return Plan(
        fallback().name,
        SkillRequest(message),
        reason,
        "passage",
        subject=message,
        passage=message,
        notice=f"Got it: I've kept this passage ({words} words). Ask me about it, or ask for {offers} ({commands}).",
    )


def _plan_inline(passage: str, question: str, reason: str, overridden_by: str | None) -> Plan:
    """A question about the passage given with it; the passage is remembered for follow-up questions."""
    request = SkillRequest(question, (Passage(passage, "message"),))
    return Plan(reading("question").name, request, reason, overridden_by, subject=passage, passage=passage)
