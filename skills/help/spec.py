"""What the help skill is: greetings, thanks, "what can you do", and the answer when no other skill fits."""

from __future__ import annotations

from skills.registry import SkillSpec

SPEC = SkillSpec(
    name="help",
    description="greets you, explains what the bot can do, and says so when no skill fits",
    routing_examples=(
        "hi",
        "hello there",
        "good morning!",
        "thanks a lot",
        "thank you, that was helpful",
        "what can you do?",
        "help",
        "who are you?",
        "how does this work?",
        "bye",
        "tell me a joke",
        "what's the weather tomorrow?",
        "write me a poem",
        "can you summarise this?",
        "translate this into Spanish",
        "write some code for me",
        "what time is it?",
    ),
    offer="something else",
    reads="message",
    default_request="what can you do",
)
