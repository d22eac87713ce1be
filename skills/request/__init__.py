"""The request model: which skill a message is for, what kind of turn it is, and which spans are the instruction, the
text, the passage and the question. Not a skill itself (it answers no one): the planner asks it."""
