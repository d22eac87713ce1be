"""The turn planner on its own: hand-made router scores and conversation states, no encoder, no store."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chatbot.conversation import ConversationState
from chatbot.planner import (
    knowledge_rescue,
    knowledge_search,
    passage_rescue,
    plan_turn,
    request_context,
    with_knowledge,
)
from chatbot.router import RouteScores
from core.errors import InputError
from skills.base import Passage
from skills.request.generate import Context
from skills.request.spec import Understanding

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
    with pytest.raises(InputError, match=r"/qa needs a question after it, e.g. /qa who signed the contract\?"):
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


def test_the_knowledge_base_answers_when_its_closest_passage_is_good_enough_and_reads_every_passage_found():
    plan = plan_turn("how do I rate an answer?", ConversationState(), route("qa"), THRESHOLD)
    good = Passage("Rate with the thumbs.", "kb:rating.md", 0.61)
    weak = Passage("Something else.", "kb:other.md", 0.12)
    assert with_knowledge(plan, [weak, good], 0.3).request.passages == (weak, good)  # the reader weighs them
    assert "I have no passage to answer from" in with_knowledge(plan, [], 0.3).error
    refused = with_knowledge(plan, [weak], 0.3)
    assert "best match “other.md”, similarity 0.12" in refused.error and refused.request.passages == ()


def test_a_knowledge_base_question_of_only_common_words_is_told_so():
    plan = plan_turn("what is it about?", ConversationState(), route("qa"), THRESHOLD)
    good = Passage("Rate with the thumbs.", "kb:rating.md", 0.61)
    refused = with_knowledge(plan, [good], 0.3)
    assert "only common words (what, is, it, about)" in refused.error
    assert refused.request.passages == (good,)  # what the search found stays visible to the caller


def understood(message: str, skill: str, kind: str, probability: float = 0.9, **spans: str) -> Understanding:
    """A stub reading of the request model: its spans given as the substrings they cover."""
    found = {}
    for label, text in spans.items():
        start = message.index(text)
        found[label.upper()] = (start, start + len(text))
    return Understanding(skill, kind, probability, {f"{skill}/{kind}": probability}, found)


def test_the_model_reading_decides_the_skill_and_the_text_to_analyse():
    message = "'honestly the best pizza in town, we go every week' does this sound happy to you?"
    reading = understood(message, "sentiment", "new_text", text="honestly the best pizza in town, we go every week")
    plan = plan_turn(message, ConversationState(), route("help"), THRESHOLD, reading)
    assert (plan.skill, plan.request.text, plan.read_by) == (
        "sentiment",
        "honestly the best pizza in town, we go every week",
        "request model",
    )
    assert "the text to analyse" in plan.reason


def test_the_model_reading_finds_a_passage_and_a_question_without_a_question_mark():
    message = "Tickets: adults 10 euros, kids under 12 pay 4 euros, families 25 euros. price for kids"
    passage = "Tickets: adults 10 euros, kids under 12 pay 4 euros, families 25 euros."
    reading = understood(message, "qa", "passage_question", passage=passage, question="price for kids")
    plan = plan_turn(message, ConversationState(), route("help"), THRESHOLD, reading)
    assert plan.skill == "qa" and plan.request.passages == (Passage(passage, "message"),)
    assert plan.request.text == "price for kids" and plan.passage == passage


def test_a_question_read_as_about_an_earlier_passage_uses_the_passage_read_in_the_message():
    message = f"who designed it? {PASSAGE}"
    reading = understood(message, "qa", "pending_passage_question", passage=PASSAGE, question="who designed it?")
    plan = plan_turn(message, ConversationState(), route("help"), THRESHOLD, reading)
    assert plan.request.passages == (Passage(PASSAGE, "message"),) and plan.knowledge_query is None
    assert "read a passage and a question in this message" in plan.reason


def test_a_passage_alone_is_kept_and_questions_about_it_use_it():
    reading = understood(PASSAGE, "help", "passage_keep", passage=PASSAGE)
    kept = plan_turn(PASSAGE, ConversationState(), route("qa"), THRESHOLD, reading)
    assert kept.notice and kept.passage == PASSAGE and kept.knowledge_query is None
    state = ConversationState(passage=PASSAGE, passage_turn=1, turns=1)
    follow = understood("and who designed it", "qa", "pending_passage_question", question="who designed it")
    plan = plan_turn("and who designed it", state, route("ner"), THRESHOLD, follow)
    assert plan.request.passages == (Passage(PASSAGE, "conversation"),) and plan.request.text == "who designed it"


def test_a_follow_up_uses_the_previous_text_and_without_one_the_rules_decide():
    state = ConversationState(last_skill="sentiment", last_text="Priya Nair joined Infosys in Pune")
    reading = understood("and the names?", "ner", "followup_text")
    plan = plan_turn("and the names?", state, route("ner"), THRESHOLD, reading)
    assert (plan.skill, plan.request.text, plan.overridden_by) == ("ner", state.last_text, "conversation")
    alone = plan_turn("and the names?", ConversationState(), route("help", 0.2), THRESHOLD, reading)
    assert alone.read_by == "rules"


def test_an_unsure_reading_or_a_command_leaves_the_decision_to_the_rules():
    unsure = understood("write me a poem", "sentiment", "new_text", probability=0.3, text="write me a poem")
    assert plan_turn("write me a poem", ConversationState(), route("help", 0.9), THRESHOLD, unsure).skill == "help"
    sure = understood("/ner Ada Lovelace", "sentiment", "new_text", text="Ada Lovelace")
    assert plan_turn("/ner Ada Lovelace", ConversationState(), route("help"), THRESHOLD, sure).skill == "ner"


def test_a_reading_sure_of_the_skill_but_not_of_the_kind_of_turn_is_followed_not_asked():
    message = "Context: The tower was completed in 1889. Question: when was it completed?"
    passage, question = "The tower was completed in 1889.", "when was it completed?"
    spans = {"PASSAGE": (message.index(passage), message.index(passage) + len(passage))}
    spans["QUESTION"] = (message.index(question), len(message))
    split = {"qa/passage_question": 0.52, "qa/pending_passage_question": 0.38, "ner/new_text": 0.1}
    reading = Understanding("qa", "passage_question", 0.52, split, spans)
    assert reading.skill_probability == pytest.approx(0.9)
    plan = plan_turn(message, ConversationState(), route("help"), THRESHOLD, reading, model_threshold=0.6)
    assert plan.skill == "qa" and plan.request.passages[0].text == passage and plan.request.text == question
    torn = Understanding(
        "qa", "passage_question", 0.52, {**split, "qa/pending_passage_question": 0.0, "ner/new_text": 0.48}, spans
    )
    assert (
        plan_turn(message, ConversationState(), route("help"), THRESHOLD, torn, model_threshold=0.6).skill == "clarify"
    )


def test_the_context_the_model_reads_comes_from_the_conversation_state():
    state = ConversationState(
        passage=PASSAGE, previous_skill="qa", previous_message="when?", previous_source="kb:gym.md"
    )
    context = request_context(state)
    assert (context.previous_skill, context.pending_passage, context.pending_kb) == ("qa", True, True)
    assert request_context(ConversationState()) == Context()


def test_a_short_question_after_a_knowledge_answer_is_searched_with_the_one_before():
    state = ConversationState(
        previous_skill="qa", previous_message="when does the gym open?", previous_source="kb:gym.md"
    )
    follow = plan_turn("and on sundays?", state, route("qa"), THRESHOLD)
    assert knowledge_search(follow, state) == ("when does the gym open? and on sundays?", "kb:gym.md")
    longer = plan_turn("how much does a monthly membership cost for students?", state, route("qa"), THRESHOLD)
    assert knowledge_search(longer, state) == ("how much does a monthly membership cost for students?", None)
    fresh = ConversationState(previous_skill="qa", previous_message="who won?", previous_source="message")
    assert knowledge_search(plan_turn("and when?", fresh, route("qa"), THRESHOLD), fresh)[1] is None


def test_the_preferred_document_answers_where_it_has_a_good_enough_passage():
    plan = plan_turn("and on sundays?", ConversationState(), route("qa"), THRESHOLD)
    other = Passage("Sunday brunch is at 11.", "kb:menu.md", 0.55)
    gym = Passage("On Sundays the gym opens at 9.", "kb:gym.md", 0.41)
    followed = with_knowledge(plan, [other, gym], 0.3, prefer="kb:gym.md")
    assert followed.request.passages == (gym,) and followed.request.follow_up
    assert "it continues your previous question, so “gym.md” was read" in followed.reason
    fresh = with_knowledge(plan, [other, gym], 0.3)
    assert fresh.request.passages == (other, gym) and not fresh.request.follow_up
    elsewhere = with_knowledge(plan, [other, gym], 0.45, prefer="kb:gym.md")
    assert elsewhere.request.passages == (other, gym) and not elsewhere.request.follow_up


def test_a_follow_up_of_only_common_words_is_looked_up_with_the_question_before_it():
    state = ConversationState(
        previous_skill="qa", previous_message="when is the school trip", previous_source="kb:trip.md"
    )
    plan = plan_turn("where to?", state, route("qa"), THRESHOLD)
    query, prefer = knowledge_search(plan, state)
    trip = Passage("The trip goes to the Science Museum in London.", "kb:trip.md", 0.5)
    followed = with_knowledge(plan, [trip], 0.3, prefer, query)
    assert followed.error is None and followed.request.passages == (trip,)
    assert "only common words (where, to)" in with_knowledge(plan, [trip], 0.3).error  # on its own it says nothing


def test_plain_help_that_the_knowledge_base_matches_closely_is_answered_from_it():
    reading = understood("what time is zumba", "help", "help")
    plan = plan_turn("what time is zumba", ConversationState(), route("help"), THRESHOLD, reading)
    assert plan.skill == "help"
    gym = Passage("Zumba: Tuesdays at 7 pm with Carla.", "kb:gym.md", 0.55)
    rescued = knowledge_rescue(plan, [gym], rescue_score=0.42, min_score=0.25)
    assert rescued.skill == "qa" and rescued.request.passages == (gym,) and rescued.read_by == "request model"
    assert "your knowledge base matches it closely (“gym.md”, similarity 0.55 ≥ 0.42)" in rescued.reason
    assert knowledge_rescue(plan, [replace(gym, retrieval_score=0.37)], 0.42, 0.25) is None
    assert knowledge_rescue(plan, [], 0.42, 0.25) is None


def test_the_closest_passage_decides_a_rescue_and_names_the_best_match_when_the_ranking_put_another_first():
    # hybrid retrieval may rank a keyword match first; the thresholds are about the cosine, so the closest decides
    reading = understood("how do I get my money back", "help", "help")
    plan = plan_turn("how do I get my money back", ConversationState(), route("help"), THRESHOLD, reading)
    keyword = Passage("Bikes are parked at the back of the shop.", "kb:bikes.md", 0.06)
    refunds = Passage("Refunds are paid to the original card.", "kb:refunds.md", 0.46)
    rescued = knowledge_rescue(plan, [keyword, refunds], rescue_score=0.42, min_score=0.25)
    assert rescued.request.passages == (keyword, refunds) and "(“refunds.md”, similarity 0.46 ≥ 0.42)" in rescued.reason
    weak = Passage("Something else.", "kb:other.md", 0.12)
    refused = with_knowledge(plan, [keyword, weak], 0.3)
    assert "best match “other.md”, similarity 0.12" in refused.error


def test_plain_help_close_to_the_passage_pasted_earlier_is_a_question_about_it():
    reading = understood("who designed it", "help", "help")
    state = ConversationState(passage=PASSAGE, passage_turn=1, turns=2)
    plan = plan_turn("who designed it", state, route("help"), THRESHOLD, reading)
    rescued = passage_rescue(plan, state, similarity=0.31, rescue_score=0.15)
    assert rescued.skill == "qa" and rescued.request.passages == (Passage(PASSAGE, "conversation"),)
    assert "close to the passage you pasted (similarity 0.31 ≥ 0.15)" in rescued.reason
    assert passage_rescue(plan, state, 0.09, 0.15) is None
    assert passage_rescue(plan, ConversationState(), 0.9, 0.15) is None
