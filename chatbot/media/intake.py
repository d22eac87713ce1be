"""A turn's message when a recording or a picture comes with it: what the planner reads and how it came in (an
`InputReading`), and the same once the user has corrected what was heard or read.

What was said, after any typed words, is the message. A picture's text is the text to analyse or the passage to
answer from, and the typed (or said) words are the request about it (`InputReading.request`); a picture alone is its
text, as if pasted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from chatbot import conversation as conv
from chatbot.media.files import media_bytes
from chatbot.media.ocr import ImageLimits, read_text
from chatbot.media.speech import SpeechLimits, transcribe
from core.config import AppConfig
from core.errors import InputError
from core.records import InputReading

Media = bytes | str | Path  # a recording or a picture: the file's bytes or its path


@dataclass(frozen=True)
class MediaMessage:
    message: str  # what the planner reads
    reading: InputReading  # what was heard or read
    files: tuple[bytes, ...]  # the files as sent, for the operator's opt-in keeping (EXCHAT_KEEP_MEDIA)


def read_message(message: str | None, audio: Media | None, image: Media | None, config: AppConfig) -> MediaMessage:
    """The message and its reading from the typed words, a clip and a picture (either may be None, not both);
    InputError for an unusable file."""
    if message is not None and not isinstance(message, str):
        raise InputError("A message must be text.")
    threads, files, heard, seen = config.torch_threads, [], None, None
    if audio is not None:
        files.append(media_bytes(audio, "recording", config.max_audio_bytes))
        limits = SpeechLimits(config.max_audio_seconds, config.max_audio_bytes)
        heard = transcribe(files[-1], limits, config.speech_model, threads)
    if image is not None:
        files.append(media_bytes(image, "picture", config.max_image_bytes))
        seen = read_text(files[-1], ImageLimits(config.max_image_pixels, config.max_image_bytes), threads)
    request = " ".join(part for part in (conv.storable_text(message or ""), heard.text if heard else "") if part)
    if seen is None:
        if heard is None:
            raise ValueError("read_message needs a recording or a picture")
        return MediaMessage(request, heard, tuple(files))
    if request:
        return MediaMessage(request, replace(seen, request=request, words=heard.words if heard else ()), tuple(files))
    return MediaMessage(seen.text, seen, tuple(files))


def corrected_message(
    message: str, reading: InputReading, text: str, turn_id: int, max_chars: int
) -> tuple[str, InputReading]:
    """Turn `turn_id`'s message and reading once the user edited what was heard or read to `text`: the reading
    keeps what the recogniser got (`original`) and which turn it corrects. InputError for a typed turn or no change."""
    if reading.modality == "text":
        raise InputError(f"Answer #{turn_id} came from typed text: edit your message and send it again.")
    edited = conv.clean_message(text, max_chars)
    if edited.split() == reading.text.split():
        verb = "heard" if reading.modality == "audio" else "read"
        raise InputError(f"That is the text I {verb}: change the words I got wrong, then send it.")
    original, corrects = reading.original or reading.text, reading.corrects or turn_id
    corrected = replace(reading, text=edited, confidence=1.0, corrects=corrects, original=original)
    if reading.modality == "image":
        return reading.request or edited, corrected
    typed = message[: -len(reading.text)].strip() if message.endswith(reading.text) else ""  # typed, then heard
    return " ".join(part for part in (typed, edited) if part), corrected
