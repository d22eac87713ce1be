"""The request model at run time: a message and its conversation context in, what it asks out (`Understanding`).
The planner uses it where it is loaded; it runs through its own LoRA adapter on the shared encoder."""

from __future__ import annotations

import torch

from skills.encoder import AdapterSkill, SharedEncoder
from skills.request.data import decode, encode
from skills.request.generate import Context, Request
from skills.request.spec import INTENTS, SPEC, Understanding, split_intent


class RequestModel(AdapterSkill):
    spec = SPEC

    @property
    def temperature(self) -> float:
        """The bundle's calibrated temperature (`python -m training.calibrate`); 1.0 for an uncalibrated one."""
        return float(self.bundle.training.get("calibration", {}).get("temperature", 1.0))

    def read(self, message: str, context: Context) -> Understanding:
        probe = Request(message, context, "help", "help")  # the labels are not read; only message and context
        enc = encode(self.encoder.tokenizer, [probe], self.bundle.max_length, return_tensors="pt")
        with torch.inference_mode(), self.encoder.adapter(self.name) as head:
            logits = self.encoder.logits(
                head, enc["input_ids"], enc["attention_mask"], token_type_ids=enc["token_type_ids"]
            )
        offsets = [tuple(o) for o in enc["offset_mapping"][0].tolist()]
        label, intent_scores, spans = decode(logits[0].tolist(), offsets, enc.sequence_ids(0), enc.word_ids(0))
        probabilities = (torch.tensor(intent_scores) / self.temperature).softmax(0).tolist()
        skill, kind = split_intent(label)
        return Understanding(
            skill=skill,
            kind=kind,
            probability=round(max(probabilities), 4),
            intents={name: round(p, 4) for name, p in zip(INTENTS, probabilities, strict=True)},
            spans=spans,
        )


def build(encoder: SharedEncoder) -> RequestModel:
    return RequestModel(encoder)
