"""A tiny fourth skill that lives only in the test suite: is a message urgent or routine? It proves that adding a
skill is one package: tests/skills/test_adding_a_skill.py registers it and nothing else in the project changes."""

from skills.registry import SkillDefinition
from tests.skills.urgency.spec import SPEC

DEFINITION = SkillDefinition(SPEC, __name__)
