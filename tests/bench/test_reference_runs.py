"""bench.full_finetune and bench.wnut_ceiling: real (tiny) runs on the packaged encoder and the released NER adapter."""

from __future__ import annotations

import json

import pytest

from bench import full_finetune, wnut_ceiling
from tests.training.test_retrain import data_root  # noqa: F401 (a fixture: CoNLL files and the released adapter)

pytestmark = pytest.mark.slow

TWEETS = [
    "@anna\tO|loves\tO|Pune\tB-location|and\tO|Infosys\tB-corporation",
    "watching\tO|Star\tB-creative-work|Wars\tI-creative-work|with\tO|priya\tB-person",
    "new\tO|iphone\tB-product|from\tO|apple\tB-corporation|today\tO",
    "rain\tO|again\tO|in\tO|london\tB-location|lol\tO",
    "go\tO|team\tO|!\tO",
    "maria\tB-person|and\tO|john\tB-person|met\tO|in\tO|geneva\tB-location",
]


def write_wnut(path, tweets: list[str]) -> None:
    path.write_text("\n\n".join(tweet.replace("|", "\n") for tweet in tweets) + "\n")


def test_full_finetune_trains_every_encoder_weight_and_scores_the_best_epoch_once(data_root, tmp_path):  # noqa: F811
    out = tmp_path / "full.json"
    argv = ["--skill", "ner", "--data", str(data_root / "conll2003"), "--epochs", "3", "--patience", "3"]
    result = full_finetune.main(
        [*argv, "--learning-rate", "1e-4", "--batch-size", "4", "--max-length", "32", "--json", str(out)]
    )

    assert json.loads(out.read_text()) == result
    assert result["trainable_parameters"] > 22_000_000  # the whole encoder, not a few LoRA matrices
    losses = [h["train_loss"] for h in result["history"]]
    assert len(losses) == 3 and losses[-1] < losses[0]
    best = max(result["history"], key=lambda h: h["select"])
    assert (result["best_epoch"], result["selection"]) == (best["epoch"], best["select"])
    assert result["report_split"] == "eng.testb" and result["report"]["n"] == 3
    assert result["command"].startswith("python -m bench.full_finetune --skill ner")


def test_wnut_ceiling_reports_the_start_then_each_size_trained_from_the_adapter(data_root, tmp_path):  # noqa: F811
    wnut = data_root / "wnut17"
    wnut.mkdir()
    write_wnut(wnut / "wnut17train.conll", TWEETS)
    write_wnut(wnut / "emerging.dev.conll", TWEETS[:3])
    out = tmp_path / "ceiling.json"
    adapter = tmp_path / "released" / "ner"

    rows = wnut_ceiling.main(
        [
            "--data",
            str(data_root),
            "--adapter",
            str(adapter),
            "--tweets",
            "2",
            "all",
            "--epochs",
            "1",
            "--json",
            str(out),
        ]
    )

    assert [(r["tweets"], r["epochs"]) for r in rows] == [(0, 0), (2, 1), (6, 1)]
    assert json.loads(out.read_text())["rows"] == rows
    for row in rows:
        assert 0.0 <= row["wnut_dev_f1"] <= 100.0 and 0.0 <= row["conll_testb_f1"] <= 100.0
    # Trained on every tweet, dev tweets included here, the candidate must differ from where it started.
    assert (rows[2]["wnut_dev_f1"], rows[2]["conll_testb_f1"]) != (rows[0]["wnut_dev_f1"], rows[0]["conll_testb_f1"])
    with pytest.raises(SystemExit, match=r"choose 1\.\.6 or all"):
        wnut_ceiling.main(["--data", str(data_root), "--adapter", str(adapter), "--tweets", "7", "--json", str(out)])
