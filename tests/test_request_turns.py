"""The Assistant follows the request model's readings turn by turn (a scripted reader stands in for the model, so the
test says exactly what was read): a pasted passage alone is kept and acknowledged, never searched in the knowledge
base, and the questions after it are answered from it; a question about the bot goes to help, not to the passage."""

from __future__ import annotations

import pytest

from core.store import FeedbackStore
from skills.request.spec import INTENTS, Understanding

pytestmark = pytest.mark.slow

PASSAGE = (
    "Match report: Rovers beat United 3-1 on Saturday at Elm Park in front of 18,400 fans. Kofi Mensah scored twice "
    "before half-time and the captain, Dan Reilly, added a third from a free kick in the 80th minute."
)


class ScriptedReader:
    """Reads each message as the script says: {message: (intent, {span label: span text})}."""

    def __init__(self, script: dict[str, tuple[str, dict[str, str]]]) -> None:
        self.script, self.contexts = script, []

    def read(self, message, context):
        self.contexts.append(context)
        intent, spans = self.script[message]
        skill, _, kind = intent.partition("/")
        offsets = {label: (message.index(text), message.index(text) + len(text)) for label, text in spans.items()}
        intents = {name: (0.94 if name == intent else 0.06 / (len(INTENTS) - 1)) for name in INTENTS}
        return Understanding(skill, kind, 0.94, intents, offsets)

    def similar_examples(self, query, k=3):
        return None  # a script has no training requests


@pytest.fixture
def scripted(assistant, tmp_path):
    from chatbot.assistant import Assistant
    from core.config import AppConfig

    def build(script, knowledge=None):
        config = AppConfig.from_env(environ={}, home=tmp_path, request_threshold=0.5)
        reader = ScriptedReader(script)
        made = Assistant(
            assistant.skills,
            assistant.router,
            FeedbackStore(config.db_url),
            assistant.knowledge if knowledge is None else knowledge,
            config,
            request_model=reader,
        )
        built.append(made)
        return made, reader

    built = []
    yield build
    for made in built:
        made.close()


def test_a_pasted_passage_is_kept_then_three_questions_are_answered_from_it(scripted, monkeypatch):
    questions = {"who scored twice": "Kofi Mensah", "and how many fans were there": "18,400", "final score?": "3-1"}
    script = {f"fyi {PASSAGE}": ("help/passage_keep", {"PASSAGE": PASSAGE})}
    script |= {q: ("qa/pending_passage_question", {"QUESTION": q}) for q in questions}
    script["what can you do"] = ("help/help", {})
    bot, reader = scripted(script)
    searched = []
    monkeypatch.setattr(bot.knowledge, "search", lambda query, k, vector=None: searched.append(query) or [])
    kept = bot.reply(f"fyi {PASSAGE}", "s1")
    assert (kept.skill, kept.data["kind"]) == ("help", "passage_saved")
    assert kept.text.startswith("Got it") and "the names in it" in kept.text and "its sentiment" in kept.text
    assert not kept.rationale.skill and searched == []  # kept, never looked up in the knowledge base
    for question, answer in questions.items():
        reply = bot.reply(question, "s1")
        assert reply.skill == "qa" and reply.data["source"] == "conversation", reply.rationale.route.reason
        assert (
            answer in reply.data["answer"] and PASSAGE[reply.data["start"] : reply.data["end"]] == reply.data["answer"]
        )
    assert (
        searched == []
        and all(c.pending_passage for c in reader.contexts[1:])
        and reader.contexts[1].previous_skill == "help"
    )
    about = bot.reply("what can you do", "s1")
    assert about.skill == "help" and about.data["kind"] != "passage_saved" and "Kofi" not in about.text


def test_a_follow_up_on_the_kept_passage_runs_the_skill_asked_for(scripted):
    bot, _ = scripted(
        {PASSAGE: ("help/passage_keep", {"PASSAGE": PASSAGE}), "and the names?": ("ner/followup_text", {})}
    )
    bot.reply(PASSAGE, "s2")
    names = bot.reply("and the names?", "s2")
    assert names.skill == "ner" and names.data["text"] == PASSAGE
    assert {"Kofi Mensah", "Dan Reilly"} <= {e["text"] for e in names.data["entities"]}


def test_the_request_model_reads_how_close_the_message_is_to_the_users_documents(scripted, tmp_path):
    from chatbot.knowledge import KnowledgeBase

    asked = "how do I return a rented bike"
    bot, reader = scripted({asked: ("qa/kb_question", {"QUESTION": asked}), "hello": ("help/help", {})})
    reply = bot.reply(asked, "s3")
    bot.reply("hello", "s3")
    expected = [bot.knowledge.closest_cosine(bot.router.embed([m])[0]) for m in (asked, "hello")]
    assert [c.kb_score for c in reader.contexts] == pytest.approx(expected, abs=1e-5)
    assert expected[0] > 0.4 > expected[1]  # the fixture documents hold a bike-rental FAQ
    assert reply.rationale.route.request["context"]["kb_score"] == pytest.approx(expected[0], abs=1e-5)
    empty = KnowledgeBase(f"sqlite:///{tmp_path / 'empty.db'}", bot.router.embed)
    bot, reader = scripted({asked: ("qa/kb_question", {"QUESTION": asked})}, knowledge=empty)
    bot.reply(asked, "s4")
    assert reader.contexts[0].kb_score is None  # no documents yet: nothing to be close to


def test_an_elliptical_question_after_a_knowledge_answer_is_answered_from_the_same_document(scripted):
    first, then = "when does the bike shop open", "and on sundays?"
    bot, _ = scripted({first: ("qa/kb_question", {"QUESTION": first}), then: ("qa/kb_question", {"QUESTION": then})})
    opening = bot.reply(first, "s5")
    assert opening.data["source"] == "kb:bike-rental.md"
    sundays = bot.reply(then, "s5")  # too short for the reader's score floor, which a follow-up is not held to
    assert sundays.skill == "qa" and sundays.data["source"] == "kb:bike-rental.md"
    assert sundays.data["answer"] in "On Sundays it opens at 10 am and closes at 4 pm."  # read from the right sentence
    assert "it continues your previous question, so “bike-rental.md” was read" in sundays.rationale.route.reason


def test_a_question_after_an_analysed_text_is_answered_from_the_documents_that_match_it_better(scripted):
    """Read as about the text analysed before, a question the knowledge base matches closely (and better than that
    text) is answered from the knowledge base; one the text answers stays with the text."""
    review, shop = "find the names: Kofi Mensah scored twice for Rovers at Elm Park", "when does the bike shop open"
    about_text = "who scored"
    bot, _ = scripted(
        {
            review: ("ner/new_text", {"TEXT": "Kofi Mensah scored twice for Rovers at Elm Park"}),
            shop: ("qa/pending_passage_question", {"QUESTION": shop}),
            about_text: ("qa/pending_passage_question", {"QUESTION": about_text}),
        }
    )
    bot.reply(review, "s6")
    opening = bot.reply(shop, "s6")
    assert opening.skill == "qa" and opening.data["source"] == "kb:bike-rental.md"
    assert "your knowledge base matches it closely" in opening.rationale.route.reason
    bot.reply(review, "s7")
    scorer = bot.reply(about_text, "s7")
    assert scorer.data["source"] == "conversation" and "Kofi Mensah" in scorer.data["answer"]
