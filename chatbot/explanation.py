"""What an answer's explanation says: the plain sentences that open it (`Rationale.summary`, also for screen readers
and the API: which skill answered and why, how sure it is, and what in the text decided it, the skill's own
`render.summary`), the routing part (`route_rationale`: the scores of what decided, the request model's reading) and
the training examples nearest to what a skill analysed (`similar_examples`)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from chatbot.planner import Plan
from chatbot.router import RouteScores
from core.records import InputReading, RouteRationale
from skills.base import Skill, SkillResult
from skills.encoder import AdapterSkill
from skills.registry import get_skill, skill_names
from skills.request.generate import Context
from skills.request.spec import Understanding

UNSURE_WORD = 0.5  # a word heard with a lower probability is marked as unsure
SIMILAR_EXAMPLES = 3  # training examples shown with an adapter skill's answer


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


def route_rationale(
    skill: str, plan: Plan, route: RouteScores, understanding: Understanding | None, message: str, context: Context
) -> RouteRationale:
    """Why this skill: the plan's reason, the scores of what decided (the request model's skill probabilities where
    it decided, else the router's) and the request model's reading with the context it read."""
    reason = plan.reason if skill == plan.skill else f"{plan.reason}; but {plan.skill} could not answer"
    scores, reading = route.scores, None
    if understanding is not None:
        reading = {
            "skill": understanding.skill,
            "kind": understanding.kind,
            "probability": understanding.probability,
            "intents": understanding.intents,
            "spans": {label: understanding.span_text(message, label) for label in understanding.spans},
            "offsets": {label: list(span) for label, span in understanding.spans.items()},
            "context": asdict(context),  # what it read beside the message: a routing label trains with it
            "nearest_requests": understanding.examples,
        }
        if plan.read_by == "request model":  # the scores shown are those of what decided
            summed = understanding.skill_probabilities
            scores = {name: round(summed.get(name, 0.0), 4) for name in {**route.scores, **summed}}
    return RouteRationale(
        skill=skill,
        reason=reason,
        overridden_by=plan.overridden_by,
        scores=scores,
        similarities=route.similarities,
        nearest_examples=route.nearest_examples,
        best=route.best,
        read_by=plan.read_by,
        request=reading,
    )


def data_folder(skill: str) -> str:
    """Where a default install has a skill's training data: its benchmark under ../shared/data, or where the data's
    command writes it (`DataSpec.generated_by`: under runs/)."""
    data = get_skill(skill).spec.data
    return f"runs/{data.folder}" if data.generated_by else f"../shared/data/{data.folder}"


def example_index_command(skill: str) -> str:
    """The command that builds a released adapter's example index (`training/example_index.py`) from its training
    data (`data_folder`) into its bundle under adapters/."""
    return f"python -m training.example_index --skill {skill} --data {data_folder(skill)} --adapter adapters/{skill}"


def missing_examples_note(skill: str, shown: str = "similar training examples") -> str:
    """Said where an adapter's version has no example index (so no `shown`): why, and the commands that build one."""
    data = get_skill(skill).spec.data
    why = data.withheld or "none was built for this version"
    made = f"make its data with `{data.generated_by} --out {data_folder(skill)}`, then " if data.generated_by else ""
    return (
        f"No {shown}: this {skill} model has no example index ({why}). "
        f'To see them, {made}build it with `{example_index_command(skill)}` (README, "Similar examples").'
    )


def similar_examples(skill: Skill, result: SkillResult) -> list[dict[str, Any]] | None:
    """The training examples nearest to what an adapter skill analysed (QA: the question; else the text), with
    their gold labels; None for rule-based skills and for bundles that ship no example index."""
    analysed = result.data.get("question") or result.data.get("text")
    if not isinstance(skill, AdapterSkill) or not analysed:
        return None
    found = skill.similar_examples(analysed, SIMILAR_EXAMPLES)
    return None if found is None else [example.to_dict() for example in found]
