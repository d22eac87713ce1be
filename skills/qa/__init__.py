"""Extractive question answering (SQuAD-style spans). Importing this package loads no model (see `skills.registry`)."""

from skills.qa.spec import SPEC
from skills.registry import SkillDefinition

DEFINITION = SkillDefinition(SPEC, __name__)
