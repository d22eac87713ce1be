"""The text in a picture, with RapidOCR (PP-OCR's text detector and recogniser as ONNX models): the lines read, each
with its box and score, or an `InputError` for a picture too big, animated, damaged or without text.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from chatbot.media import models
from chatbot.media.files import check_kind, media_bytes
from core.errors import InputError
from core.records import InputReading

NO_TEXT = "I found no text in the picture: send one where the words are sharp and large enough."


@dataclass(frozen=True)
class ImageLimits:
    max_pixels: int = 25_000_000
    max_bytes: int = 10_000_000


def read_text(image: bytes | str, limits: ImageLimits, threads: int = 0) -> InputReading:
    """The text in `image` (a path or the file's bytes: png, jpeg, gif, webp, bmp, tiff), line by line."""
    data = media_bytes(image, "picture", limits.max_bytes)
    check_kind(data, "image")
    picture = open_picture(data, limits.max_pixels)
    found = models.text_reader(threads)(picture)
    if not found.txts:
        raise InputError(NO_TEXT)
    pieces = [
        {"text": text.strip(), "box": _box(points), "score": float(score)}
        for text, score, points in zip(found.txts, found.scores, found.boxes, strict=True)
        if text.strip()
    ]
    lines = group_lines(pieces)
    if not lines:
        raise InputError(NO_TEXT)
    text = "\n".join(line["text"] for line in lines)
    characters = sum(len(line["text"]) for line in lines)
    confidence = math.fsum(line["score"] * len(line["text"]) for line in lines) / characters
    return InputReading("image", text, round(confidence, 4), lines=tuple(lines))


def open_picture(data: bytes, max_pixels: int) -> Image.Image:
    """The picture decoded, upright (EXIF orientation) and in RGB; InputError for one too big, animated or damaged."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data))
            width, height = picture.size
            if width * height > max_pixels:
                raise InputError(
                    f"The picture is {width}×{height} pixels ({width * height / 1e6:.1f} megapixels); the limit is "
                    f"{max_pixels / 1e6:.1f} megapixels. Send a smaller one."
                )
            if getattr(picture, "n_frames", 1) > 1:
                raise InputError(
                    "That picture is animated: I read text in still pictures. Send a screenshot of the frame you mean."
                )
            picture.load()
    except InputError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning) as error:
        raise InputError("I cannot open that picture: the file is damaged or incomplete.") from error
    return ImageOps.exif_transpose(picture).convert("RGB")


def group_lines(pieces: list[dict]) -> list[dict]:
    """Text boxes on one line joined left to right (the detector may split a line at a wide gap), lines top to
    bottom; a box belongs to a line when its vertical middle lies within that line's first box."""
    lines: list[list[dict]] = []
    for piece in sorted(pieces, key=lambda p: (p["box"][1] + p["box"][3]) / 2):
        middle = (piece["box"][1] + piece["box"][3]) / 2
        line = next((line for line in lines if line[0]["box"][1] <= middle <= line[0]["box"][3]), None)
        if line is None:
            lines.append([piece])
        else:
            line.append(piece)
    joined = []
    for line in lines:
        line.sort(key=lambda p: p["box"][0])
        characters = sum(len(p["text"]) for p in line)
        joined.append(
            {
                "text": " ".join(p["text"] for p in line),
                "box": [
                    min(p["box"][0] for p in line),
                    min(p["box"][1] for p in line),
                    max(p["box"][2] for p in line),
                    max(p["box"][3] for p in line),
                ],
                "score": round(math.fsum(p["score"] * len(p["text"]) for p in line) / characters, 4),
            }
        )
    return joined


def _box(points) -> list[int]:
    """A detector's four corners as the upright box around them: [x0, y0, x1, y1]."""
    xs, ys = [float(p[0]) for p in points], [float(p[1]) for p in points]
    return [math.floor(min(xs)), math.floor(min(ys)), math.ceil(max(xs)), math.ceil(max(ys))]
