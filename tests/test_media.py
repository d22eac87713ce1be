"""Speech to text and text in pictures (chatbot/media/): what is heard and read, and every unusable file refused
with a message that says what is wrong."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from chatbot.media import models
from chatbot.media.files import check_kind, sniff, sort_files
from chatbot.media.ocr import ImageLimits, group_lines, read_text
from chatbot.media.speech import SpeechLimits, spoken_text, transcribe
from core.errors import InputError
from tests.media_files import animated_gif, drawn, encoded, spoken, wav_bytes

pytestmark = pytest.mark.slow
RATE = 16_000


def test_a_spoken_clip_is_heard_with_word_times_and_probabilities(tmp_path):
    clip = spoken("Angela Merkel visited Paris on Monday", tmp_path / "clip.wav")
    heard = transcribe(str(clip), SpeechLimits())
    assert heard.modality == "audio"
    assert "merkel" in heard.text.lower() and "paris" in heard.text.lower()
    starts = [w["start"] for w in heard.words]
    assert starts == sorted(starts) and all(w["end"] >= w["start"] for w in heard.words)
    assert all(0.0 <= w["probability"] <= 1.0 for w in heard.words)
    assert heard.confidence == pytest.approx(np.mean([w["probability"] for w in heard.words]), abs=1e-3)


def test_the_transcript_keeps_whispers_spacing_so_numbers_and_ranges_stay_whole():
    pieces = [" Somerset", " 83", " and", " 174,", " the", " Simmons", " 4", "-38.", " Total", " 5", ".70"]
    assert spoken_text(pieces) == "Somerset 83 and 174, the Simmons 4-38. Total 5.70"
    assert spoken_text([" May", " 27", "-29", "  v."]) == "May 27-29 v."


def test_the_speech_model_loads_once_per_process():
    first = models.speech_model("", 0)  # loaded by the turn before, or now
    assert models.speech_model("", 0) is first
    assert "speech:packaged" in models.loaded()


def test_a_picture_is_read_line_by_line_with_boxes_and_scores():
    picture = drawn(["Angela Merkel met Emmanuel Macron", "in Berlin on Monday."])
    read = read_text(encoded(picture), ImageLimits())
    assert read.modality == "image"
    assert [line["text"] for line in read.lines] == ["Angela Merkel met Emmanuel Macron", "in Berlin on Monday."]
    first, second = (line["box"] for line in read.lines)
    assert first[3] <= second[1] + 4 and first[2] > second[2]  # the first line is above and longer
    assert all(0 <= x <= picture.width for box in (first, second) for x in box[::2])
    assert read.text == "Angela Merkel met Emmanuel Macron\nin Berlin on Monday."
    assert read.confidence > 0.9


def test_pieces_of_one_line_are_joined_left_to_right():
    pieces = [
        {"text": "Macron", "box": [200, 10, 300, 40], "score": 0.9},
        {"text": "Berlin", "box": [5, 52, 100, 80], "score": 1.0},
        {"text": "Angela", "box": [5, 12, 120, 42], "score": 0.8},
    ]
    lines = group_lines(pieces)
    assert [line["text"] for line in lines] == ["Angela Macron", "Berlin"]
    assert lines[0]["box"] == [5, 10, 300, 42]
    assert lines[0]["score"] == pytest.approx(0.85)


def test_file_kinds_come_from_their_bytes_not_their_names():
    assert sniff(wav_bytes(np.zeros(10))) == "wav"
    assert sniff(encoded(drawn(["x"]))) == "png"
    assert sniff(encoded(drawn(["x"]), "JPEG")) == "jpeg"
    assert sniff(b"%PDF-1.7 ...") == "pdf"
    assert sniff(b"hello there") is None
    assert check_kind(encoded(drawn(["x"]), "WEBP"), "image") == "webp"


def tone(seconds: float, amplitude: float = 0.3) -> np.ndarray:
    return amplitude * np.sin(np.arange(int(seconds * RATE)) * 2 * np.pi * 440 / RATE)


BAD_RECORDINGS = {
    "too long": (wav_bytes(tone(3.0)), SpeechLimits(max_seconds=2), "3 s long; the limit is 2 s"),
    "too big": (wav_bytes(tone(1.0)), SpeechLimits(max_bytes=1000), "the limit is 1.0 kB"),
    "silent": (wav_bytes(np.zeros(RATE)), SpeechLimits(), "silent"),
    "no speech": (wav_bytes(tone(1.0)), SpeechLimits(), "could not hear any speech"),
    "noise": (wav_bytes(np.random.default_rng(0).normal(0, 0.05, RATE)), SpeechLimits(), "could not hear any speech"),
    "corrupt": (wav_bytes(tone(1.0))[:30], SpeechLimits(), "damaged or incomplete"),
    "a picture": (encoded(drawn(["hello"])), SpeechLimits(), "is a PNG picture, not a recording"),
    "a pdf": (b"%PDF-1.4\n%...", SpeechLimits(), "PDF"),
    "unknown": (b"just some text, not a clip", SpeechLimits(), "cannot read that file as a recording"),
    "empty": (b"", SpeechLimits(), "empty"),
}


@pytest.mark.parametrize("case", BAD_RECORDINGS)
def test_an_unusable_recording_is_refused_saying_why(case):
    data, limits, said = BAD_RECORDINGS[case]
    with pytest.raises(InputError, match=said):
        transcribe(data, limits)


def test_a_missing_recording_file_is_refused(tmp_path):
    with pytest.raises(InputError, match="could not be found"):
        transcribe(str(tmp_path / "gone.wav"), SpeechLimits())


BAD_PICTURES = {
    "no text": (encoded(Image.new("RGB", (200, 80), "white")), ImageLimits(), "no text in the picture"),
    "too many pixels": (encoded(Image.new("RGB", (1200, 1000))), ImageLimits(max_pixels=1_000_000), "1200×1000"),
    "too big": (encoded(drawn(["hello"])), ImageLimits(max_bytes=100), "the limit is 100 bytes"),
    "animated": (animated_gif(), ImageLimits(), "animated"),
    "corrupt": (encoded(drawn(["hello"]))[:120], ImageLimits(), "damaged or incomplete"),
    "a recording": (wav_bytes(tone(0.1)), ImageLimits(), "is a WAV recording, not a picture"),
    "a pdf": (b"%PDF-1.4\n%...", ImageLimits(), "PDF document"),
}


@pytest.mark.parametrize("case", BAD_PICTURES)
def test_an_unusable_picture_is_refused_saying_why(case):
    data, limits, said = BAD_PICTURES[case]
    with pytest.raises(InputError, match=said):
        read_text(data, limits)


def test_a_still_gif_is_read():
    read = read_text(encoded(drawn(["Opening hours 9 to 5"]), "GIF"), ImageLimits())
    assert "Opening hours" in read.text


def test_files_sent_with_a_message_are_sorted_by_their_bytes(tmp_path):
    clip, picture, document = tmp_path / "a.png", tmp_path / "b.wav", tmp_path / "c.txt"
    clip.write_bytes(wav_bytes(tone(0.1)))  # a recording, whatever its name says
    picture.write_bytes(encoded(drawn(["x"])))
    document.write_text("just some notes")
    assert sort_files([str(picture), str(clip)]) == (str(clip), str(picture))
    assert sort_files([]) == (None, None)
    with pytest.raises(InputError, match="at most one recording and one picture"):
        sort_files([str(picture), str(picture)])
    with pytest.raises(InputError, match=r"cannot use 'c\.txt'"):
        sort_files([str(document)])
