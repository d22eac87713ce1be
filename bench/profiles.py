"""Memory and turn latency of a model profile (docs/PROFILES.md), through the real `Assistant` API.

    python -m bench.profiles [--repeats 10] [--json runs/profile-fast.json]
    EXCHAT_PROFILE=accurate python -m bench.profiles --untrained runs/untrained-accurate --json runs/accurate.json

Loads the Assistant of the profile the environment configures (a throw-away home folder), answers one message per
skill given with its command (so routing by the request model, which a profile may lack, stays out of the
comparison; the router still embeds every message), and reports the process's resident set size (RSS) after the
load and after the turns, and each skill's median and 95th-percentile turn time (explanations included). Run the
profiles one after the other on the same machine to compare them. `--untrained DIR` first writes untrained
bundles (LoRA and heads of the released recipes' shapes, random weights) for the profile's encoder into DIR and
measures with them: a profile's cost before its adapters are trained. They answer nonsense and are never released.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import tempfile
import time
from pathlib import Path

MESSAGES = {
    "ner": "/ner Priya Nair joined Infosys in Pune after leaving Wipro in Bangalore last March",
    "sentiment": "/sentiment the plot was dull, the acting wooden, and I will never watch it again",
    "qa": "/qa Context: The bike shop on Elm Street opens at 9 am on weekdays and at 11 am on Sundays. "
    "Question: when does the bike shop open on Sundays?",
}


def rss_mib() -> float:
    """The current resident set size (from /proc), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS line in /proc/self/status")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


UNTRAINED = (("ner", 128, True), ("sentiment", 64, False), ("qa", 256, False))  # skill, max length, word shapes


def write_untrained(base_model: str, out: Path) -> None:
    """Adapter bundles for `base_model` with the recipes' shapes and random weights (module docstring)."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModel

    from skills.encoder import BundleInfo, HeadConfig, TaskHead, encoder_signature, portable_base_model, save_head
    from skills.registry import get_skill
    from training.train import LORA_TARGETS, record_portable_base_model

    for skill, length, shapes in UNTRAINED:
        folder = out / skill
        bert = AutoModel.from_pretrained(base_model, add_pooling_layer=False)
        model = get_peft_model(bert, LoraConfig(r=16, lora_alpha=32, target_modules=LORA_TARGETS))
        with torch.no_grad():  # LoRA starts as the identity (B = 0); a trained adapter's B is not
            for name, parameter in model.named_parameters():
                if "lora_B" in name:
                    parameter.normal_(0, 0.01)
        spec = get_skill(skill).spec
        config = HeadConfig(spec.head, list(spec.head_labels), bert.config.hidden_size, word_shapes=shapes)
        folder.mkdir(parents=True, exist_ok=True)
        model.save_pretrained(str(folder))
        record_portable_base_model(folder, base_model)
        save_head(TaskHead(config), folder)
        info = BundleInfo(skill, "untrained", config, length, portable_base_model(base_model))
        info.encoder = encoder_signature(bert.config)
        info.write(folder)


def measure(repeats: int, untrained: Path | None = None) -> dict:
    from chatbot.assistant import Assistant
    from core.config import AppConfig

    with tempfile.TemporaryDirectory() as home:
        config = AppConfig.from_env(home=home)
        if untrained is not None:
            from skills.encoder import model_folder

            write_untrained(str(model_folder(config.base_model)), untrained)
            config = AppConfig.from_env(home=home, adapters=str(untrained))
        started = time.perf_counter()
        assistant = Assistant.from_config(config)
        result = {
            "profile": config.profile,
            "base_model": config.base_model,
            "adapters": str(config.adapters),
            "load_s": round(time.perf_counter() - started, 1),
            "rss_loaded_mib": round(rss_mib()),
            "turns": {},
        }
        for skill, message in MESSAGES.items():
            assistant.reply(message, "warm-up")  # the first turn builds the skill's explanation model
            timings = []
            for i in range(repeats):
                started = time.perf_counter()
                reply = assistant.reply(message, f"bench-{skill}-{i}")
                timings.append(1000 * (time.perf_counter() - started))
                if reply.skill != skill:
                    raise RuntimeError(f"{message!r} was answered by {reply.skill}, not {skill}")
            result["turns"][skill] = {
                "p50_ms": round(statistics.median(timings), 1),
                "p95_ms": round(percentile(timings, 0.95), 1),
            }
        result["rss_after_turns_mib"] = round(rss_mib())
        result["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        assistant.close()
    return result


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--untrained", type=Path, help="write untrained bundles here and measure with them")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    result = measure(args.repeats, args.untrained)
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()
