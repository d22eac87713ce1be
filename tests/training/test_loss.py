"""The training loss: a weighted mean, so silver feedback counts less and the plain runs stay as they were."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from training.train import task_loss


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
