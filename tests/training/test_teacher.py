"""Distillation from a teacher on another encoder (training/teacher.py): the soft-target loss, targets that follow
words and characters across two tokenizers, and a tiny student trained toward a tiny teacher's cached targets.
Encoders are tiny random BERTs built in the test (tests/tiny_models.py)."""

from __future__ import annotations

import pytest
import torch

from skills.ner.data import TaggedSentence
from skills.ner.data import features as ner_features
from skills.qa.data import QAExample
from skills.qa.data import features as qa_features
from skills.sentiment.data import LabeledText
from tests.tiny_models import WORDS, adapter_bundle, tiny_encoder
from training import teacher
from training.teacher import SoftTargets, recorded_features, soft_target_loss, with_soft_targets


@pytest.mark.parametrize("kind", ["sequence", "token", "span"])
def test_the_soft_target_loss_is_zero_at_the_teacher_and_grows_with_the_gap(kind):
    torch.manual_seed(0)
    shape = {"sequence": (2, 3), "token": (2, 5, 3), "span": (2, 5, 2)}[kind]
    teacher_logits = 3 * torch.randn(shape)
    mask = torch.ones(shape[:1] if kind == "sequence" else shape[:2], dtype=torch.bool)
    target = (teacher_logits / 2.0).softmax(dim=1 if kind == "span" else -1)
    assert soft_target_loss(teacher_logits, target, mask, kind, 2.0).item() == pytest.approx(0.0, abs=1e-5)
    other = teacher_logits.flip(0)
    assert soft_target_loss(other, target, mask, kind, 2.0).item() > 0.05
    assert soft_target_loss(other, target, torch.zeros_like(mask), kind, 2.0).item() == 0.0  # nothing to distil


def split_vocab_tokenizer(folder):
    """A tokenizer that splits "paris" into "par ##is" (the tiny encoder's tokenizer reads it whole)."""
    from transformers import BertTokenizerFast

    folder.mkdir()
    words = [w for w in WORDS if w != "paris"] + ["par", "##is"]
    (folder / "vocab.txt").write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]) + "\n")
    return BertTokenizerFast(vocab=str(folder / "vocab.txt"), do_lower_case=True)


@pytest.fixture(scope="module")
def tokenizers(tmp_path_factory):
    from transformers import AutoTokenizer

    root = tmp_path_factory.mktemp("tokenizers")
    return AutoTokenizer.from_pretrained(tiny_encoder(root / "whole")), split_vocab_tokenizer(root / "split")


def one_hot_logits(width: int, channels: int, hot: dict[int, int]) -> torch.Tensor:
    logits = torch.full((width, channels), -20.0)
    for position, channel in hot.items():
        logits[position, channel] = 20.0
    return logits


def test_ner_targets_follow_the_words_to_the_first_sub_token(tokenizers):
    whole, split = tokenizers
    sentence = TaggedSentence(["priya", "is", "in", "paris"], ["B-PER", "O", "O", "B-LOC"])
    built, rows = recorded_features(ner_features, [sentence], whole, 32)
    paris = rows[0].word_ids.index(3)  # the teacher's tokenizer reads "paris" as one token
    logits = one_hot_logits(len(built[0]["input_ids"]), 9, {p: 0 for p in range(len(built[0]["input_ids"]))})
    logits[paris] = one_hot_logits(1, 9, {0: 7})[0]  # the teacher reads "paris" as its 8th label
    payload = teacher.row_payload("token", rows[0], built[0], logits)
    targets = SoftTargets("ner", "token", ["l"] * 9, {"folder": "t"}, {rows[0].key: payload})
    student = with_soft_targets(ner_features, targets, 1.0)([sentence], split, 32)[0]
    tokens = split.convert_ids_to_tokens(student["input_ids"])
    assert tokens[tokens.index("par") + 1] == "##is"
    assert student["teacher_mask"].tolist() == [label != -100 for label in student["labels"]]
    assert student["teacher"][tokens.index("par")].argmax().item() == 7
    assert not student["teacher_mask"][tokens.index("##is")]


