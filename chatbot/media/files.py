"""Media as sent: bytes or a path in, the bytes and their real kind out, or an `InputError` that says what is wrong.

The kind comes from the file's first bytes (its signature), never from its name, so a picture sent as a recording,
a PDF or a file of another kind is named for what it is.
"""

from __future__ import annotations

from pathlib import Path

from core.errors import InputError

AUDIO_KINDS = ("wav", "mp3", "ogg", "webm", "m4a", "flac")
IMAGE_KINDS = ("png", "jpeg", "gif", "webp", "bmp", "tiff")
DESCRIPTIONS = {
    "wav": "a WAV recording",
    "mp3": "an MP3 recording",
    "ogg": "an Ogg recording",
    "webm": "a WebM recording",
    "m4a": "an M4A recording",
    "flac": "a FLAC recording",
    "png": "a PNG picture",
    "jpeg": "a JPEG picture",
    "gif": "a GIF picture",
    "webp": "a WebP picture",
    "bmp": "a BMP picture",
    "tiff": "a TIFF picture",
    "pdf": "a PDF document",
}


def media_bytes(media: bytes | str | Path, what: str, max_bytes: int) -> bytes:
    """The bytes of `media` (bytes, or the path of a file); InputError when missing, empty or over `max_bytes`."""
    if isinstance(media, (bytes, bytearray, memoryview)):
        data = bytes(media)
    elif isinstance(media, (str, Path)):
        path = Path(media)
        if not path.is_file():
            raise InputError(f"The {what} file {path.name!r} could not be found: send it again.")
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(_too_big(what, size, max_bytes))
        data = path.read_bytes()
    else:
        raise InputError(f"A {what} is a file path or bytes, got {type(media).__name__}.")
    if not data:
        raise InputError(f"The {what} file is empty.")
    if len(data) > max_bytes:
        raise InputError(_too_big(what, len(data), max_bytes))
    return data


def sniff(data: bytes) -> str | None:
    """The kind of file `data` is, by its signature ("wav", "png", "pdf", ...), or None when unknown."""
    head = data[:64]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"fLaC"):
        return "flac"
    if head.startswith(b"OggS"):
        return "ogg"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    if head[4:8] == b"ftyp":
        return "m4a"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"BM"):
        return "bmp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    return None


def check_kind(data: bytes, expected: str) -> str:
    """The kind of `data` when it is an `expected` ("audio" or "image") file; InputError naming what it is
    otherwise (a PDF, a picture sent as a recording, an unknown or damaged file)."""
    kind = sniff(data)
    kinds = AUDIO_KINDS if expected == "audio" else IMAGE_KINDS
    if kind in kinds:
        return kind
    if kind == "pdf":
        raise InputError(
            "That is a PDF document: I read pictures and recordings, not PDFs. Send a screenshot or photo of the "
            "page, or paste its text."
        )
    accepted = ", ".join(kinds)
    if kind is not None:
        other = "a picture" if expected == "audio" else "a recording"
        raise InputError(
            f"That file is {DESCRIPTIONS[kind]}, not a {_noun(expected)}: send it as {other} instead "
            f"({_noun(expected)}s I take: {accepted})."
        )
    raise InputError(f"I cannot read that file as a {_noun(expected)}: it is not one of {accepted}, or it is damaged.")


def _noun(expected: str) -> str:
    return "recording" if expected == "audio" else "picture"


def _too_big(what: str, size: int, limit: int) -> str:
    return f"The {what} is {_size(size)}; the limit is {_size(limit)}. Send a smaller file."


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.1f} kB" if n >= 1e3 else f"{n} bytes"


def sort_files(paths: list[str]) -> tuple[str | None, str | None]:
    """The recording and the picture among the files sent with a message (their kind by their bytes), as paths;
    InputError for a file that is neither (a PDF, a document) or for more than one of a kind."""
    audio: list[str] = []
    images: list[str] = []
    for path in paths:
        with open(path, "rb") as file:
            kind = sniff(file.read(64))
        if kind in AUDIO_KINDS:
            audio.append(path)
        elif kind in IMAGE_KINDS:
            images.append(path)
        elif kind == "pdf":
            check_kind(b"%PDF", "image")  # the PDF message
        else:
            raise InputError(
                f"I cannot use {Path(path).name!r}: send a picture ({', '.join(IMAGE_KINDS)}) or a recording "
                f"({', '.join(AUDIO_KINDS)}), or paste the text."
            )
    if len(audio) > 1 or len(images) > 1:
        raise InputError("Send at most one recording and one picture with a message.")
    return (audio[0] if audio else None), (images[0] if images else None)
