"""Named-entity recognition (CoNLL-2003 types). Importing this package loads no model (see `skills.registry`)."""

from skills.ner.spec import SPEC
from skills.registry import SkillDefinition

DEFINITION = SkillDefinition(SPEC, __name__)
