"""Voice and pictures through `Assistant.reply`: what is heard is answered like typed text, a picture's text is what
the request is about (and stays for follow-up questions), the explanation says what was heard or read, the store
records the modality, the files only when the operator opts in, and an unusable file stores nothing."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from core.errors import InputError
from tests.media_files import animated_gif, drawn, encoded, spoken, wav_bytes

pytestmark = pytest.mark.slow

NEWS = ["Angela Merkel met Emmanuel Macron", "in Berlin on Monday."]
RECEIPT = ["CORNER CAFE", "Latte 3.20", "Croissant 2.50", "TOTAL 5.70"]
REVIEW = ["The room was dirty and the staff", "were rude. We will never come back."]


@pytest.fixture
def keeping(own_store):
    """The shared assistant's models on its own store, with EXCHAT_KEEP_MEDIA on."""
    return own_store(keep_media=True, retention_days=30)


def test_a_spoken_request_is_heard_and_answered_like_typed_text(assistant, tmp_path):
    clip = spoken("find the names in: Angela Merkel visited Paris", tmp_path / "names.wav")
    reply = assistant.reply("", "media-voice", audio=str(clip))
    assert reply.skill == "ner"
    assert {e["text"] for e in reply.data["entities"]} >= {"Angela Merkel", "Paris"}
    heard = reply.rationale.to_dict()["input"]
    assert heard["modality"] == "audio" and "Paris" in heard["text"]
    assert heard["words"][0]["start"] == 0.0 and 0 < heard["confidence"] <= 1
    assert reply.rationale.summary.startswith("I heard: “")
    turn = assistant.store.turn(reply.turn_id)
    assert (turn.modality, turn.message, turn.media) == ("audio", heard["text"], None)
    assert not (assistant.config.home / "media").exists()  # kept only when the operator opts in


def test_a_pictures_names_are_found_and_a_follow_up_is_answered_from_its_text(assistant):
    reply = assistant.reply("who is mentioned here?", "media-picture", image=encoded(drawn(NEWS)))
    assert reply.skill == "ner"
    assert {(e["text"], e["type"]) for e in reply.data["entities"]} >= {
        ("Angela Merkel", "PER"),
        ("Emmanuel Macron", "PER"),
        ("Berlin", "LOC"),
    }
    read = reply.rationale.to_dict()["input"]
    assert read["modality"] == "image" and read["request"] == "who is mentioned here?"
    assert [line["text"] for line in read["lines"]] == NEWS and all(len(line["box"]) == 4 for line in read["lines"])
    assert "read from your picture" in reply.rationale.route.reason
    assert assistant.store.turn(reply.turn_id).modality == "image"
    follow_up = assistant.reply("where was Merkel on Monday?", "media-picture")
    assert follow_up.skill == "qa" and "Berlin" in follow_up.text
    assert "picture you sent in your previous message" in follow_up.rationale.route.reason


@pytest.mark.parametrize(
    ("lines", "asked", "skill", "answer"),
    [(RECEIPT, "what is the total?", "qa", "5.70"), (REVIEW, "is this review positive?", "sentiment", "negative")],
)
def test_the_typed_words_are_the_request_about_the_pictures_text(assistant, lines, asked, skill, answer):
    reply = assistant.reply(asked, f"media-{skill}", image=encoded(drawn(lines)))
    assert reply.skill == skill and answer in reply.text
    assert reply.rationale.summary.startswith("I read: “")


def test_a_picture_alone_is_its_text_as_if_pasted(assistant):
    reply = assistant.reply(None, "media-alone", image=encoded(drawn(NEWS), "JPEG", quality=90))
    turn = assistant.store.turn(reply.turn_id)
    assert turn.message == "\n".join(NEWS) and turn.modality == "image"
    assert reply.rationale.input.request is None


RATE = 16_000
BAD = {
    "silent clip": {"audio": wav_bytes(np.zeros(RATE))},
    "no speech": {"audio": wav_bytes(0.3 * np.sin(np.arange(RATE) * 2 * np.pi * 440 / RATE))},
    "clip too long": {"audio": wav_bytes(np.zeros(RATE * 121))},
    "corrupt clip": {"audio": wav_bytes(np.zeros(RATE))[:30]},
    "picture as clip": {"audio": encoded(drawn(["hello"]))},
    "no text": {"image": encoded(drawn([" "]))},
    "animated": {"image": animated_gif()},
    "pdf": {"image": b"%PDF-1.4\n%%EOF"},
    "corrupt picture": {"image": encoded(drawn(["hello"]))[:100]},
}


