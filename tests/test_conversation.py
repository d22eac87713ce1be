from __future__ import annotations

import pytest

from chatbot import conversation as conv
from core.errors import InputError


@pytest.mark.parametrize("message", ["", "   ", "\n\t ", "\x00\x01\x02", "\u200b\u200b", "\x07 \x1b"])
def test_empty_or_invisible_message_is_rejected_with_a_clear_message(message):
    with pytest.raises(InputError, match="empty"):
        conv.clean_message(message, 100)


def test_long_message_is_rejected_naming_the_limit():
    with pytest.raises(InputError, match="100,000 characters; the limit is 20,000"):
        conv.clean_message("a" * 100_000, 20_000)


def test_control_characters_and_lone_surrogates_are_removed_but_text_kept():
    assert conv.clean_message("hel\x00lo\u200b wor\ud800ld\n", 100) == "hello wor?ld"


def test_non_text_message_is_rejected():
    with pytest.raises(InputError):
        conv.clean_message(b"bytes", 100)


def test_commands_are_parsed_and_unknown_ones_rejected():
    assert conv.parse_command("/ner Priya joined Infosys") == ("ner", "Priya joined Infosys")
    assert conv.parse_command("/QA who?") == ("qa", "who?")
    assert conv.parse_command("/help") == ("help", "")
    assert conv.parse_command("no command here") == (None, "no command here")
    with pytest.raises(InputError, match="Unknown command /translate"):
        conv.parse_command("/translate hello")


def test_context_question_message_is_split():
    passage, question = conv.split_passage_question("Context: Ada was born in London. Question: where was Ada born?")
    assert passage == "Ada was born in London."
    assert question == "where was Ada born?"


def test_read_this_message_is_split_at_the_final_question():
    passage, question = conv.split_passage_question("read this: Marie Curie won two Nobel prizes. who won them?")
    assert passage == "Marie Curie won two Nobel prizes."
    assert question == "who won them?"


def test_short_question_is_not_a_passage():
    assert conv.split_passage_question("Who founded Infosys? Where is it?") is None
    assert conv.split_passage_question("who founded Infosys?") is None


def test_long_text_ending_in_question_is_a_passage_and_question():
    text = " ".join(["The committee met in Geneva and agreed on a plan for the region."] * 3) + " Where did it meet?"
    passage, question = conv.split_passage_question(text)
    assert question == "Where did it meet?"
    assert passage.endswith("region.")


def test_instruction_prefix_is_split_from_the_text():
    assert conv.split_instruction("find the names in: Priya Nair joined Infosys") == (
        "find the names in",
        "Priya Nair joined Infosys",
    )
    assert conv.split_instruction("Priya Nair joined Infosys") == (None, "Priya Nair joined Infosys")
    long_head = "this is a very long sentence that happens to contain a colon: later"
    assert conv.split_instruction(long_head) == (None, long_head)


def test_repeat_request_takes_the_new_text():
    assert conv.repeat_request("now this one: the soup was cold") == "the soup was cold"
    assert conv.repeat_request("what about: Angela Merkel in Berlin") == "Angela Merkel in Berlin"
    assert conv.repeat_request("the soup was cold") is None


def test_reference_detection_needs_a_short_message_with_a_pointer():
    assert conv.refers_to_earlier_text("and who is in it?")
    assert conv.refers_to_earlier_text("is that positive?")
    assert not conv.refers_to_earlier_text("Priya Nair joined Infosys in Pune")
    assert not conv.refers_to_earlier_text("it " + "word " * 20)


def test_passage_detection():
    assert conv.looks_like_passage("word " * 30)
    assert not conv.looks_like_passage("word " * 30 + "?")
    assert not conv.looks_like_passage("a short text")


def test_replayed_state_remembers_the_last_skill_text_and_passage():
    passage = "word " * 30
    state = conv.ConversationState.replay(
        [("help", passage, passage), ("sentiment", "a fine film", None), ("help", None, None)]
    )
    assert (state.last_skill, state.last_text, state.passage) == ("sentiment", "a fine film", passage)
    assert (state.turns, state.passage_turn) == (3, 1)


def test_routing_reads_the_instruction_but_a_passage_with_its_question_whole():
    assert conv.routing_text("what's the sentiment of: Angela Merkel in Paris") == "what's the sentiment of"
    assert conv.routing_text("Context: Ada was born in London. Question: where?") == (
        "Context: Ada was born in London. Question: where?"
    )
    assert conv.routing_text("and who is in it?") == "and who is in it?"
