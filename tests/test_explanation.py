"""Explanations for people first: plain sentences that name what decided, a legend, no confidence on refusals, the
raw JSON closed, the side panel following the answer chosen, and similar examples shipped where the data's licence
allows (QA) or said to be missing, with the command that builds them (NER, sentiment)."""

from __future__ import annotations

import re

import pytest

from chatbot import render
from chatbot.ui import ChatEvents, build_demo
from core.config import REPO_ROOT


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def quoted(summary: str) -> list[str]:
    return re.findall(r"“([^”]+)”", summary)


def test_the_summary_opens_the_explanation_and_names_words_of_the_input(assistant):
    text = "the plot was dull and the acting was terrible"
    reply = assistant.reply(f"/sentiment {text}", "explained")
    summary = reply.rationale.to_dict()["summary"]
    assert summary.startswith("I used the sentiment skill because you used the /sentiment command.")
    assert re.search(r"The model is \d+% sure\.", summary)
    named = quoted(summary)
    assert named and all(words(word) <= words(text) for word in named)
    assert render.rationale_markdown(reply).startswith(summary)
    names = assistant.reply("/ner Priya Nair joined Infosys in Pune", "explained")
    assert {"Priya Nair", "Infosys", "Pune"} <= set(quoted(names.rationale.summary))


def test_a_legend_says_what_colours_and_numbers_mean(assistant):
    shown = render.rationale_markdown(assistant.reply("/sentiment a lovely film", "legend"))
    assert "*How to read this:" in shown and "blue words pushed the answer toward positive" in shown


def test_a_refusal_shows_no_confidence(assistant):
    refused = assistant.reply("/qa who won?", "refused")
    assert refused.skill == "help" and refused.data["kind"] == "cannot_answer"
    assert "confidence" not in render.rationale_title(refused)
    assert "**Confidence:**" not in render.rationale_markdown(refused)
    assert "sure" not in refused.rationale.summary


def test_the_raw_rationale_sits_in_a_closed_details_panel(assistant):
    demo = build_demo(assistant)
    panels = [c for c in demo.config["components"] if c.get("props", {}).get("label", "").startswith("Details:")]
    assert [p["props"]["open"] for p in panels] == [False]


def test_the_side_panel_follows_the_answer_chosen(assistant):
    events = ChatEvents(assistant)
    history, session = [], None
    history, session, *_ = events.chat("/ner Priya Nair joined Infosys in Pune", history, True, session)
    history, session, *_ = events.chat("/sentiment a dull film", history, True, session)
    ner = session["turns"][0][1]
    draft, scores, marked, rationale = events.select(ner, session)
    assert draft.startswith("Priya Nair=PER")
    assert rationale["route"]["skill"] == "ner" and scores == rationale["route"]["scores"]
    assert ("Pune", "LOC") in marked
    assert events.select(ner, {"id": "someone else"})[1:] != (scores, marked, rationale)  # not another's answer


def test_evidence_is_plain_text_cut_at_whole_words(assistant):
    passage = "## Opening hours\n\nThe **bike shop** opens at *11 am* on Sundays and at 9 am on Saturdays."
    reply = assistant.reply(f"Context: {passage} Question: when does the bike shop open on Sundays?", "evidence")
    pieces = render.highlights(reply)
    shown = "".join(piece for piece, _ in pieces)
    assert "*" not in shown and "#" not in shown and "\n" not in shown
    assert "The bike shop opens at" in shown
    before, (answer, label) = pieces[0][0], pieces[1]
    assert label == "answer" and "11 am" in answer
    assert before.endswith(" ") and answer[0].isalnum() and answer[-1].isalnum()  # whole words, not "a/nswer"


NORMANDY = (
    "Context: The Normans were the people who in the 10th and 11th centuries gave their name to Normandy, a region "
    "in France. Question: In what country is Normandy located?"
)


def test_the_released_qa_bundle_ships_its_example_index(assistant):
    """SQuAD is CC BY-SA 4.0, so the QA bundle ships its index (a clean checkout has it: .gitignore lets it through)
    and the app loads it: every distinct question of the adapter's own training split, compressed."""
    folder = REPO_ROOT / "adapters" / "qa"
    assert (folder / "examples.faiss").is_file() and (folder / "examples.jsonl.gz").is_file()
    index = assistant.skills["qa"].encoder.example_indexes["qa"]
    assert (len(index), index.kind) == (6492, "pq")
    assert "CC BY-SA 4.0" in (folder / "README.md").read_text()


