"""Speech to text with faster-whisper (Whisper, Radford et al. 2022, on CTranslate2): a clip in, the words heard
with their times and probabilities out, or an `InputError` for a clip that is too long, silent or holds no speech.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import numpy as np

from chatbot.media import models
from chatbot.media.files import check_kind, media_bytes
from core.errors import InputError
from core.records import InputReading

SAMPLE_RATE = 16_000
# Peak amplitude below which a clip is taken as silence (about -50 dBFS): a quiet voice a metre from a laptop
# microphone still peaks well above it.
SILENCE_PEAK = 0.003


# The voice-activity filter (Silero VAD, bundled with faster-whisper) drops noise that Whisper would otherwise "hear"
# as words ("Thank you."). Greedy decoding at temperature 0 only: faster-whisper's fallback to sampling at higher
# temperatures made a clip read differently from run to run (bench.multimodal: espeak WER moved 2 points), and beam
# search (5) heard more words but fewer names right (bench.speech_decoding, on the dev split: NER F1 32.8 against 40.0).
DECODING = {"beam_size": 1, "temperature": 0.0, "word_timestamps": True, "vad_filter": True, "language": "en"}


@dataclass(frozen=True)
class SpeechLimits:
    max_seconds: float = 120.0
    max_bytes: int = 10_000_000


def transcribe(audio: bytes | str, limits: SpeechLimits, model_location: str = "", threads: int = 0) -> InputReading:
    """What was said in `audio` (a path or the file's bytes: wav, mp3, ogg, webm, m4a, flac)."""
    data = media_bytes(audio, "recording", limits.max_bytes)
    check_kind(data, "audio")
    samples = decode(data)
    seconds = len(samples) / SAMPLE_RATE
    if seconds > limits.max_seconds:
        raise InputError(
            f"The recording is {_duration(seconds)} long; the limit is {_duration(limits.max_seconds)}. "
            "Send a shorter clip."
        )
    if len(samples) == 0 or float(np.abs(samples).max()) < SILENCE_PEAK:
        raise InputError("The recording is silent: check the microphone and record again.")
    model = models.speech_model(model_location, threads)
    segments, _info = model.transcribe(samples, **DECODING)
    heard = [w for segment in segments for w in segment.words or ()]
    words = [
        {
            "text": w.word.strip(),
            "start": round(w.start, 2),
            "end": round(w.end, 2),
            "probability": round(w.probability, 3),
        }
        for w in heard
        if w.word.strip()
    ]
    if not words:
        raise InputError("I could not hear any speech in the recording: speak closer to the microphone and try again.")
    text = spoken_text([w.word for w in heard])
    confidence = math.fsum(w["probability"] for w in words) / len(words)
    return InputReading("audio", text, round(confidence, 4), words=tuple(words))


def spoken_text(pieces: list[str]) -> str:
    """The transcript from Whisper's words as it wrote them: each carries its own leading space, so a number or a
    range split into pieces ("4", "-38"; "5", ".70") comes back whole ("4-38", "5.70"), not "4 -38", "5 .70"."""
    return " ".join("".join(pieces).split())


def decode(data: bytes) -> np.ndarray:
    """The clip as 16 kHz mono float32 samples; InputError when the file cannot be decoded."""
    import av
    from faster_whisper.audio import decode_audio

    try:
        return decode_audio(io.BytesIO(data), sampling_rate=SAMPLE_RATE)
    except (av.FFmpegError, OSError, ValueError, IndexError) as error:
        raise InputError(
            f"I cannot play that recording: the file is damaged or incomplete ({type(error).__name__})."
        ) from error


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"
