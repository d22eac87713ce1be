#!/usr/bin/env bash
# The exact commands that produced the adapters committed in adapters/ (run from the repository root; about
# 16 + 45 + 51 + 100 minutes on 2 CPU cores). Each run also scores its adapter on the report split for the model card.
set -euo pipefail
export HF_HUB_OFFLINE=1 TQDM_MININTERVAL=30
DATA=${DATA:-../shared/data}
# NER in two stages: v3 on CoNLL-2003 as written, then v5 from it on CoNLL (each sentence also lowercased) plus
# hand-written product/brand/app sentences (skills/ner/generate.py), selected on eng.testa as written and lowercased.
python -m training.train --skill ner --data "$DATA/conll2003" --out runs/ner-v3 --version v3 --epochs 5 --learning-rate 1e-3 --batch-size 32 --max-length 128 --word-shapes --skip-example-index
python -m skills.ner.generate --out runs/ner_products.conll --n 2500 --seed 13
python -m training.train --skill ner --data "$DATA/conll2003" --out adapters/ner --version v5 --init-adapter runs/ner-v3 --epochs 3 --patience 1 --learning-rate 5e-4 --batch-size 32 --max-length 128 --word-shapes --extra-train runs/ner_products.conll --skip-example-index
# Sentiment v2 predates the whole-sentence selection slice (commit ec06d4b, SELECTION_SHARE since 4caeda7): run this
# line at ec06d4b~1 to reproduce it. At HEAD it trains on 53,150 rows and selects on 1,033 whole sentences, which gave
# v3 (not released: docs/LEARNING.md).
python -m training.train --skill sentiment --data "$DATA/sst2" --out adapters/sentiment --version v2 --epochs 5 --patience 2 --learning-rate 5e-4 --batch-size 32 --max-length 64
python -m training.train --skill qa --data "$DATA/squad-v1.1" --out adapters/qa --version v2 --epochs 5 --patience 2 --learning-rate 1e-3 --batch-size 16 --max-length 256
