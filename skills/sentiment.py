"""Binary sentiment (SST-2 style) through the `sentiment` LoRA adapter, with per-word attributions.

Attributions are word occlusion (Zeiler & Fergus 2014; leave-one-out as in ERASER, DeYoung et al. 2020) with
Captum's `FeatureAblation`: each word's sub-tokens are replaced by [MASK] together, all words in one batch, through
the adapter that made the prediction. A word's score is how much the predicted label's log-odds drop without it:
positive pushes toward the label, negative against it. (Gradient × input was tried first; its signs were
unreliable on this encoder, naming words such as "the" as the reason for a negative review.)
"""

from __future__ import annotations

from typing import Any

import torch

from skills.base import InputError, SkillRequest, SkillResult
from skills.encoder import AdapterSkill

LABELS = ("negative", "positive")
LABEL_ALIASES = {"negative": 0, "neg": 0, "0": 0, "bad": 0, "positive": 1, "pos": 1, "1": 1, "good": 1}


def word_groups(word_ids: list[int | None]) -> list[int]:
    """Captum feature-mask groups: word i -> group i + 1; special tokens share group 0."""
    return [0 if word_id is None else word_id + 1 for word_id in word_ids]


def word_attributions(
    text: str, word_ids: list[int | None], offsets: list[tuple[int, int]], group_scores: dict[int, float]
) -> list[dict[str, Any]]:
    """One entry per word: its text, its character span in `text`, and the score of its group."""
    spans: dict[int, list[int]] = {}
    for word_id, (start, end) in zip(word_ids, offsets, strict=True):
        if word_id is not None:
            spans.setdefault(word_id, [start, end])[1] = end
    return [
        {"token": text[start:end], "start": start, "end": end, "score": round(group_scores[word_id + 1], 5)}
        for word_id, (start, end) in spans.items()
    ]


def summarise(label: str, probability: float, attributions: list[dict[str, Any]], top: int = 2) -> str:
    """One line a screen reader can read: the label, its probability and the words that drove it most."""
    drivers = [a["token"] for a in sorted(attributions, key=lambda a: -a["score"]) if a["score"] > 0][:top]
    if not drivers:
        return f"{label} ({probability:.2f})"
    quoted = " and ".join(f"“{d}”" for d in drivers)
    return f"{label} ({probability:.2f}), mostly because of {quoted}"


class SentimentSkill(AdapterSkill):
    name = "sentiment"
    description = "tells whether a text is positive or negative, and which words drove the decision"
    routing_examples = (
        "what's the sentiment of: the food was cold and the waiter was rude",
        "what's the sentiment of",
        "is this positive or negative",
        "is this review positive or negative: a beautiful, moving film",
        "how does this sound: I absolutely loved the concert",
        "sentiment of this tweet: worst customer service ever",
        "I loved this movie, the acting was wonderful",
        "the plot was dull and I will never watch it again",
        "this phone is a total waste of money",
        "what a fantastic experience, highly recommended",
        "is it positive?",
        "was that negative?",
        "how does it feel?",
        "what is the mood of this text?",
        "analyse the tone of this message",
        "classify the sentiment",
    )

    def run(self, request: SkillRequest) -> SkillResult:
        text = request.text
        info = self.bundle
        enc = self.encoder.tokenizer(
            text,
            truncation=True,
            max_length=info.max_length,
            return_offsets_mapping=True,
            return_tensors="pt",
        )
        with self.encoder.adapter(self.name) as head:
            with torch.inference_mode():
                probabilities = self.encoder.logits(head, enc["input_ids"], enc["attention_mask"]).softmax(-1)[0]
            label_index = int(probabilities.argmax())
            group_scores = self._occlusion(head, enc, label_index)
        label, probability = LABELS[label_index], float(probabilities[label_index])
        attributions = word_attributions(
            text, enc.word_ids(0), [tuple(o) for o in enc["offset_mapping"][0].tolist()], group_scores
        )
        truncated = enc["input_ids"].shape[1] >= info.max_length
        summary = summarise(label, probability, attributions)
        return SkillResult(
            text=f"**{label}** ({probability:.0%})"
            + (" — I read only the first part of this long text." if truncated else ""),
            confidence=round(probability, 4),
            data={
                "text": text,
                "label": label,
                "probabilities": {name: round(float(p), 4) for name, p in zip(LABELS, probabilities, strict=True)},
            },
            rationale={
                "summary": summary,
                "attributions": attributions,
                "attribution_method": "word occlusion: drop in the label's log-odds when the word is masked",
                "truncated": truncated,
            },
        )

    def _occlusion(self, head, enc, target: int) -> dict[int, float]:
        """Drop in `target`'s log-odds per word group, all words masked one at a time in a single batch."""
        from captum.attr import FeatureAblation

        def log_odds(ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            # log-odds of each label against the other: unlike probabilities, they do not saturate at 0.99
            logits = self.encoder.logits(head, ids, mask)
            return logits - logits.flip(-1)

        groups = torch.tensor([word_groups(enc.word_ids(0))])
        with torch.inference_mode():
            attribution = FeatureAblation(log_odds).attribute(
                enc["input_ids"],
                baselines=self.encoder.tokenizer.mask_token_id,
                target=target,
                additional_forward_args=(enc["attention_mask"],),
                feature_mask=groups,
                perturbations_per_eval=int(groups.max()) + 1,
            )[0]
        return {int(group): float(attribution[position]) for position, group in enumerate(groups[0])}

    def parse_correction(self, correction: str, result: dict[str, Any]) -> dict[str, Any]:
        key = correction.strip().lower()
        if key not in LABEL_ALIASES:
            raise InputError(f"write the right label, positive or negative (got {correction.strip()!r})")
        return {"label": LABELS[LABEL_ALIASES[key]]}