def test_a_qa_answer_shows_the_nearest_squad_questions_with_their_answers(assistant):
    reply = assistant.reply(NORMANDY, "similar squad")
    assert reply.skill == "qa"
    examples = reply.rationale.similar_examples
    assert len(examples) == 3 and all(e["source"] == "training" and e["approximate"] for e in examples)
    nearest = examples[0]  # the very question, asked in the training article "Normans"
    assert nearest["text"] == "In what country is Normandy located?"
    assert nearest["label"] == {"answer": "France", "title": "Normans"}
    shown = render.rationale_markdown(reply)
    assert "**Similar examples the model learned from**" in shown and "answer “France”" in shown
    assert "No similar training examples" not in shown and "examples_missing" not in reply.to_dict()["rationale"]


@pytest.mark.parametrize(
    ("message", "skill"), [("/ner Priya Nair joined Infosys in Pune", "ner"), ("/sentiment a lovely film", "sentiment")]
)
def test_a_missing_example_index_is_said_with_the_command_that_builds_it(assistant, message, skill):
    """CoNLL-2003 (research only) and SST-2 (no licence stated) ship no index: the panel says so, why, and the
    build command of the adapter's model card."""
    folder = REPO_ROOT / "adapters" / skill
    if (folder / "examples.faiss").exists():
        pytest.skip(f"an example index was built locally in {folder} (git-ignored, never shipped)")
    reply = assistant.reply(message, "missing examples")
    assert reply.skill == skill and reply.rationale.similar_examples is None
    assert "No similar training examples" in reply.to_dict()["rationale"]["examples_missing"]  # the API says it too
    command = f"python -m training.example_index --skill {skill} --data ../shared/data/"
    shown = render.rationale_markdown(reply)
    (line,) = [line for line in shown.splitlines() if "No similar training examples" in line]
    assert f"this {skill} model has no example index" in line
    assert ("research use only" if skill == "ner" else "states no licence") in line
    built = re.search(r"`(python -m training\.example_index [^`]+)`", line).group(1)
    assert built.startswith(command) and built.endswith(f"--adapter adapters/{skill}")
    assert built in (folder / "README.md").read_text()  # the card's own command, word for word


def test_the_request_models_reading_shows_its_nearest_training_requests_or_why_there_are_none(assistant, monkeypatch):
    from skills.examples import ExampleIndex

    encoder = assistant.request_model.encoder
    asked = [("what is the mood of this review: the room was cold", "sentiment/new_text"), ("hi there", "help/help")]
    records = [{"text": text, "label": label, "source": "training"} for text, label in asked]
    index = ExampleIndex.build(records, encoder.embed([text for text, _ in asked]), encoder.embed)
    monkeypatch.setitem(encoder.example_indexes, "request", index)
    message = "what is the mood of this review: the soup was cold and late"
    reply = assistant.reply(message, "nearest requests")
    assert reply.rationale.route.read_by == "request model"
    nearest = reply.rationale.route.request["nearest_requests"]
    assert [(e["text"], e["label"]) for e in nearest] == asked  # the closest first
    shown = render.rationale_markdown(reply)
    assert f"**Closest training requests:** “{asked[0][0]}” (sentiment/new_text, similarity" in shown
    assert "Closest routing example" not in shown  # the nearest-example router did not decide
    assert "**Skill probabilities:** sentiment" in shown and "the request model's calibrated probabilities" in shown
    assert "Router scores" not in shown

    monkeypatch.delitem(encoder.example_indexes, "request")  # a clean checkout: the index is not shipped
    reply = assistant.reply(message, "no nearest requests")
    assert reply.rationale.route.request["nearest_requests"] is None
    (line,) = [line for line in render.rationale_markdown(reply).splitlines() if "No nearest training requests" in line]
    assert "CoNLL-2003 and SST-2" in line
    assert "`python -m training.request_data --data ../shared/data --out runs/requests`" in line
    assert "`python -m training.example_index --skill request --data runs/requests --adapter adapters/request`" in line