@pytest.mark.parametrize("case", BAD)
def test_an_unusable_file_gets_a_clear_message_and_stores_nothing(keeping, case):
    with pytest.raises(InputError):
        keeping.reply("", "media-bad", **BAD[case])
    assert keeping.store.turns(session_id="media-bad") == []
    media = keeping.config.home / "media"
    assert not media.exists() or not any(media.rglob("*.*"))


def test_kept_media_is_deleted_with_its_session_and_after_the_retention_period(keeping):
    first = keeping.reply("who is here?", "media-kept", image=encoded(drawn(NEWS)))
    (name,) = keeping.store.turn(first.turn_id).media
    kept = keeping.config.home / "media" / name
    assert kept.read_bytes()[:4] == b"\x89PNG"
    assert keeping.delete_session("media-kept")["media files"] == 1
    assert not kept.exists()

    second = keeping.reply("who is here?", "media-old", image=encoded(drawn(NEWS)))
    (name,) = keeping.store.turn(second.turn_id).media
    later = datetime.now(timezone.utc) + timedelta(days=31)
    assert keeping.purge_expired(now=later)["media files"] == 1
    assert not (keeping.config.home / "media" / name).exists()
    assert keeping.store.turn(second.turn_id).media is None


def test_a_picture_turn_answered_again_with_another_skill_reads_the_pictures_text_again(assistant):
    first = assistant.reply("who is mentioned here?", "media-again", image=encoded(drawn(REVIEW)))
    again = assistant.reanswer(first.turn_id, "sentiment", "media-again")
    assert again.skill == "sentiment" and again.data["text"] == "\n".join(REVIEW)
    assert again.rationale.input.modality == "image" and again.rationale.input.text == "\n".join(REVIEW)


def test_a_misheard_recording_edited_is_answered_again_and_exported_with_its_file(keeping, tmp_path, monkeypatch):
    import json

    from chatbot.__main__ import main

    clip = spoken("find the names in: Angela Merkel visited Paris", tmp_path / "names.wav")
    first = keeping.reply("", "media-fix", audio=str(clip))
    heard = first.rationale.input.text
    fixed = keeping.correct_input(first.turn_id, "find the names in: Angela Merkel visited Berlin", "media-fix")
    assert fixed.skill == "ner" and "Berlin" in {e["text"] for e in fixed.data["entities"]}
    reading = fixed.rationale.input
    assert (reading.corrects, reading.original, reading.confidence) == (first.turn_id, heard, 1.0)
    assert fixed.rationale.summary.startswith(f"You corrected what I heard (“{heard}”) to “find the names in:")
    with pytest.raises(InputError, match="That is the text I heard"):
        keeping.correct_input(first.turn_id, heard, "media-fix")
    typed = keeping.reply("find the names in: Tim Cook visited Tokyo", "media-fix")
    with pytest.raises(InputError, match="came from typed text"):
        keeping.correct_input(typed.turn_id, "Tim Cook", "media-fix")

    monkeypatch.setenv("EXCHAT_HOME", str(keeping.config.home))
    out = tmp_path / "corrections.jsonl"
    assert main(["media", "export", "--out", str(out)]) == 0
    (row,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert (row["turn_id"], row["corrects"], row["recognised"]) == (fixed.turn_id, first.turn_id, heard)
    assert row["media"] == keeping.store.turn(first.turn_id).media and row["words"][0]["start"] == 0.0


def test_a_misread_picture_edited_is_answered_from_the_edited_text(assistant):
    first = assistant.reply("what is the total?", "media-misread", image=encoded(drawn(RECEIPT)))
    edited = first.rationale.input.text.replace("5.70", "7.50")
    fixed = assistant.correct_input(first.turn_id, edited, "media-misread")
    assert fixed.skill == "qa" and "7.50" in fixed.text
    assert fixed.rationale.input.request == "what is the total?"
