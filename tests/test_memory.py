"""The correction memory: a correction answers at once in its session, for everyone once a second session agrees or
an admin approves; near-duplicates hit, unrelated texts do not; replicas share it; names act as a lexicon."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from chatbot.admin import Admin
from chatbot.memory import CorrectionMemory, changed_words, claim, lexicon_terms, normalised
from core.records import SkillInputs, TurnOutput
from core.store import RatingRecord, TurnRecord
from skills.base import SkillResult

PASSWORD = "memory admin"
MATCH = "Barcelona beat Real Madrid 3-1 at Camp Nou, Lewandowski scored twice"


def test_normalised_text_claims_and_word_changes():
    assert normalised("  Hello,\tWORLD!! ") == normalised("hello world") == "hello world"
    assert changed_words("the pasta was cold", "the pasta was warm") == 1
    assert changed_words("the pasta was cold", "pasta cold") == 2
    edit = {"edits": [{"text": "Lewandowski", "type": "PER", "start": 44, "end": 55}], "removed": []}
    moved = {"edits": [{"text": "lewandowski", "type": "PER", "start": 3, "end": 14}], "removed": []}
    assert claim(edit) == claim(moved) != claim({"edits": [{"text": "Lewandowski", "type": "ORG"}], "removed": []})


def test_only_unambiguous_names_of_two_characters_or_more_make_the_lexicon():
    terms = lexicon_terms(
        [
            ({"text": "Lewandowski", "type": "PER"}, {"text": "X", "type": "ORG"}),
            ({"text": "Jordan", "type": "PER"},),
            ({"text": "jordan", "type": "LOC"}, {"text": "lewandowski", "type": "PER"}),
        ]
    )
    assert terms == [{"text": "Lewandowski", "type": "PER"}]


def fake_embed(texts: list[str]) -> np.ndarray:
    """A bag of words hashed into 64 dimensions: texts sharing words are similar."""
    vectors = np.zeros((len(texts), 64), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in normalised(text).split():
            vectors[row, hash(word) % 64] += 1.0
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True).clip(min=1e-6)


def sentiment_turn(turn_id: int, text: str, session: str, version: str = "sentiment-v1") -> TurnRecord:
    output = TurnOutput(data={"text": text, "label": "negative"}, rationale=None, inputs=SkillInputs(text=text))
    return TurnRecord(
        turn_id,
        session,
        datetime.now(timezone.utc),
        text,
        "sentiment",
        "negative",
        0.9,
        {},
        output.to_json(),
        version,
        text,
    )


def corrected(turn: TurnRecord, rating_id: int, label: str = "positive") -> RatingRecord:
    return RatingRecord(rating_id, turn.id, turn.session_id, datetime.now(timezone.utc), "down", None, {"label": label})


def test_replicas_share_corrections_through_the_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'memory.db'}"
    one, two = (CorrectionMemory(url, fake_embed, 0.8, refresh_seconds=0.0) for _ in range(2))
    turn = sentiment_turn(1, "not bad at all", "s1")
    one.remember(turn, corrected(turn, 1))
    assert two.recall("sentiment", "Not bad, at all!", "s1").match == "same text"
    assert two.recall("sentiment", "Not bad, at all!", "s2") is None  # not confirmed yet
    other = sentiment_turn(2, "not bad at all really", "s2")  # a near-duplicate with the same claim agrees
    two.remember(other, corrected(other, 2))
    [entry] = one.entries()
    assert entry.sessions == ("s1", "s2") and entry.confirmed
    assert one.recall("sentiment", "not bad at all", "s3").entry.id == entry.id
    one.remember(turn, RatingRecord(3, 1, "s1", datetime.now(timezone.utc), "up", None, None))  # changed mind
    assert two.entries()[0].sessions == ("s2",)
    assert two.forget_session("s2") == 1 and one.entries() == []
    one.remember(turn, corrected(turn, 4))
    assert two.forget_before(datetime(2000, 1, 1, tzinfo=timezone.utc)) == 0 and len(one.entries()) == 1
    assert two.forget_before(datetime.now(timezone.utc) + timedelta(seconds=1)) == 1 and one.entries() == []


def test_an_entry_retires_once_a_newer_adapter_answers_it_right(tmp_path):
    memory = CorrectionMemory(f"sqlite:///{tmp_path / 'm.db'}", fake_embed, 0.8)
    turn = sentiment_turn(1, "the soup was fine", "s1", version="sentiment-v1")
    memory.remember(turn, corrected(turn, 1))
    inputs = SkillInputs(text="the soup was fine")
    wrong = SkillResult("**negative**", 0.8, {"text": "the soup was fine", "label": "negative"})
    recalled = memory.answer("sentiment", wrong, inputs, "s1", "sentiment-v1")
    assert recalled.data["label"] == "positive" and recalled.rationale["memory"]["said"].startswith("you corrected")
    right = SkillResult("**positive**", 0.8, {"text": "the soup was fine", "label": "positive"})
    assert memory.answer("sentiment", right, inputs, "s1", "sentiment-v1") is right
    assert len(memory.entries()) == 1  # the adapter it corrected: kept
    assert memory.answer("sentiment", right, inputs, "s1", "sentiment-v2") is right
    assert memory.entries() == []  # a newer adapter answers it right by itself: retired


@pytest.fixture
def remembering(assistant, own_store):
    """The shared assistant's models with a memory and a store of their own (the admin tab on)."""
    return own_store(
        memory=lambda config: CorrectionMemory(config.db_url, assistant.router.embed, config.memory_similarity),
        admin_password=PASSWORD,
    )