def test_span_targets_follow_the_characters_and_put_the_mass_outside_a_window_at_cls(tokenizers, monkeypatch):
    whole, split = tokenizers
    context = "priya nair is in paris . the film was great . it was dull ."
    answer = context.index("paris")
    example = QAExample("1", "t", "who is in paris", context, ["paris"], [answer])
    built, rows = recorded_features(qa_features, [example], whole, 128)
    assert len(built) == 1
    paris = next(p for p, o in enumerate(rows[0].offsets) if rows[0].sequence_ids[p] == 1 and o[0] == answer)
    logits = one_hot_logits(len(built[0]["input_ids"]), 2, {paris: 0})
    logits[paris, 1] = 20.0  # the teacher is sure the answer is "paris"
    targets = SoftTargets("qa", "span", ["start", "end"], {"folder": "t"})
    targets.targets[rows[0].key] = teacher.merged_windows([teacher.row_payload("span", rows[0], built[0], logits)])
    monkeypatch.setattr("skills.qa.data.WINDOW_STRIDE", 2)  # the student reads the passage in short windows
    windows = with_soft_targets(qa_features, targets, 1.0)([example], split, 16)
    assert sum(w["labels"] == [0, 0] for w in windows) >= 1 and sum(w["labels"] != [0, 0] for w in windows) >= 1
    for window in windows:
        tokens = split.convert_ids_to_tokens(window["input_ids"])
        target = window["teacher"]
        assert target.sum(0).tolist() == pytest.approx([1.0, 1.0], abs=1e-4)
        if window["labels"] == [0, 0]:  # "paris" not in this window: all mass at [CLS], as the gold label
            assert target[0].tolist() == pytest.approx([1.0, 1.0], abs=1e-4)
        else:
            assert (tokens[target[:, 0].argmax()], tokens[target[:, 1].argmax()]) == ("par", "##is")
            assert window["labels"] == [target[:, 0].argmax().item(), target[:, 1].argmax().item()]


@pytest.fixture(scope="module")
def teacher_and_student(tmp_path_factory):
    root = tmp_path_factory.mktemp("distil")
    teacher_encoder = tiny_encoder(root / "teacher", hidden_size=48, seed=1)
    bundle = adapter_bundle(teacher_encoder, root / "bundle", "sentiment", scale=300.0)  # a sure teacher
    return bundle, tiny_encoder(root / "student", hidden_size=32, seed=2), root


TEXTS = ["the film was great", "the film was dull", "it was great", "it was dull", "priya nair is in paris", "who"]


def test_targets_are_computed_once_through_the_app_path_and_a_run_resumes_them(teacher_and_student, tmp_path):
    from skills.encoder import BundleInfo, SharedEncoder
    from training.evaluate import adapter_logits_fn

    bundle, _, _ = teacher_and_student
    examples = [LabeledText(t, 0) for t in TEXTS]
    encoder = SharedEncoder(BundleInfo.read(bundle).base_model)
    full = teacher.compute_targets("sentiment", examples, encoder, bundle, batch_size=4)
    assert len(full.targets) == len(TEXTS) and full.teacher["version"] == "v1"
    enc = encoder.tokenizer(TEXTS[:1], return_tensors="pt")
    direct = adapter_logits_fn(encoder, "teacher")(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])
    key = teacher.input_key(TEXTS[0], None)
    assert torch.allclose(full.targets[key], direct[0], atol=1e-4)
    full.save(tmp_path / "targets.pt")
    half = SoftTargets.load(tmp_path / "targets.pt", "sentiment")
    half.targets = dict(list(half.targets.items())[:3])
    resumed = teacher.compute_targets("sentiment", examples, encoder, bundle, batch_size=4, done=half)
    assert resumed.targets.keys() == full.targets.keys()
    assert all(torch.allclose(resumed.targets[k], full.targets[k], atol=1e-5) for k in full.targets)
    with pytest.raises(ValueError, match="holds sentiment targets"):
        SoftTargets.load(tmp_path / "targets.pt", "ner")


def test_training_on_the_targets_moves_a_student_on_another_encoder_toward_the_teacher(teacher_and_student, tmp_path):
    from skills.encoder import BundleInfo, SharedEncoder
    from training.features import collate
    from training.train import TrainConfig, TrainingExamples, build_model, logits_fn, run_for_model, train_epoch

    bundle, student, root = teacher_and_student
    examples = [LabeledText(t, i % 2) for i, t in enumerate(TEXTS)]
    encoder = SharedEncoder(BundleInfo.read(bundle).base_model)
    teacher.compute_targets("sentiment", examples, encoder, bundle).save(tmp_path / "targets.pt")
    config = TrainConfig(
        skill="sentiment",
        data=str(root),
        out=tmp_path / "out",
        base_model=str(student),
        teacher_targets=tmp_path / "targets.pt",
        teacher_weight=1.0,
        teacher_temperature=1.0,
        learning_rate=3e-2,
        batch_size=6,
        epochs=30,
    )
    run = run_for_model(config, *build_model(config), TrainingExamples(examples, [1.0] * len(examples), select=[]))
    assert all(bool(f["teacher_mask"]) for f in run.features)

    def distance() -> float:
        tensors = collate(run.features, "sequence")
        run.parts.model.eval()
        run.parts.head.eval()
        with torch.no_grad():
            logits = logits_fn(run.parts)(tensors["input_ids"], tensors["attention_mask"], tensors["token_type_ids"])
        return soft_target_loss(logits, tensors["teacher"], tensors["teacher_mask"], "sequence", 1.0).item()

    before = distance()
    for epoch in range(1, 16):
        train_epoch(run, epoch)
    assert distance() < before / 4
