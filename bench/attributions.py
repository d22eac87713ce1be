"""Word attributions to compare with the chat's own, all through the PEFT-wrapped encoder with the skill's adapter on.

- `chat`: the skill's own code path, leave-one-out by deletion on the adapter's explanation model (its LoRA merged
  in, in the app's explanation precision: bfloat16 on CPUs with native support). Sentiment:
  `SentimentSkill.word_scores`, the drop in the label's log-odds. NER: `NerSkill.context_occlusion`, the drop in
  the entity type's log-odds, over the 32 words nearest the entity (the rest of a longer sentence rank after them,
  nearest first).
- `loo_mask`: leave-one-out with the word's tokens replaced by [MASK] (NER keeps the word's shape: the NER skill's
  method until this benchmark; for sentiment too, the skill's method before Integrated Gradients).
- `loo_delete`: leave-one-out with the word's tokens deleted from the sequence, every word, in float32 through the
  PEFT model (the chat's method without its bounds, its merged copy or bfloat16).
- `random`: a uniformly random ranking (seeded per example), the floor.
- `gradient` (saliency, Simonyan et al. 2014): L2 norm of d log-odds / d word embedding, summed over sub-tokens.
- `grad_x_input` (Shrikumar et al. 2016): gradient · word embedding, summed over the embedding and sub-tokens.
- `ig_<n>`: Integrated Gradients (Sundararajan et al. 2017), n steps from an all-[PAD] baseline ([CLS]/[SEP] kept),
  on the word-embedding layer.

The gradient methods use Captum's layer attributions on `encoder.peft_model.get_input_embeddings()` while the
adapter is active, so the LoRA weights and the skill's head are inside every gradient. The explained output is the
one the chat explains: the predicted label's log-odds (sentiment), or the log-odds of the entity's predicted type,
its probability averaged over the entity's words (NER). AOPC scores the probability instead, as ERASER does.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import torch

from bench.aopc import Erasure, erase, word_totals
from skills.ner.model import by_distance
from skills.ner.spec import ENTITY_TYPES, NER_LABELS

IG_STEPS = (4, 6, 8, 16, 32)
_OTHERS = ("random", "gradient", "grad_x_input", *(f"ig_{n}" for n in IG_STEPS))
METHODS = {skill: ("chat", "loo_mask", "loo_delete", *_OTHERS) for skill in ("sentiment", "ner")}
CHAT_METHODS = {
    "sentiment": "chat: leave-one-out, word deleted",
    "ner": "chat: leave-one-out, word deleted",
}
METHOD_NAMES = {
    "random": "random ranking",
    "loo_mask": "leave-one-out, word → [MASK] (occlusion)",
    "loo_delete": "leave-one-out, word deleted",
    "gradient": "gradient (saliency, L2)",
    "grad_x_input": "gradient × input",
    **{f"ig_{n}": f"Integrated Gradients, {n} steps" for n in IG_STEPS},
}
BATCH_SIZE = 64


@dataclass
class Example:
    """One explanation to compute: a tokenised text, the words that may be ranked, and the output explained."""

    skill: str  # "sentiment" or "ner"
    text: str
    ids: list[int]  # one window, special tokens included
    word_ids: list[int | None]
    candidates: list[int]  # the words ranked and erased (NER: the words outside the entity)
    target: int  # sentiment: the predicted label's index; NER: the entity type's index in ENTITY_TYPES
    full: float = 0.0  # the explained probability on the whole input
    shapes: list[int] | None = None  # NER word shapes, one per token
    positions: tuple[int, ...] = ()  # NER: the first sub-token of each of the entity's words
    encoding: Any = None  # sentiment: the skill's own encoding (`SentimentSkill.encode`)
    entity: Any = None  # NER: the predicted `skills.ner.Entity`
    word_text: dict[int, str] | None = None  # candidate word -> its text, for reports


class Target:
    """The explained output of one example as a function of token ids, through the encoder's active adapter."""

    def __init__(self, encoder, head, example: Example) -> None:
        self.encoder, self.head, self.example = encoder, head, example
        if example.skill == "ner":
            kind = ENTITY_TYPES[example.target]
            self.columns = [NER_LABELS.index(f"B-{kind}"), NER_LABELS.index(f"I-{kind}")]

    def log_odds(self, ids, mask, shapes=None, positions=None) -> torch.Tensor:
        """log p / (1 - p) of the explained output, one value per row; exact from the logits (no clamping)."""
        logits = self.encoder.logits(self.head, ids, mask, shapes)
        if self.example.skill == "sentiment":
            return logits[:, self.example.target] - logits[:, 1 - self.example.target]
        log_p = logits.log_softmax(-1).gather(1, positions.unsqueeze(-1).expand(-1, -1, logits.shape[-1]))
        inside = log_p[..., self.columns].logsumexp(-1)  # log P(entity type) at each of the entity's words
        others = [i for i in range(logits.shape[-1]) if i not in self.columns]
        outside = log_p[..., others].logsumexp(-1)
        words = torch.tensor(float(positions.shape[1])).log()
        # the type's probability averaged over the entity's words, as log-odds
        return (inside.logsumexp(-1) - words) - (outside.logsumexp(-1) - words)

    def probability(self, ids, mask, shapes=None, positions=None) -> torch.Tensor:
        return torch.sigmoid(self.log_odds(ids, mask, shapes, positions))

    def inputs(self, rows: list[tuple[list[int], list[int] | None, list[int]]]) -> tuple:
        """Right-padded (ids, attention mask, shapes, positions) tensors from erased rows."""
        width = max(len(ids) for ids, _, _ in rows)
        pad = self.encoder.tokenizer.pad_token_id
        ids = torch.tensor([r + [pad] * (width - len(r)) for r, _, _ in rows])
        mask = torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r, _, _ in rows])
        if self.example.shapes is None:
            return ids, mask, None, None
        shapes = torch.tensor([s + [0] * (width - len(s)) for _, s, _ in rows])
        return ids, mask, shapes, torch.tensor([p for _, _, p in rows])

    def erased(self, words: frozenset, mode: Erasure) -> tuple[list[int], list[int] | None, list[int]]:
        ex = self.example
        return erase(ex.ids, ex.word_ids, words, mode, self.encoder.tokenizer.mask_token_id, ex.shapes, ex.positions)

    def evaluate(self, erasures: Iterable[tuple[Erasure, frozenset]], log_odds: bool = False) -> dict:
        """The explained probability (or log-odds) with each (erasure mode, words) applied, in batches."""
        rows = {key: self.erased(key[1], key[0]) for key in dict.fromkeys(erasures)}
        wanted = sorted(rows, key=lambda key: len(rows[key][0]))  # similar lengths together: less padding
        values: dict = {}
        with torch.inference_mode():
            for start in range(0, len(wanted), BATCH_SIZE):
                chunk = wanted[start : start + BATCH_SIZE]
                inputs = self.inputs([rows[key] for key in chunk])
                out = self.log_odds(*inputs) if log_odds else self.probability(*inputs)
                values.update(zip(chunk, out.tolist(), strict=True))
        return values


