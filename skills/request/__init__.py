"""The request model: which skill a message is for, what kind of turn it is, and which spans are the instruction, the
text, the passage and the question. It serves no user itself (`SkillSpec.serves` is False): the planner asks it.
Importing this package loads no model (see `skills.registry`)."""

from skills.registry import SkillDefinition
from skills.request.spec import SPEC

DEFINITION = SkillDefinition(SPEC, __name__)
