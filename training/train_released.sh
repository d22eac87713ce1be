#!/usr/bin/env bash
# The exact commands that produced the adapters committed in adapters/ (run from the repository root; about
# 16 + 51 + 100 minutes on 2 CPU cores). Each run also scores its adapter on the report split for the model card.
set -euo pipefail
export HF_HUB_OFFLINE=1 TQDM_MININTERVAL=30
DATA=${DATA:-../shared/data}
python -m training.train --skill ner --data "$DATA/conll2003" --out adapters/ner --version v3 --epochs 5 --learning-rate 1e-3 --batch-size 32 --max-length 128 --word-shapes
python -m training.train --skill sentiment --data "$DATA/sst2" --out adapters/sentiment --version v2 --epochs 5 --patience 2 --learning-rate 5e-4 --batch-size 32 --max-length 64
python -m training.train --skill qa --data "$DATA/squad-v1.1" --out adapters/qa --version v2 --epochs 5 --patience 2 --learning-rate 1e-3 --batch-size 16 --max-length 256
