"""Process memory: one shared encoder with three LoRA adapters vs. three separately loaded fine-tuned models.

    python -m bench.memory [--adapters adapters] [--json docs/memory.json]

Each variant runs in a fresh Python process, imports the same libraries, loads its models, answers one input per
skill, and reports its resident set size (RSS) in total and above the RSS after the imports. The separate variant
merges each adapter into its own copy of the base model, which is what deploying three fine-tuned models would
hold in memory (pages of weights that stay untouched, such as the embeddings, may be shared through the mapped
safetensors file, so the difference is smaller than three full copies).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

SKILLS = ("ner", "sentiment", "qa")
SAMPLE = {
    "ner": "Priya Nair joined Infosys in Pune",
    "sentiment": "a delightful film",
    "qa": "who joined Infosys?",
}


def rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def import_libraries() -> float:
    """Import every library either variant uses, so both start from the same baseline; returns that RSS."""
    import peft  # noqa: F401
    import sentence_transformers  # noqa: F401
    import torch  # noqa: F401
    import transformers  # noqa: F401

    import skills.encoder  # noqa: F401

    return rss_mb()


def run_shared(adapters: Path) -> dict:
    import torch

    from skills.encoder import SharedEncoder
    from skills.ner.decode import encode_words

    baseline = import_libraries()
    encoder = SharedEncoder()
    for skill in SKILLS:
        encoder.load_adapter(skill, adapters / skill)
    for skill in SKILLS:
        encoded = encode_words(SAMPLE[skill], encoder.tokenizer, 128)
        enc = encoded.encoding
        with torch.inference_mode(), encoder.adapter(skill) as head:
            encoder.logits(head, enc["input_ids"], enc["attention_mask"], encoded.shape_ids)
    return {"variant": "one encoder + 3 LoRA adapters", "libraries_mb": baseline, "rss_mb": rss_mb()}


def run_separate(adapters: Path) -> dict:
    import torch
    from peft import PeftModel
    from transformers import AutoModel, AutoTokenizer

    from skills.encoder import BundleInfo, default_base_model, head_logits, load_head
    from skills.ner.decode import encode_words

    baseline = import_libraries()
    tokenizer = AutoTokenizer.from_pretrained(default_base_model())
    models = []
    for skill in SKILLS:
        bert = AutoModel.from_pretrained(default_base_model())
        merged = PeftModel.from_pretrained(bert, str(adapters / skill)).merge_and_unload().eval()
        models.append((skill, merged, load_head(BundleInfo.read(adapters / skill), adapters / skill)))
    for skill, model, head in models:
        encoded = encode_words(SAMPLE[skill], tokenizer, 128)
        enc = encoded.encoding
        with torch.inference_mode():
            head_logits(model, head, enc["input_ids"], enc["attention_mask"], encoded.shape_ids)
    return {"variant": "3 separately loaded fine-tuned models", "libraries_mb": baseline, "rss_mb": rss_mb()}


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--adapters", type=Path, default=Path("adapters"))
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--variant", choices=["shared", "separate"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.variant:
        result = (run_shared if args.variant == "shared" else run_separate)(args.adapters)
        print(json.dumps(result))
        return [result]
    results = []
    for variant in ("shared", "separate"):
        command = [
            sys.executable,
            "-m",
            "bench.memory",
            "--adapters",
            str(args.adapters),
            "--variant",
            variant,
        ]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
    print("| variant | process RSS (MiB) | of which models, above the imported libraries (MiB) |")
    print("|---|---|---|")
    for result in results:
        print(f"| {result['variant']} | {result['rss_mb']:.0f} | {result['rss_mb'] - result['libraries_mb']:.0f} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return results


if __name__ == "__main__":
    main()
