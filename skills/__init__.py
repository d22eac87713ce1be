"""The skills, listed in one place. Adding a skill is one new module and one line in `ADAPTER_SKILLS`.

`build_skills` loads each adapter skill's bundle onto the shared encoder; later versions are swapped in by
`chatbot/adapters.py` (the registry's current version). Skills never load models themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from skills.base import Passage, Skill, SkillRequest, SkillResult
from skills.encoder import SharedEncoder
from skills.help import HelpSkill
from skills.ner import NerSkill
from skills.qa import QASkill
from skills.sentiment import SentimentSkill

ADAPTER_SKILLS = (NerSkill, SentimentSkill, QASkill)

__all__ = ["ADAPTER_SKILLS", "Passage", "Skill", "SkillRequest", "SkillResult", "build_skills"]


def build_skills(encoder: SharedEncoder, adapter_folders: Mapping[str, Path]) -> dict[str, Skill]:
    """Load each adapter skill's bundle (`adapter_folders[name]`) onto the shared encoder; help comes last."""
    skills: dict[str, Skill] = {}
    for skill_class in ADAPTER_SKILLS:
        if skill_class.name in skills:
            raise ValueError(f"two skills are named {skill_class.name!r}")
        encoder.load_adapter(skill_class.name, adapter_folders[skill_class.name])
        skills[skill_class.name] = skill_class(encoder)
    skills["help"] = HelpSkill({name: skill.description for name, skill in skills.items()})
    return skills
