"""Training speed of each skill's recipe on a base encoder: one short epoch of real training steps per skill.

    python -m bench.train_speed --base-model sentence-transformers/all-mpnet-base-v2 --json runs/speed-mpnet.json

Runs `training.train`'s own epoch loop on the first few training examples of each benchmark with the batch size,
length and word shapes of the released recipes (training/train_released.sh) and reports seconds (wall and CPU) per
1,000 training examples. Short runs overstate a full run's time (no warm caches, no long batches of one length):
compare two encoders measured together rather than reading one figure alone (docs/PROFILES.md).
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

# skill: (data folder, examples, batch size, max length, word shapes)
RECIPES = {
    "ner": ("conll2003", 64, 32, 128, True),
    "sentiment": ("sst2", 96, 32, 64, False),
    "qa": ("squad-v1.1", 16, 16, 256, False),
}


def measure(skill: str, data: Path, base_model: str) -> dict:
    from training import data as datasets
    from training.train import TrainConfig, TrainingExamples, build_model, run_for_model, train_epoch

    folder, n, batch, length, shapes = RECIPES[skill]
    config = TrainConfig(
        skill=skill,
        data=str(data / folder),
        out=Path("unused"),
        base_model=base_model,
        batch_size=batch,
        max_length=length,
        word_shapes=shapes,
        epochs=1,
    )
    examples = datasets.training_examples(skill, config.data, config.seed)[:n]
    run = run_for_model(config, *build_model(config), TrainingExamples(examples, [1.0] * n, select=[]))
    started, cpu = time.perf_counter(), time.process_time()
    train_epoch(run, 1)
    wall, used = time.perf_counter() - started, time.process_time() - cpu
    return {
        "examples": n,
        "features": len(run.features),
        "steps": -(-len(run.features) // batch),
        "s_per_1000_examples": round(1000 * wall / n),
        "cpu_s_per_1000_examples": round(1000 * used / n),
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-model", required=True, help="hub id or folder of the encoder")
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--skills", default=",".join(RECIPES))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    import torch

    result: dict = {"base_model": args.base_model, "threads": torch.get_num_threads()}
    for skill in args.skills.split(","):
        result[skill] = measure(skill, args.data, args.base_model)
        print(skill, result[skill], flush=True)
    result["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()
