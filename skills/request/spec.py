"""The request model's labels, torch-free: the kinds of turn, the spans it marks and the intents it tells apart.

One token head reads both: at [CLS] it picks an intent (a skill and the kind of turn), at the message's tokens a BIO
tag of the span they belong to (JointBERT's two heads, Chen et al. 2019, as one weight matrix: each position's
argmax is taken over its own labels only, so the two never compete).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from skills.registry import DataSpec, SkillSpec

# new_text: a text in this message to analyse; followup_text: the previous turn's text again; passage_question: a
# question with its passage in this message; pending_passage_question: about a passage pasted earlier; kb_question:
# about the user's documents; passage_keep: a passage with no request, kept for questions; help: the fallback.
KINDS = (
    "new_text",
    "followup_text",
    "passage_question",
    "pending_passage_question",
    "kb_question",
    "passage_keep",
    "help",
)
PLAIN_KIND = KINDS[-1]  # a message for the fallback skill that is not a passage to keep
SPAN_LABELS = ("INSTRUCTION", "TEXT", "PASSAGE", "QUESTION")
# Which kinds each way of reading a message allows (SkillSpec.reads).
KINDS_BY_READS = {
    "text": ("new_text", "followup_text"),
    "question": ("passage_question", "pending_passage_question", "kb_question"),
    "message": ("passage_keep", "help"),
}
SPAN_TAGS = ("O", *(f"{prefix}-{label}" for label in SPAN_LABELS for prefix in ("B", "I")))
# One intent per (skill users talk to, kind its way of reading allows): the model's output classes, fixed when it is
# trained (tests/skills/test_request_model.py keeps them in step with the registry: a new skill means new labels).
INTENTS = (
    "ner/new_text",
    "ner/followup_text",
    "sentiment/new_text",
    "sentiment/followup_text",
    "qa/passage_question",
    "qa/pending_passage_question",
    "qa/kb_question",
    "help/passage_keep",
    "help/help",
)

SPEC = SkillSpec(
    name="request",
    description="reads a message with the conversation so far: which skill, which kind of turn, which spans",
    routing_examples=(),
    reads="conversation",
    serves=False,
    head="token",
    head_labels=(*SPAN_TAGS, *INTENTS),
    headline_metric="exact",
    data=DataSpec(
        folder="requests",
        files={"train": "train.jsonl", "select": "select.jsonl", "report": "report.jsonl"},
        hub_splits={"train": "train", "select": "validation", "report": "test"},
        description="Requests composed by skills.request.generate from hand-written phrasings and the benchmarks' "
        "training splits (train.jsonl); the hand-written dev set selects (select.jsonl) and the hand-written "
        "held-out set reports (report.jsonl), both from bench/data/understanding (python -m training.request_data).",
        item="requests",
        file_format="request JSON Lines",
        withheld="its requests carry CoNLL-2003 and SST-2 sentences, whose licences do not let their text be shipped",
        generated_by="python -m training.request_data --data ../shared/data",
    ),
)


def intent(skill: str, kind: str) -> str:
    return f"{skill}/{kind}"


def split_intent(label: str) -> tuple[str, str]:
    skill, _, kind = label.partition("/")
    return skill, kind


@dataclass(frozen=True)
class Understanding:
    """What the request model read in a message."""

    skill: str
    kind: str
    probability: float  # of the chosen intent, softmax over the intents
    intents: dict[str, float]  # every intent's probability
    spans: dict[str, tuple[int, int]]  # span label -> character offsets into the message
    # the training requests nearest to the message (the bundle's example index); None where it ships none
    examples: list[dict[str, Any]] | None = None

    @property
    def skill_probabilities(self) -> dict[str, float]:
        """Each skill's probability, whatever the kind of turn (its intents summed)."""
        summed: dict[str, float] = {}
        for label, probability in self.intents.items():
            skill = split_intent(label)[0]
            summed[skill] = summed.get(skill, 0.0) + probability
        return summed

    @property
    def skill_probability(self) -> float:
        """The probability of the chosen skill, whatever the kind of turn."""
        return self.skill_probabilities.get(self.skill, 0.0)

    def span_text(self, message: str, label: str) -> str | None:
        found = self.spans.get(label)
        return message[found[0] : found[1]] if found else None
