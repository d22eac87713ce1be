"""The turn planner on its own: hand-made router scores and conversation states, no encoder, no store."""

from __future__ import annotations

import pytest

from chatbot.conversation import ConversationState
from chatbot.planner import plan_turn, with_knowledge
from chatbot.router import RouteScores
from core.errors import InputError
from skills.base import Passage

THRESHOLD = 0.32
PASSAGE = (
    "The Millau Viaduct is a cable-stayed bridge over the Tarn valley in southern France. It was designed by the "
    "engineer Michel Virlogeux and the architect Norman Foster, and it opened to traffic in December 2004."
)


def route(best: str, similarity: float = 0.8) -> RouteScores:
    names = ("ner", "sentiment", "qa", "help")
    similarities = {name: (similarity if name == best else 0.1) for name in names}
    scores = {name: (0.97 if name == best else 0.01) for name in names}
    return RouteScores(best, scores, similarities, {name: f"an example for {name}" for name in names})


def test_a_command_overrides_the_router():
    plan = plan_turn("/sentiment the soup was cold", ConversationState(), route("ner"), THRESHOLD)
    assert (plan.skill, plan.request.text, plan.overridden_by) == ("sentiment", "the soup was cold", "command")


def test_a_bare_command_works_on_the_previous_text_or_says_what_it_needs():
    state = ConversationState(last_skill="sentiment", last_text="Priya Nair joined Infosys")
    plan = plan_turn("/ner", state, route("help"), THRESHOLD)
    assert (plan.skill, plan.request.text) == ("ner", "Priya Nair joined Infosys")
    assert "on the previous text" in plan.reason
    with pytest.raises(InputError, match=r"/qa needs a question after it, e.g. /qa how do I correct an answer\?"):
        plan_turn("/qa", state, route("help"), THRESHOLD)
    assert plan_turn("/help", state, route("ner"), THRESHOLD).request.text == "what can you do"


def test_an_unknown_command_lists_the_registered_ones():
    with pytest.raises(InputError, match=r"Try /ner, /sentiment, /qa or /help\."):
        plan_turn("/translate hola", ConversationState(), route("help"), THRESHOLD)


def test_now_this_one_repeats_the_previous_skill_on_new_text():
    state = ConversationState(last_skill="sentiment", last_text="a dull film")
    plan = plan_turn("now this one: a warm and funny film", state, route("ner"), THRESHOLD)
    assert (plan.skill, plan.request.text, plan.overridden_by) == ("sentiment", "a warm and funny film", "conversation")


def test_a_passage_with_its_question_is_answered_from_that_passage_and_kept():
    message = f"Context: {PASSAGE} Question: who designed the bridge?"
    plan = plan_turn(message, ConversationState(), route("ner"), THRESHOLD)
    assert plan.skill == "qa" and plan.request.text == "who designed the bridge?"
    assert plan.request.passages == (Passage(PASSAGE, "message"),)
    assert plan.passage == PASSAGE and plan.knowledge_query is None


def test_a_long_text_without_a_request_is_kept_as_a_passage():
    plan = plan_turn(PASSAGE, ConversationState(), route("sentiment", 0.2), THRESHOLD)
    assert plan.notice is not None and "I've kept this passage" in plan.notice
    assert (plan.skill, plan.passage, plan.overridden_by) == ("help", PASSAGE, "passage")


def test_a_question_goes_to_the_pasted_passage_else_to_the_knowledge_base():
    pasted = ConversationState(passage=PASSAGE, passage_turn=1, turns=1)
    plan = plan_turn("who designed it?", pasted, route("qa"), THRESHOLD)
    assert plan.request.passages == (Passage(PASSAGE, "conversation"),)
    assert "you pasted a passage in your previous message" in plan.reason
    fresh = plan_turn("how do I rate an answer?", ConversationState(), route("qa"), THRESHOLD)
    assert (fresh.skill, fresh.knowledge_query, fresh.request.passages) == ("qa", "how do I rate an answer?", ())


def test_an_unsure_question_still_goes_to_question_answering():
    plan = plan_turn("who won the cup?", ConversationState(), route("sentiment", 0.2), THRESHOLD)
    assert plan.skill == "qa" and plan.knowledge_query == "who won the cup?"
    assert "no skill matched well" in plan.reason and "it is a question" in plan.reason


def test_an_unsure_statement_goes_to_help_with_the_reason():
    plan = plan_turn("write me a poem", ConversationState(), route("sentiment", 0.2), THRESHOLD)
    assert plan.skill == "help" and "similarity 0.20 < 0.32" in plan.reason
    closest = plan_turn("hello", ConversationState(), route("help", 0.9), THRESHOLD)
    assert closest.skill == "help" and "closest to a help example" in closest.reason


def test_a_reference_to_it_works_on_the_previous_text():
    state = ConversationState(last_skill="sentiment", last_text="Priya Nair joined Infosys in Pune")
    plan = plan_turn("and who is in it?", state, route("ner"), THRESHOLD)
    assert (plan.skill, plan.request.text, plan.overridden_by) == ("ner", state.last_text, "conversation")


def test_the_knowledge_base_answer_needs_a_good_enough_passage():
    plan = plan_turn("how do I rate an answer?", ConversationState(), route("qa"), THRESHOLD)
    good = Passage("Rate with the thumbs.", "kb:rating.md", 0.61)
    weak = Passage("Something else.", "kb:other.md", 0.12)
    assert with_knowledge(plan, [good, weak], 0.3).request.passages == (good,)
    assert "I have no passage to answer from" in with_knowledge(plan, [], 0.3).error
    refused = with_knowledge(plan, [weak], 0.3)
    assert "best match “other.md”, similarity 0.12" in refused.error and refused.request.passages == ()
