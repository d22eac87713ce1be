"""Real (tiny) training runs: the packaged encoder on a 12-sentence CoNLL fixture, two epochs of three batches."""

from __future__ import annotations

import json
import logging
import re

import pytest
import torch

from tests.training.conll_fixture import SENTENCES, write_conll
from training.train import main

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def conll_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("conll2003")
    write_conll(folder / "eng.train", SENTENCES)
    write_conll(folder / "eng.testa", SENTENCES[:6])
    write_conll(folder / "eng.testb", SENTENCES[6:9])
    return folder


def arguments(data, out, *extra: str) -> list[str]:
    return [
        *("--skill", "ner", "--data", str(data), "--out", str(out), "--epochs", "2"),
        *("--batch-size", "4", "--max-length", "32", *extra),
    ]


@pytest.fixture(scope="module")
def uninterrupted(conll_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("uninterrupted") / "ner"
    info = main(arguments(conll_dir, out))
    return out, info


def test_training_writes_a_small_bundle_with_its_curve_and_card(uninterrupted):
    out, info = uninterrupted
    for name in ("adapter_model.safetensors", "adapter_config.json", "head.safetensors", "bundle.json", "README.md"):
        assert (out / name).is_file(), name
    assert (out / "training_curve.png").read_bytes().startswith(b"\x89PNG")
    assert not (out / "checkpoint").exists()
    assert not out.with_name("ner.training").exists()
    bundle = json.loads((out / "bundle.json").read_text())
    assert [h["epoch"] for h in bundle["training"]["history"]] == [1, 2]
    assert bundle["training"]["history"] == info.training["history"]
    assert bundle["training"]["resumed_after_epochs"] == []
    splits = bundle["training"]["splits"]
    assert {name: (s["file"], s["examples"]) for name, s in splits.items()} == {
        "train": ("eng.train", 12),
        "select": ("eng.testa", 6),
        "report": ("eng.testb", 3),
    }
    assert bundle["metrics"]["n"] == 3
    # The training sentences, indexed exactly (a tiny set) for the "similar examples" explanation.
    example_index = bundle["training"]["example_index"]
    assert example_index["examples"] == 12 and example_index["index"].startswith("flat")
    assert (out / "examples.faiss").is_file() and (out / "examples.jsonl.gz").is_file()
    card = (out / "README.md").read_text()
    assert "![training curve](training_curve.png)" in card
    assert "select `eng.testa` (6 examples)" in card
    assert "Example index: 12 training examples, flat (exact)" in card


def test_a_resumed_run_repeats_the_uninterrupted_history(uninterrupted, conll_dir, tmp_path):
    out = tmp_path / "ner"
    assert main(arguments(conll_dir, out, "--stop-after-epoch", "1")) is None
    assert not out.exists()
    state = json.loads((tmp_path / "ner.training" / "checkpoint" / "state.json").read_text())
    assert state["state"]["epoch"] == 1

    # Skipping the similar-examples index is not a training setting: the resumed run may choose it.
    info = main(arguments(conll_dir, out, "--resume", "--skip-example-index"))
    expected = uninterrupted[1].training["history"]
    history = info.training["history"]
    assert [h["epoch"] for h in history] == [1, 2]
    for got, want in zip(history, expected, strict=True):
        assert got["train_loss"] == pytest.approx(want["train_loss"], rel=1e-6)
        assert got["select"] == pytest.approx(want["select"], abs=1e-6)
    assert info.training["resumed_after_epochs"] == [1]
    assert not (out / "checkpoint").exists()
    assert "resumed after epoch 1" in (out / "README.md").read_text()
    assert "example_index" not in info.training and not (out / "examples.faiss").exists()
    assert "Example index" not in (out / "README.md").read_text()


def test_a_fresh_run_ignores_an_earlier_checkpoint(uninterrupted, conll_dir, tmp_path, caplog):
    out = tmp_path / "ner"
    main(arguments(conll_dir, out, "--stop-after-epoch", "1", "--learning-rate", "5e-3"))
    caplog.set_level(logging.INFO, logger="training.train")
    info = main(arguments(conll_dir, out))
    assert "ignoring the checkpoint after epoch 1" in caplog.text
    assert info.training["resumed_after_epochs"] == []
    first = info.training["history"][0]["train_loss"]
    assert first == pytest.approx(uninterrupted[1].training["history"][0]["train_loss"], rel=1e-6)


def test_resume_refuses_other_settings_and_a_missing_checkpoint(conll_dir, tmp_path):
    out = tmp_path / "ner"
    with pytest.raises(FileNotFoundError, match="no checkpoint"):
        main(arguments(conll_dir, out, "--resume"))
    main(arguments(conll_dir, out, "--stop-after-epoch", "1"))
    with pytest.raises(ValueError, match=re.escape("learning_rate: 0.001 there, 0.002 now")):
        main(arguments(conll_dir, out, "--resume", "--learning-rate", "2e-3"))


def test_a_checkpoint_from_before_a_setting_existed_resumes_at_its_default(conll_dir, tmp_path):
    out = tmp_path / "ner"
    main(arguments(conll_dir, out, "--stop-after-epoch", "1"))
    state_file = tmp_path / "ner.training" / "checkpoint" / "state.json"
    record = json.loads(state_file.read_text())
    del record["settings"]["word_shapes"]  # as written before the option was added
    state_file.write_text(json.dumps(record))
    with pytest.raises(ValueError, match=re.escape("word_shapes: False there, True now")):
        main(arguments(conll_dir, out, "--resume", "--word-shapes"))
    assert main(arguments(conll_dir, out, "--resume")).training["resumed_after_epochs"] == [1]


def test_word_shape_heads_are_trained_saved_and_used_by_the_ner_skill(conll_dir, tmp_path):
    from skills.encoder import SharedEncoder
    from skills.ner.model import NerSkill

    info = main(arguments(conll_dir, tmp_path / "ner", "--word-shapes"))
    assert info.head.word_shapes
    encoder = SharedEncoder()
    encoder.load_adapter("ner", tmp_path / "ner")
    shape_weights = encoder.heads["ner"].shape_embedding.weight
    assert shape_weights.abs().sum() > 0  # trained away from its zero start
    skill = NerSkill(encoder)
    text = "Priya Nair joined Infosys in Pune"
    with_shapes = [w.type_probabilities for w in skill.predict_words(text)]
    with torch.no_grad():
        shape_weights.zero_()  # the same adapter without its shapes must give other probabilities
    without_shapes = [w.type_probabilities for w in skill.predict_words(text)]
    assert len(with_shapes) == len(without_shapes) == 6
    assert with_shapes != without_shapes


def test_distillation_needs_a_starting_adapter_and_keeps_the_replayed_outputs(conll_dir, uninterrupted, tmp_path):
    from skills.ner.data import features, read_conll
    from training.train import TrainConfig, TrainingExamples, parse_args, prepare_run, train_epoch

    with pytest.raises(ValueError, match="set init_adapter"):
        parse_args(arguments(conll_dir, tmp_path / "x", "--distill-weight", "1"))
    start, _ = uninterrupted
    sentences = read_conll(conll_dir / "eng.train")
    given = TrainingExamples(sentences, [1.0] * len(sentences), select=[], replayed=4)
    config = TrainConfig(
        skill="ner",
        data=str(conll_dir),
        out=tmp_path / "d",
        epochs=1,
        batch_size=4,
        max_length=32,
        learning_rate=5e-3,
        init_adapter=start,
        distill_weight=1.0,
    )
    run = prepare_run(config, given)
    replayed = len(features(sentences[-4:], run.tokenizer, 32))  # with their lowercased copies
    assert [f["distill"] for f in run.features] == [False] * (len(run.features) - replayed) + [True] * replayed
    assert replayed >= 4
    assert train_epoch(run, 1) > 0
    # The teacher is the starting adapter, frozen: training moved the student, not it.
    teacher_model, _ = run.teacher
    moved = [(name, p) for name, p in run.parts.model.named_parameters() if "lora_B" in name]
    frozen = dict(teacher_model.named_parameters())
    assert all(not frozen[name].requires_grad for name, _ in moved)
    assert any(not torch.equal(p, frozen[name]) for name, p in moved)


def test_a_smoke_run_scores_only_the_first_report_examples(conll_dir, tmp_path):
    info = main(arguments(conll_dir, tmp_path / "ner", "--report-limit", "2", "--skip-example-index"))
    assert info.metrics["n"] == 2
    assert info.training["splits"]["report"]["examples"] == 2
    assert "report_limit" not in info.training["config"]  # how a run is scored, not what it trains


def test_patience_is_the_number_of_epochs_in_a_row_without_improvement_that_stops_training(conll_dir, tmp_path):
    """Sentiment v3 selected 87.8, 88.19, 87.9, 87.42: with patience 2 it stops after epoch 4 (a fifth ran before)."""
    from training.checkpoint import TrainState
    from training.train import TrainConfig, keeps_training

    config = TrainConfig(skill="ner", data=str(conll_dir), out=str(tmp_path / "ner"), epochs=5, patience=2)
    assert keeps_training(TrainState(epoch=2, stale=0), config)
    assert keeps_training(TrainState(epoch=3, stale=1), config)
    assert not keeps_training(TrainState(epoch=4, stale=2), config)
    assert not keeps_training(TrainState(epoch=5, stale=0), config)
    with pytest.raises(ValueError, match="patience"):
        TrainConfig(skill="ner", data=str(conll_dir), out=str(tmp_path / "ner"), patience=0)
