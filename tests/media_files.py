"""Recordings and pictures made at test time: a clip spoken by espeak-ng, text drawn with PIL, and broken files."""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont


def spoken(text: str, path: Path) -> Path:
    """`text` said by espeak-ng into a WAV file (skips where Debian's espeak-ng is missing; .ci/run installs it)."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    subprocess.run(["espeak-ng", "-s", "150", "-w", str(path), text], check=True, capture_output=True)
    return path


def wav_bytes(samples: np.ndarray, rate: int = 16_000) -> bytes:
    """16-bit mono WAV of `samples` in [-1, 1]."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


def drawn(lines: list[str], font_size: int = 22) -> Image.Image:
    """Black text on white with a margin, one line every 1.4 font sizes (DejaVu Sans where installed, PIL's own
    font otherwise)."""
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", font_size)
    except OSError:
        font = ImageFont.load_default(size=font_size)
    step = int(font_size * 1.4)
    width = int(max(font.getlength(line) for line in lines)) + 30
    picture = Image.new("RGB", (width, step * len(lines) + 16), "white")
    draw = ImageDraw.Draw(picture)
    for i, line in enumerate(lines):
        draw.text((10, 8 + step * i), line, fill="black", font=font)
    return picture


def encoded(picture: Image.Image, kind: str = "PNG", **options) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, kind, **options)
    return buffer.getvalue()


def animated_gif() -> bytes:
    frames = [drawn(["frame one"]), drawn(["frame two"])]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=200)
    return buffer.getvalue()
