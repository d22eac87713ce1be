"""What the help skill is: greetings, thanks, questions about the bot itself (answered from its documentation in
`skills/help/docs/`), and the answer when no other skill fits."""

from __future__ import annotations

from skills.registry import SkillSpec

SPEC = SkillSpec(
    name="help",
    description="greets you, answers questions about the bot from its documentation, and says so when no skill fits",
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
        "what is sentiment analysis?",
        "what does the ner skill find?",
        "how do I rate an answer?",
        "how do I correct a wrong answer?",
        "do you keep my messages?",
        "how do I add documents to the knowledge base?",
        "how do you choose a skill?",
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
