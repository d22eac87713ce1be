"""The skills, listed in one place. Adding a skill is one new module and one line in `ADAPTER_SKILLS`.

`build_skills` is the one place that loads adapters: each adapter skill gets its bundle from
`adapters_dir/<name>` on the shared encoder; skills never load models themselves.
"""

from __future__ import annotations

from pathlib import Path

from skills.base import InputError, Passage, Skill, SkillRequest, SkillResult
from skills.encoder import SharedEncoder
from skills.help import HelpSkill
from skills.ner import NerSkill
from skills.qa import QASkill
from skills.sentiment import SentimentSkill

ADAPTER_SKILLS = (NerSkill, SentimentSkill, QASkill)

__all__ = ["InputError", "Passage", "Skill", "SkillRequest", "SkillResult", "build_skills"]


def build_skills(encoder: SharedEncoder, adapters_dir: Path) -> dict[str, Skill]:
    """Load each adapter skill's bundle onto the shared encoder; the help skill comes last."""
    skills: dict[str, Skill] = {}
    for skill_class in ADAPTER_SKILLS:
        if skill_class.name in skills:
            raise ValueError(f"two skills are named {skill_class.name!r}")
        encoder.load_adapter(skill_class.name, Path(adapters_dir) / skill_class.name)
        skills[skill_class.name] = skill_class(encoder)
    skills["help"] = HelpSkill({name: skill.description for name, skill in skills.items()})
    return skills
