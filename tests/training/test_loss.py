"""The training loss: a weighted mean, so silver feedback counts less and the plain runs stay as they were."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from training.train import distillation_loss, task_loss


@pytest.mark.parametrize("kind", ["token", "sequence", "span"])
def test_unit_weights_give_the_plain_mean_and_zero_weights_drop_an_example(kind):
    torch.manual_seed(0)
    if kind == "token":
        logits, labels = torch.randn(2, 4, 3), torch.tensor([[0, 1, -100, 2], [2, -100, -100, 1]])
        plain = nn.functional.cross_entropy(logits.flatten(0, 1), labels.flatten(), ignore_index=-100)
    elif kind == "sequence":
        logits, labels = torch.randn(2, 3), torch.tensor([0, 2])
        plain = nn.functional.cross_entropy(logits, labels)
    else:
        logits, labels = torch.randn(2, 5, 2), torch.tensor([[1, 2], [0, 4]])
        plain = (
            nn.functional.cross_entropy(logits[..., 0], labels[:, 0])
            + nn.functional.cross_entropy(logits[..., 1], labels[:, 1])
        ) / 2
    assert torch.allclose(task_loss(logits, labels, kind), plain)
    assert torch.allclose(task_loss(logits, labels, kind, torch.ones(2)), plain)
    first_only = task_loss(logits[:1], labels[:1], kind)
    assert torch.allclose(task_loss(logits, labels, kind, torch.tensor([0.5, 0.0])), first_only)


@pytest.mark.parametrize("kind", ["token", "sequence", "span"])
def test_distillation_is_zero_for_the_teacher_itself_and_counts_only_the_marked_rows(kind):
    torch.manual_seed(0)
    shape = {"token": (2, 4, 3), "sequence": (2, 3), "span": (2, 5, 2)}[kind]
    teacher = torch.randn(shape)
    attention_mask = torch.tensor([[1, 1, 1, 1, 0], [1, 1, 1, 0, 0]])[:, : shape[1]] if kind != "sequence" else None
    labels = torch.tensor([[0, 1, -100, 2], [2, -100, -100, 1]]) if kind == "token" else None
    both, second = torch.tensor([True, True]), torch.tensor([False, True])

    assert distillation_loss(teacher, teacher, both, kind, attention_mask, labels).abs() < 1e-6
    moved = teacher.clone()
    moved[0] += torch.randn(shape[1:])  # only the first row's outputs change
    assert distillation_loss(moved, teacher, both, kind, attention_mask, labels) > 0.01
    assert distillation_loss(moved, teacher, second, kind, attention_mask, labels).abs() < 1e-6
    assert distillation_loss(moved, teacher, torch.tensor([False, False]), kind, attention_mask, labels) == 0


def test_distillation_ignores_padding_and_unlabelled_tokens():
    teacher = torch.zeros(1, 4, 3)
    student = teacher.clone()
    student[0, 2] = torch.tensor([5.0, -5.0, 0.0])  # a sub-token without a label
    labels = torch.tensor([[0, 1, -100, 2]])
    assert distillation_loss(student, teacher, torch.tensor([True]), "token", None, labels).abs() < 1e-6
    span_teacher = torch.zeros(1, 5, 2)
    span_student = span_teacher.clone()
    span_student[0, 4] = 9.0  # a padding position
    mask = torch.tensor([[1, 1, 1, 1, 0]])
    assert distillation_loss(span_student, span_teacher, torch.tensor([True]), "span", mask, None).abs() < 1e-6


def test_token_weights_weigh_each_token_and_a_zero_weight_drops_it():
    torch.manual_seed(0)
    logits, labels = torch.randn(1, 4, 3), torch.tensor([[0, 1, -100, 2]])
    without_second = task_loss(logits, torch.tensor([[0, -100, -100, 2]]), "token")
    assert torch.allclose(
        task_loss(logits, labels, "token", token_weights=torch.tensor([[1.0, 0.0, 1.0, 1.0]])), without_second
    )
    assert torch.allclose(
        task_loss(logits, labels, "token", token_weights=torch.full((1, 4), 0.25)), task_loss(logits, labels, "token")
    )


def test_a_partly_corrected_sentence_gives_its_sub_tokens_their_words_weights():
    from transformers import AutoTokenizer

    from skills.encoder import default_base_model
    from skills.ner.data import TaggedSentence, features
    from training.features import collate

    tokenizer = AutoTokenizer.from_pretrained(default_base_model())
    weighted = TaggedSentence(["Lewandowski", "scored"], ["B-PER", "O"], [1.0, 0.25])
    rows = features([weighted, TaggedSentence(["Pune"], ["B-LOC"])], tokenizer, max_length=32)
    first = rows[0]
    labelled = [w for w, label in zip(first["token_weights"], first["labels"], strict=True) if label != -100]
    assert labelled == [1.0, 0.25]
    assert len(first["token_weights"]) > 4  # "Lewandowski" is several sub-tokens, each weighed
    batch = collate(rows, "token")
    assert batch["token_weights"].shape == batch["labels"].shape
    assert batch["token_weights"][-1, 1].item() == 1.0  # a sentence without word weights weighs 1