def names(reply) -> dict[str, str]:
    return {e["text"]: e["type"] for e in reply.data["entities"]}


def test_a_correction_answers_at_once_in_its_session_and_near_duplicates_too(remembering):
    variants = (MATCH, f"{MATCH.lower()}!", MATCH.replace("3-1", "2-1"))
    said = {
        names(remembering.reply(f"/ner {text}", "probe")).get(name)
        for text in variants
        for name in ("Lewandowski", "lewandowski")
    }
    wrong = next(kind for kind in ("MISC", "LOC", "ORG", "PER") if kind not in said)  # what the model never says
    first = remembering.reply(f"/ner {MATCH}", "fan")
    remembering.rate(first.turn_id, correction=f"Lewandowski={wrong}")
    again = remembering.reply(f"/ner {variants[1]}", "fan")
    assert names(again)["lewandowski"] == wrong
    note = again.rationale.skill["memory"]
    assert note["match"] == "same text" and note["said"].startswith("you corrected this on 20")
    assert "From the correction memory: you corrected this on" in again.text
    near = remembering.reply(f"/ner {variants[2]}", "fan")
    assert names(near)["Lewandowski"] == wrong and near.rationale.skill["memory"]["match"] == "similar text"
    unrelated = remembering.reply("/ner Arsenal drew 0-0 with Chelsea at the Emirates on Sunday", "fan")
    assert "memory" not in unrelated.rationale.skill
    stranger = remembering.reply(f"/ner {MATCH}", "stranger")
    assert "memory" not in stranger.rationale.skill  # one session's word is not enough for everyone


def test_a_second_session_confirms_a_correction_for_everyone(remembering):
    text = "/sentiment Not bad at all, I expected much worse"
    for session in ("first", "second"):
        reply = remembering.reply(text, session)
        label = reply.data["label"]
        remembering.rate(reply.turn_id, correction=remembering.ratings.draft(reply.turn_id))
    later = remembering.reply(text, "third")
    assert later.data["label"] != label
    assert later.rationale.skill["memory"]["said"] == "2 users corrected this"


def test_an_admin_lists_approves_and_deletes_remembered_corrections(remembering):
    admin = Admin(remembering)
    reply = remembering.reply("/sentiment the hotel room was small but spotless and quiet", "guest")
    remembering.rate(reply.turn_id, correction=remembering.ratings.draft(reply.turn_id))
    [row] = admin.memory_rows(PASSWORD)
    assert row[1:3] == ["sentiment", "the hotel room was small but spotless and quiet"]
    assert row[5] == "only its session"
    assert "memory" not in remembering.reply(f"/sentiment {row[2]}", "visitor").rationale.skill
    admin.approve_memory(PASSWORD, row[0])
    approved = remembering.reply(f"/sentiment {row[2]}", "visitor")
    assert "approved by an admin" in approved.rationale.skill["memory"]["said"]
    admin.delete_memory(PASSWORD, f"#{row[0]}")
    assert admin.memory_rows(PASSWORD) == []
    assert "memory" not in remembering.reply(f"/sentiment {row[2]}", "guest").rationale.skill
    assert remembering.store.current_rating(reply.turn_id).correction  # the rating stays for the retrain


def test_a_corrected_name_acts_as_a_lexicon_on_new_sentences(remembering):
    sentence = "/ner Yesterday Zephyrine Okonkwo-Baptiste spoke at the summit"
    model_says = names(remembering.reply(sentence, "elsewhere")).get("Zephyrine Okonkwo-Baptiste")
    kind = "ORG" if model_says != "ORG" else "LOC"
    first = remembering.reply("/ner Zephyrine Okonkwo-Baptiste was mentioned in the report", "editor")
    remembering.rate(first.turn_id, correction=f"Zephyrine Okonkwo-Baptiste={kind}")
    reply = remembering.reply(sentence, "editor")
    assert names(reply)["Zephyrine Okonkwo-Baptiste"] == kind
    note = reply.rationale.skill["memory"]
    assert note["match"] == "lexicon" and note["names"] == ["Zephyrine Okonkwo-Baptiste"]


def test_a_name_that_occurs_twice_is_recalled_where_the_user_corrected_it():
    from skills.ner.feedback import recalled

    text = "RT @TMZ : Lancashire let Powell go , Lancashire have released him , sources tell TMZ"
    found = [
        {"text": "Lancashire", "type": "ORG", "start": 10, "end": 20, "score": 0.9},
        {"text": "Powell", "type": "PER", "start": 25, "end": 31, "score": 0.9},
        {"text": "Lancashire", "type": "ORG", "start": 37, "end": 47, "score": 0.9},
    ]
    # both Lancashires are the county; only the second TMZ was named (the first is a user handle)
    edits = [{"text": "Lancashire", "type": "LOC", "start": s, "end": s + 10} for s in (10, 37)]
    edits.append({"text": "TMZ", "type": "ORG", "start": 81, "end": 84})
    _, data = recalled({"edits": edits, "removed": []}, {"text": text, "entities": found}, {"text": text})
    said = [(e["text"], e["type"], e["start"]) for e in data["entities"]]
    assert said == [("Lancashire", "LOC", 10), ("Powell", "PER", 25), ("Lancashire", "LOC", 37), ("TMZ", "ORG", 81)]
    # on a near-duplicate, where the offsets no longer hold the name, it is placed by name as before
    other = "rt @tmz : lancashire let powell go"
    _, data = recalled({"edits": edits[:1], "removed": []}, {"text": other, "entities": []}, {"text": other})
    assert [(e["text"], e["type"], e["start"]) for e in data["entities"]] == [("lancashire", "LOC", 10)]
