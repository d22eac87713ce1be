"""Model-parameter randomisation test (Adebayo et al., "Sanity Checks for Saliency Maps", NeurIPS 2018).

An explanation that reflects what the model learned must change when the learned parameters are replaced by random
ones. For each example the chat's attributions from the trained adapter and head are compared, by Spearman rank
correlation over the candidate words the chat scores (NER: in a long sentence, the 32 nearest the entity), with the
attributions of the same code after
- `random head`: the task head re-initialised as training starts it (a fresh `nn.Linear`, word shapes at zero);
- `random LoRA`: every LoRA A and B matrix of the skill's adapter replaced by Gaussian noise of the trained
  matrix's standard deviation (the adapter's size kept, what it learned gone);
- `random LoRA + head`: both.
The explained class stays the trained model's prediction. Everything is restored afterwards. The skills explain on a
copy of the encoder with the adapter merged in (`SharedEncoder.explanation_logits`); it is rebuilt from the
randomised adapter and head, and again from the restored ones.
"""

from __future__ import annotations

import copy
import math
import statistics
from collections.abc import Iterator
from contextlib import contextmanager

import torch
from torch import nn

from bench.aopc import spearman
from bench.attributions import Example, chat_scores

VARIANTS = ("random head", "random LoRA", "random LoRA + head")


def random_head(head: nn.Module, seed: int) -> nn.Module:
    """A copy of `head` with its parameters re-initialised as before training."""
    torch.manual_seed(seed)
    fresh = copy.deepcopy(head)
    fresh.linear.reset_parameters()
    if hasattr(fresh, "shape_embedding"):
        nn.init.zeros_(fresh.shape_embedding.weight)
    return fresh.eval()


@contextmanager
def replaced_head(encoder, name: str, head: nn.Module) -> Iterator[None]:
    """Serve `head` for adapter `name` (what `encoder.adapter(name)` yields) until the block ends."""
    trained = encoder.heads[name]
    encoder.heads[name] = head
    encoder.forget_explainer(name)
    try:
        yield
    finally:
        encoder.heads[name] = trained
        encoder.forget_explainer(name)


@contextmanager
def randomised_lora(encoder, name: str, seed: int) -> Iterator[int]:
    """Replace the LoRA matrices of adapter `name` by std-matched Gaussian noise; yields how many were replaced."""
    generator = torch.Generator().manual_seed(seed)
    saved = []
    with encoder.adapter(name):
        key = encoder.peft_model.active_adapter
    for module in encoder.peft_model.modules():
        for part in ("lora_A", "lora_B"):
            matrices = getattr(module, part, None)
            if isinstance(matrices, nn.ModuleDict) and key in matrices:
                weight = matrices[key].weight
                saved.append((weight, weight.detach().clone()))
                with torch.no_grad():
                    noise = torch.randn(weight.shape, generator=generator)
                    weight.copy_(noise * weight.std())
    if not saved:
        raise RuntimeError(f"adapter {name!r} ({key}) has no LoRA matrices to randomise")
    encoder.forget_explainer(name)
    try:
        yield len(saved)
    finally:
        with torch.no_grad():
            for weight, original in saved:
                weight.copy_(original)
        encoder.forget_explainer(name)


@contextmanager
def variant(encoder, name: str, kind: str, seed: int) -> Iterator[None]:
    """One of VARIANTS installed on the encoder for the duration of the block."""
    if kind not in VARIANTS:
        raise ValueError(f"unknown randomisation {kind!r}; expected one of {VARIANTS}")
    head = random_head(encoder.heads[name], seed) if "head" in kind else encoder.heads[name]
    with replaced_head(encoder, name, head):
        if "LoRA" in kind:
            with randomised_lora(encoder, name, seed):
                yield
        else:
            yield


def randomisation_test(skills: dict, encoder, examples: list[Example], trained: list[dict], seed: int = 0) -> dict:
    """Spearman correlation of the chat's trained attributions (`trained`, one dict per example) with each variant's.

    Examples with fewer than three candidate words, or constant attributions, are left out of a variant's figures.
    """
    name = examples[0].skill if examples else "sentiment"
    results = {}
    for kind in VARIANTS:
        rhos = []
        with variant(encoder, name, kind, seed):
            for example, scores in zip(examples, trained, strict=True):
                if len(example.candidates) < 3:
                    continue
                randomised = chat_scores(skills, encoder, example)
                words = [w for w in example.candidates if w in randomised]  # the words the chat itself scores
                if len(words) < 3:
                    continue
                rho = spearman([scores[w] for w in words], [randomised[w] for w in words])
                if not math.isnan(rho):
                    rhos.append(rho)
        results[kind] = summary(rhos)
    return results


def summary(rhos: list[float]) -> dict:
    """Mean, quartiles and the share above 0.5 of a list of rank correlations."""
    if not rhos:
        return {"n": 0}
    quartiles = statistics.quantiles(rhos, n=4) if len(rhos) > 1 else [rhos[0]] * 3
    return {
        "n": len(rhos),
        "mean": round(statistics.fmean(rhos), 3),
        "mean_abs": round(statistics.fmean(abs(r) for r in rhos), 3),
        "q1": round(quartiles[0], 3),
        "median": round(quartiles[1], 3),
        "q3": round(quartiles[2], 3),
        "share_above_0.5": round(sum(r > 0.5 for r in rhos) / len(rhos), 3),
    }
