"""The help skill: questions about the bot answered from its own documentation (skills/help/docs/) with the real
packaged encoder, small talk kept short, and the regular expressions alone when it is built without an encoder."""

from __future__ import annotations

import uuid

import pytest

from skills.base import SkillRequest
from skills.help.model import CAPABILITIES_HEADING, MIN_SIMILARITY, build
from skills.help.sections import DOCS, load_sections, split_sections

DOC = """# Title

## How do I rate?

Click the thumb.
It is saved.

Second paragraph.

### Empty heading
## What is NER? ##

Names in text.
"""


def test_a_document_splits_into_headed_sections_with_reflowed_paragraphs():
    sections = split_sections(DOC, "guide.md")
    assert [(s.heading, s.text) for s in sections] == [
        ("How do I rate?", "Click the thumb. It is saved.\n\nSecond paragraph."),
        ("What is NER?", "Names in text."),
    ]
    assert sections[0].source == "help:guide.md#How do I rate?"


def test_the_packaged_documentation_has_sections_and_headings_are_unique():
    sections = load_sections()
    headings = [s.heading for s in sections]
    assert len(sections) >= 15 and len(set(headings)) == len(headings)
    assert CAPABILITIES_HEADING not in headings  # the generated "what can you do" answer is its own section
    assert all(s.text and len(s.text.split()) <= 150 for s in sections), "answers stay short"


def test_a_folder_without_documentation_is_refused(tmp_path):
    with pytest.raises(ValueError, match="no documentation sections"):
        load_sections(tmp_path)


def test_the_knowledge_base_no_longer_holds_the_bots_documentation():
    from core.config import REPO_ROOT, AppConfig

    assert not (REPO_ROOT / "kb").exists()
    assert AppConfig.from_env(environ={}).default_docs is None
    assert DOCS.is_relative_to(REPO_ROOT / "skills" / "help")


def test_without_an_encoder_the_regular_expressions_answer():
    help_skill = build(None)
    assert help_skill.search("what is sentiment analysis?") == []
    assert help_skill.run(SkillRequest("hello there")).data == {"kind": "greeting"}
    assert help_skill.run(SkillRequest("what can you do?")).data == {"kind": "capabilities"}
    unsupported = help_skill.run(SkillRequest("what is sentiment analysis?"))
    assert unsupported.data == {"kind": "unsupported"} and unsupported.text.startswith("I can't help with that")


@pytest.fixture(scope="module")
def help_skill(assistant):
    """Help as the app built it: on the shared encoder (build_skills hands it to every skill)."""
    return assistant.skills["help"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("message", "document", "heading", "words"),
    [
        ("what is sentiment analysis", "skills.md", "What is sentiment analysis?", ("positive or negative",)),
        ("how do I correct an answer", "rating.md", "How do I correct a wrong answer?", ("Correction box",)),
        ("do you keep my messages", "privacy.md", "Do you keep my messages?", ("EXCHAT_RETENTION_DAYS",)),
    ],
)
def test_a_question_about_the_bot_is_answered_from_the_right_section(help_skill, message, document, heading, words):
    result = help_skill.run(SkillRequest(message))
    assert result.data["kind"] == "documentation"
    assert result.rationale["document"] == document and result.rationale["section"].startswith(heading)
    assert result.data["source"] == f"help:{document}#{result.rationale['section']}"
    section = next(s for s in load_sections() if s.heading == result.rationale["section"])
    assert result.text == section.text and all(w in result.text for w in words)
    assert MIN_SIMILARITY <= result.rationale["similarity"] == result.confidence <= 1.0
    assert result.rationale["runner_up"]["similarity"] < result.rationale["similarity"]


@pytest.mark.slow
@pytest.mark.parametrize(("message", "kind"), [("hello!", "greeting"), ("thanks a lot", "thanks"), ("bye", "farewell")])
def test_small_talk_keeps_its_short_reply(help_skill, message, kind):
    result = help_skill.run(SkillRequest(message))
    assert result.data == {"kind": kind}
    assert "documentation" not in result.rationale.values()


@pytest.mark.slow
def test_what_can_you_do_lists_the_registered_skills(help_skill):
    result = help_skill.run(SkillRequest("what can you do?"))
    assert result.rationale["section"] == CAPABILITIES_HEADING
    assert all(f"**{name}**" in result.text for name in ("ner", "sentiment", "qa"))


@pytest.mark.slow
def test_a_request_no_section_matches_gets_the_plain_refusal_with_the_closest_section(help_skill):
    result = help_skill.run(SkillRequest("write me a poem about the sea"))
    assert result.data == {"kind": "unsupported"} and result.text.startswith("I can't help with that")
    assert result.rationale["similarity"] < MIN_SIMILARITY == result.rationale["min_similarity"]
    assert result.rationale["closest_section"]


@pytest.mark.slow
def test_the_explanation_names_the_section_that_answered(assistant):
    from chatbot.render import answer_markdown, rationale_markdown

    reply = assistant.reply("/help do you keep my messages?", uuid.uuid4().hex)
    assert reply.skill == "help" and reply.data["section"] == "Do you keep my messages?"
    assert "From the bot's documentation: “Do you keep my messages?”" in answer_markdown(reply)
    why = rationale_markdown(reply)
    assert "**Answered from the bot's documentation:** “Do you keep my messages?” (privacy.md), similarity" in why
    stored = assistant.store.turn(reply.turn_id)
    assert stored.output["data"]["source"] == "help:privacy.md#Do you keep my messages?"
    assert stored.output["rationale"]["skill"]["section"] == "Do you keep my messages?"


@pytest.mark.slow
def test_a_question_about_the_bot_goes_to_help_not_to_the_knowledge_base(assistant):
    reply = assistant.reply("what is sentiment analysis?", uuid.uuid4().hex)
    assert reply.skill == "help", reply.rationale.route
    assert reply.data["kind"] == "documentation" and reply.data["source"].startswith("help:skills.md#")
