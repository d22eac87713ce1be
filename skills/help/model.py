"""Greetings, thanks, "what can you do", and a plain answer when no skill can serve the message."""

from __future__ import annotations

import re

from skills.base import SkillRequest, SkillResult
from skills.help.spec import SPEC
from skills.registry import registered

GREETING = re.compile(r"^\s*(hi|hello|hey|good (morning|afternoon|evening)|howdy|greetings)\b", re.I)
THANKS = re.compile(r"\b(thanks|thank you|cheers|thx|great job|nice one)\b", re.I)
FAREWELL = re.compile(r"^\s*(bye|goodbye|see you|good night)\b", re.I)
CAPABILITIES = re.compile(r"\b(what can you do|help|how do(es)? (this|it|you) work|who are you|what are you)\b", re.I)


class HelpSkill:
    spec = SPEC
    adapter_version = None

    def __init__(self, skill_descriptions: dict[str, str]) -> None:
        self.skill_descriptions = skill_descriptions

    def capabilities(self) -> str:
        lines = [f"- **{name}** — {text}" for name, text in self.skill_descriptions.items()]
        names = [f"`/{name}`" for name in (*self.skill_descriptions, self.spec.name)]
        commands = ", ".join(names[:-1]) + f" and {names[-1]}"
        return (
            "I can do these things, and I explain every answer (open “Why this answer”):\n"
            + "\n".join(lines)
            + "\n\nTry: `find the names in: Priya Nair joined Infosys in Pune`, "
            "`what's the sentiment of: the film was a delight`, or paste a passage and ask questions about it. "
            f"Commands {commands} choose a skill directly. "
            "Rate any answer with 👍/👎 and correct it in the Rate panel: that is how I learn."
        )

    def run(self, request: SkillRequest) -> SkillResult:
        text = request.text
        if GREETING.search(text) and not CAPABILITIES.search(text):
            kind, answer = "greeting", "Hello! " + self.capabilities()
        elif THANKS.search(text):
            kind, answer = "thanks", "You're welcome! Rating answers with 👍/👎 helps me get better."
        elif FAREWELL.search(text):
            kind, answer = "farewell", "Goodbye! Your ratings are saved."
        elif CAPABILITIES.search(text):
            kind, answer = "capabilities", self.capabilities()
        else:
            kind = "unsupported"
            answer = (
                "I can't help with that: I find names in text, judge sentiment, and answer questions from a "
                "passage or my knowledge base. " + self.capabilities()
            )
        return SkillResult(text=answer, confidence=1.0, data={"kind": kind}, rationale={"matched": kind})


def build(encoder: object = None) -> HelpSkill:
    """Help describes every other registered skill; it needs no encoder."""
    others = [d.spec for d in registered() if d.spec.reads != SPEC.reads]
    return HelpSkill({spec.name: spec.description for spec in others})