def chat_scores(skills: dict, encoder, example: Example) -> dict[int, float]:
    """The chat's own attributions for `example`, from the skill's code (whatever head/adapter is installed).

    Only the words the skill scores: in a long sentence NER scores the words nearest the entity (`ranked_chat`
    ranks the rest after them)."""
    if example.skill == "sentiment":
        scores = skills["sentiment"].word_scores(example.encoding, example.target)
        return {w: scores[w] for w in example.candidates}
    _, drops = skills["ner"].context_occlusion(example.text, [example.entity])
    if not set(drops[0]) <= set(example.candidates):
        raise RuntimeError(f"the NER skill scored words {sorted(drops[0])}, expected some of {example.candidates}")
    return drops[0]


def ranked_chat(scored: dict[int, float], example: Example) -> dict[int, float]:
    """`scored` with every other candidate below them, nearest the entity first, as the skill's ranking continues."""
    entity_words = {example.word_ids[p] for p in example.positions}
    rest = by_distance([w for w in example.candidates if w not in scored], entity_words)
    floor = min(scored.values(), default=0.0)
    return {**scored, **{w: floor - 1.0 - i for i, w in enumerate(rest)}}


def random_scores(example: Example, seed: int) -> dict[int, float]:
    rng = random.Random(seed)
    return {w: rng.random() for w in example.candidates}


def loo_scores(target: Target, mode: Erasure) -> dict[int, float]:
    """Drop in the explained log-odds when each candidate word alone is erased (all words in one batch)."""
    ex = target.example
    values = target.evaluate([(mode, frozenset())] + [(mode, frozenset([w])) for w in ex.candidates], True)
    full = values[(mode, frozenset())]
    return {w: full - values[(mode, frozenset([w]))] for w in ex.candidates}


def gradient_scores(target: Target, method: str, steps: int = 0) -> dict[int, float]:
    """Captum layer attributions on the word-embedding layer, summed per word (see the module docstring)."""
    from captum.attr import LayerGradientXActivation, LayerIntegratedGradients

    ex = target.example
    layer = target.encoder.peft_model.get_input_embeddings()
    ids, mask, shapes, positions = target.inputs([(ex.ids, ex.shapes, list(ex.positions))])
    args = (mask, shapes, positions)
    with torch.enable_grad():
        if method == "ig":
            baseline = torch.where(
                torch.tensor([[w is None for w in ex.word_ids]]), ids, target.encoder.tokenizer.pad_token_id
            )
            attributions = LayerIntegratedGradients(target.log_odds, layer).attribute(
                ids, baselines=baseline, additional_forward_args=args, n_steps=steps, internal_batch_size=steps
            )
        else:
            explainer = LayerGradientXActivation(target.log_odds, layer, multiply_by_inputs=method == "grad_x_input")
            attributions = explainer.attribute(ids, additional_forward_args=args)
    per_token = attributions[0].norm(dim=-1) if method == "gradient" else attributions[0].sum(-1)
    return word_totals(per_token.tolist(), ex.word_ids, ex.candidates)


def method_scores(method: str, skills: dict, target: Target, seed: int) -> dict[int, float]:
    """Attributions of one method (see METHODS) for `target.example`; call inside `encoder.adapter(...)`."""
    if method == "chat":
        return ranked_chat(chat_scores(skills, target.encoder, target.example), target.example)
    if method == "random":
        return random_scores(target.example, seed)
    if method in ("loo_delete", "loo_mask"):
        return loo_scores(target, "delete" if method == "loo_delete" else "mask")
    if method.startswith("ig_"):
        return gradient_scores(target, "ig", int(method.removeprefix("ig_")))
    if method in ("gradient", "grad_x_input"):
        return gradient_scores(target, method)
    raise ValueError(f"unknown attribution method {method!r}; expected one of {METHODS['sentiment']}")
