"""How the speech path decodes, chosen on the dev split (issue 19): faster-whisper's options beside the app's own
(`chatbot.media.speech.DECODING`), on CoNLL-2003 eng.testa sentences spoken by espeak-ng, scored by what the NER skill
finds in what was heard.

    python -m bench.speech_decoding --data ../shared/data [--sentences 40] [--json PATH]

Only the dev split is read (eng.testa, the sentences `bench.multimodal_turns --split dev` takes): settings are chosen
here and reported once on eng.testb by `bench.multimodal_turns`. Each setting transcribes the same clips; the app's
row goes through `chatbot.media.speech.transcribe` itself, the others through the same model with one option changed.
The transcript is then sent as `Assistant.reply("/ner " + transcript)`, the message a spoken turn with `/ner` typed
becomes. Reported: word error rate, the gold names heard verbatim, NER F1 and its ratio to the typed sentences'.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.multimodal import whisper_base_folder, words
from bench.multimodal_turns import f1, heard_names, name_key, ner_items
from bench.throwaway import throwaway_assistant
from skills.words import edit_distance

APP = "tiny.en, the app's decoding"
# name: (model, options changed from the app's, seconds of silence added before and after the clip)
SETTINGS = {
    APP: ("tiny.en", {}, 0.0),
    "tiny.en, beam search (5)": ("tiny.en", {"beam_size": 5}, 0.0),
    "tiny.en, no voice-activity filter": ("tiny.en", {"vad_filter": False}, 0.0),
    "tiny.en, 0.5 s of silence added each side": ("tiny.en", {}, 0.5),
    "whisper base, the app's decoding": ("base", {}, 0.0),
}


def transcripts(samples: list[np.ndarray], clips: list[Path], setting: tuple, folder: Path):
    """What the setting hears in each clip and the seconds it took (the model loaded first, not counted); None
    where its model is not installed."""
    from chatbot.media import models
    from chatbot.media.speech import DECODING, SAMPLE_RATE, SpeechLimits, spoken_text, transcribe

    model_name, changed, pad = setting
    location = "" if model_name == "tiny.en" else str(whisper_base_folder(folder) or "")
    if model_name != "tiny.en" and not location:
        return None
    model = models.speech_model(location, 1)
    started = time.perf_counter()
    if model_name == "tiny.en" and not changed and not pad:
        heard = [transcribe(str(clip), SpeechLimits(), "", 1).text for clip in clips]
        return heard, time.perf_counter() - started
    heard = []
    for x in samples:
        silence = np.zeros(int(SAMPLE_RATE * pad), dtype=x.dtype)
        segments, _info = model.transcribe(np.concatenate([silence, x, silence]), **{**DECODING, **changed})
        heard.append(spoken_text([w.word for segment in segments for w in segment.words or ()]))
    return heard, time.perf_counter() - started


def run(assistant, data: Path, count: int) -> dict:
    from chatbot.media.speech import decode

    items = ner_items(data, count, "dev")
    gold = [g for _, g in items]

    def ner_f1(texts: list[str], tag: str) -> float:
        found = []
        for i, text in enumerate(texts):
            reply = assistant.reply(f"/ner {text}", f"decoding-{tag}-{i}")
            found.append({name_key(e["text"], e["type"]) for e in reply.data.get("entities", [])})
        return round(100 * f1(gold, found), 1)

    results = {"sentences": len(items), "names": sum(map(len, gold))}
    results["typed"] = ner_f1([text for text, _ in items], "typed")
    reference = [words(text) for text, _ in items]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        clips = []
        for i, (text, _) in enumerate(items):
            clips.append(folder / f"{i}.wav")
            subprocess.run(["espeak-ng", "-s", "150", "-w", str(clips[-1]), text], check=True)
        samples = [decode(clip.read_bytes()) for clip in clips]
        for name, setting in SETTINGS.items():
            done = transcripts(samples, clips, setting, folder)
            if done is None:
                results[name] = {"skipped": "not installed"}
                continue
            heard, seconds = done
            errors = sum(edit_distance(words(h), ref) for h, ref in zip(heard, reference, strict=True))
            score = ner_f1(heard, name)
            results[name] = {
                "wer": round(100 * errors / sum(map(len, reference)), 1),
                "names_heard": sum(heard_names(g, h) for g, h in zip(gold, heard, strict=True)),
                "f1": score,
                "of_typed": round(100 * score / results["typed"]),
                "seconds": round(seconds, 1),
                "heard": heard,
            }
    return results


def markdown(results: dict) -> str:
    lines = [
        "| setting | WER % | names heard | NER F1 | of typed | s to hear all clips |",
        "|---|---|---|---|---|---|",
        f"| typed | | {results['names']}/{results['names']} | {results['typed']} | 100% | |",
    ]
    for name in SETTINGS:
        r = results[name]
        if "skipped" in r:
            lines.append(f"| {name} | {r['skipped']} | | | | |")
            continue
        lines.append(
            f"| {name} | {r['wer']} | {r['names_heard']}/{results['names']} | {r['f1']} | {r['of_typed']}% "
            f"| {r['seconds']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.speech_decoding", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with conll2003/")
    parser.add_argument("--sentences", type=int, default=40, help="eng.testa sentences (default 40)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    if shutil.which("espeak-ng") is None:
        parser.error("espeak-ng is needed (apt-get install espeak-ng)")
    with throwaway_assistant(torch_threads=1) as assistant:
        results = run(assistant, args.data, args.sentences)
    print(markdown(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
