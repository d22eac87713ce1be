"""The plain sentences that open every answer's explanation (`Rationale.summary`, also for screen readers and the
API): which skill answered and why, how sure it is, and what in the text decided it (the skill's own
`render.summary`). Pure functions."""

from __future__ import annotations

from typing import Any

from core.records import InputReading
from skills.registry import get_skill, skill_names

UNSURE_WORD = 0.5  # a word heard with a lower probability is marked as unsure


def shows_confidence(skill: str) -> bool:
    """Whether the answer carries a model's probability: a skill with an adapter answered. Refusals, canned replies,
    documentation answers (their similarity is explained instead) and clarifying questions carry none."""
    return skill in skill_names(trainable=True)


def summary(skill: str, reason: str, confidence: float, data: dict[str, Any], skill_rationale: dict[str, Any]) -> str:
    """One to three plain sentences: which skill and why, how sure, what decided (see the module docstring)."""
    if skill not in skill_names():
        return f"I was not sure what you wanted ({reason}), so I asked."
    sentences = [f"I used the {skill} skill because {reason.split('; ')[0]}."]  # the details follow in the panel
    memory = skill_rationale.get("memory")
    if memory:
        sentences.append(f"The answer comes from a correction I remember: {memory['said']}.")
    elif shows_confidence(skill):
        sentences.append(f"The model is {confidence:.0%} sure.")
    render = get_skill(skill).render
    decided = render.summary(data, skill_rationale) if render else ""
    return " ".join(sentences + ([decided] if decided else []))


def input_sentence(reading: InputReading) -> str:
    """What was heard or read, and how sure the recogniser is ("heard: “…” (82% sure)."); "" for typed text."""
    if reading.modality == "text":
        return ""
    verb = "heard" if reading.modality == "audio" else "read"
    said = " ".join(reading.text.split())
    if reading.original is not None:
        original = " ".join(reading.original.split())
        return f"You corrected what I {verb} (“{original}”) to “{said}”."
    unsure = [w["text"] for w in reading.words if w["probability"] < UNSURE_WORD]
    sentence = f"I {verb}: “{said}” ({reading.confidence:.0%} sure)."
    if unsure:
        sentence += f" Unsure of: {', '.join(f'“{w}”' for w in unsure)}."
    if reading.modality == "image" and reading.request:
        sentence += f" You asked: “{reading.request}”."
    return sentence
