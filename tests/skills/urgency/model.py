"""The urgency skill's model: its adapter's sequence head on the shared encoder."""

from __future__ import annotations

import torch

from skills.base import SkillRequest, SkillResult
from skills.encoder import AdapterSkill, SharedEncoder
from tests.skills.urgency.spec import LABELS, SPEC


class UrgencySkill(AdapterSkill):
    spec = SPEC

    def run(self, request: SkillRequest) -> SkillResult:
        enc = self.encoder.tokenizer(
            request.text, truncation=True, max_length=self.bundle.max_length, return_tensors="pt"
        )
        with torch.inference_mode(), self.encoder.adapter(self.name) as head:
            probabilities = self.encoder.logits(head, enc["input_ids"], enc["attention_mask"]).softmax(-1)[0]
        index = int(probabilities.argmax())
        probability = float(probabilities[index])
        return SkillResult(
            text=f"**{LABELS[index]}** ({probability:.0%})",
            confidence=round(probability, 4),
            data={"text": request.text, "label": LABELS[index]},
            rationale={
                "probabilities": {name: round(float(p), 4) for name, p in zip(LABELS, probabilities, strict=True)}
            },
        )


def build(encoder: SharedEncoder) -> UrgencySkill:
    return UrgencySkill(encoder)
