"""Binary sentiment (SST-2). Importing this package loads no model (see `skills.registry`)."""

from skills.registry import SkillDefinition
from skills.sentiment.spec import SPEC

DEFINITION = SkillDefinition(SPEC, __name__)
