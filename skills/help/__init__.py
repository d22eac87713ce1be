"""Help and small talk (rule-based, no adapter). Importing this package loads no model (see `skills.registry`)."""

from skills.help.spec import SPEC
from skills.registry import SkillDefinition

DEFINITION = SkillDefinition(SPEC, __name__)
