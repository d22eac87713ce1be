"""The skills: one package each (`skills/<name>/`, see `skills/registry.py` for its parts), registered here once.

Adding a skill is one new package (and its adapter bundle in `adapters/<name>/`) plus its line in
`BUILTIN_SKILLS`; a skill defined elsewhere registers with `skills.registry.register_skill(definition)`.
`build_skills` loads each adapter skill's bundle onto the shared encoder; later versions are swapped in by
`chatbot/adapters.py` (the registry's current version). Skills never load models themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from skills import help, ner, qa, request, sentiment
from skills.registry import register_skill, registered

if TYPE_CHECKING:
    from skills.base import Skill
    from skills.encoder import SharedEncoder

# Registration order is the order of the help text, the router's scores and the retrain. The request model serves no
# user (the planner asks it); it is registered so that training, evaluation and the registry treat it like a skill.
BUILTIN_SKILLS = (ner.DEFINITION, sentiment.DEFINITION, qa.DEFINITION, help.DEFINITION, request.DEFINITION)
for _definition in BUILTIN_SKILLS:
    register_skill(_definition)


def build_skills(encoder: SharedEncoder, adapter_folders: Mapping[str, Path]) -> dict[str, Skill]:
    """Every registered skill, built on the shared encoder; each adapter skill's bundle (`adapter_folders[name]`) is
    loaded first. Rule-based skills come last, so help can describe the others."""
    skills: dict[str, Skill] = {}
    definitions = sorted(registered(), key=lambda d: not d.spec.has_adapter)
    for definition in definitions:
        if definition.spec.has_adapter:
            encoder.load_adapter(definition.name, adapter_folders[definition.name])
        skills[definition.name] = definition.model.build(encoder)
    return skills
