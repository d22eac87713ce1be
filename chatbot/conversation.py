"""What a message says beyond its words: commands, pasted passages, instructions and follow-ups.

Pure functions over text, plus the small per-session state they consult (the previous skill, the text it worked
on, and the last pasted passage), so that "and who is in it?" and "now this one: ..." mean what users expect.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from core.errors import InputError
from skills.registry import get_skill, skill_names

PASSAGE_MIN_WORDS = 25  # a pasted text this long is kept for follow-up questions
INSTRUCTION_MAX_WORDS = 9
REFERENCE_MAX_WORDS = 9

_COMMAND = re.compile(r"^/(\w+)\b\s*(.*)$", re.S)
_CONTEXT_QUESTION = re.compile(
    r"^\s*(?:context|passage|text)\s*:\s*(?P<passage>.+?)\s*(?:question|q)\s*:\s*(?P<question>.+)$",
    re.S | re.I,
)
_READ_THIS = re.compile(r"^\s*(?:read this|given this|here is a text|here's a text)\s*:\s*(?P<rest>.+)$", re.S | re.I)
_REPEAT = re.compile(
    r"^\s*(?:and\s+)?(?:now\s+)?(?:this one|this|that one|the same for|same for|same with|what about|"
    r"another one|next one|next)\s*:\s*(?P<text>.+)$",
    re.S | re.I,
)
_REFERENCE = re.compile(
    r"\b(it|this|that|them|these|those|here|above|same text|the text|the passage|the review)\b", re.I
)
_QUESTION_WORD = re.compile(r"^\s*(who|whom|whose|what|when|where|which|why|how)\b", re.I)
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}


@dataclass
class ConversationState:
    """What one chat session remembers between turns."""

    last_skill: str | None = None
    last_text: str | None = None  # the text the previous NER/sentiment/QA turn worked on
    passage: str | None = None  # the last passage pasted in this conversation
    passage_turn: int = 0
    turns: int = 0
    previous_skill: str | None = None  # the skill that answered the previous turn, help included
    previous_message: str | None = None
    previous_source: str | None = None  # where the previous answer's passage came from ("kb:<document>", ...)
    picture: bool = False  # the earlier text and passage are the text read from a picture sent with this message
    passage_read: bool = False  # the passage is the text read from a picture (sent with this or an earlier message)

    @property
    def earlier_text(self) -> str:
        """How the reasons name the text a follow-up is about."""
        return "the text read from your picture" if self.picture else "the text of your previous message"

    def showing(self, text: str) -> ConversationState:
        """This state as the planner sees a message sent with a picture: the picture's text is the text and the
        passage the message is about, as if pasted just before it."""
        return replace(self, last_text=text, passage=text, passage_turn=self.turns, picture=True, passage_read=True)

    def record(
        self,
        skill: str,
        subject: str | None,
        passage: str | None,
        message: str | None = None,
        source: str | None = None,
        read: bool = False,
    ) -> None:
        """Remember one answered turn (`read`: its passage is the text read from a picture); help turns (the skill
        reading the whole message) do not change which skill "now this one" repeats."""
        self.turns += 1
        self.previous_skill, self.previous_message, self.previous_source = skill, message, source
        if passage:
            self.passage, self.passage_turn, self.passage_read = passage, self.turns, read
        if skill in skill_names() and get_skill(skill).spec.reads != "message":
            self.last_skill = skill
        if subject:
            self.last_text = subject

    @classmethod
    def replay(cls, turns: list[tuple]) -> ConversationState:
        """The state after `turns` (skill, subject, passage[, message, source, read]), oldest first: how a session
        resumes after a restart."""
        state = cls()
        for turn in turns:
            state.record(*turn)
        return state


def storable_text(text: str) -> str:
    """`text` without control or invisible characters (newlines and tabs stay), lone surrogates as "?", stripped."""
    # Lone surrogates (from broken clients) cannot be stored as UTF-8: replace them.
    text = text.encode("utf-8", "replace").decode("utf-8")
    return "".join(
        ch for ch in text if ch in "\n\t" or (unicodedata.category(ch) not in ("Cc", "Cs") and ch not in _INVISIBLE)
    ).strip()


def clean_message(message: object, max_chars: int) -> str:
    """The message as text without control or invisible characters; InputError if empty or too long."""
    if not isinstance(message, str):
        raise InputError("A message must be text.")
    kept = storable_text(message)
    if not kept:
        raise InputError("Your message is empty. Type some text, a question, or /help.")
    if len(kept) > max_chars:
        raise InputError(
            f"Your message has {len(kept):,} characters; the limit is {max_chars:,}. "
            "Send a shorter text, or add long documents to the knowledge base."
        )
    return kept


def parse_command(message: str) -> tuple[str | None, str]:
    """`/ner some text` -> ("ner", "some text"); no command -> (None, message)."""
    match = _COMMAND.match(message)
    if not match:
        return None, message
    name = match.group(1).lower()
    commands = skill_names()
    if name not in commands:
        listed = [f"/{command}" for command in commands]
        raise InputError(f"Unknown command /{name}. Try {', '.join(listed[:-1])} or {listed[-1]}.")
    return name, match.group(2).strip()


def split_passage_question(message: str) -> tuple[str, str] | None:
    """A passage and a question about it in one message, or None.

    Recognises "Context: ... Question: ...", "read this: PASSAGE QUESTION?", and a long text whose last
    sentence is a question.
    """
    match = _CONTEXT_QUESTION.match(message)
    if match:
        return match.group("passage").strip(), match.group("question").strip()
    read = _READ_THIS.match(message)
    text = read.group("rest").strip() if read else message
    if not text.endswith("?"):
        return None
    sentences = re.split(r"(?<=[.!?])\s+", text)
    if len(sentences) < 2:
        return None
    question = sentences[-1]
    passage = text[: len(text) - len(question)].strip()
    if read or len(passage.split()) >= PASSAGE_MIN_WORDS:
        return passage, question
    return None


def split_instruction(message: str) -> tuple[str | None, str]:
    """`find the names in: TEXT` -> ("find the names in", "TEXT"); otherwise (None, message)."""
    head, sep, tail = message.partition(":")
    if sep and tail.strip() and 0 < len(head.split()) <= INSTRUCTION_MAX_WORDS and "\n" not in head:
        return head.strip(), tail.strip()
    return None, message


def routing_text(message: str) -> str:
    """What the router reads: "what's the sentiment of: TEXT" is routed on its instruction, so names in TEXT do
    not pull it to NER; a passage with its question is routed whole."""
    if split_passage_question(message):
        return message
    instruction, _ = split_instruction(message)
    return instruction or message


def repeat_request(message: str) -> str | None:
    """The new text of "now this one: TEXT" / "what about: TEXT", or None."""
    match = _REPEAT.match(message)
    return match.group("text").strip() if match else None


def refers_to_earlier_text(message: str) -> bool:
    """A short message that points at earlier text ("and who is in it?") rather than bringing its own."""
    return len(message.split()) <= REFERENCE_MAX_WORDS and bool(_REFERENCE.search(message))


def is_question(text: str) -> bool:
    return text.rstrip().endswith("?") or bool(_QUESTION_WORD.match(text))


def looks_like_passage(text: str) -> bool:
    return len(text.split()) >= PASSAGE_MIN_WORDS and not text.rstrip().endswith("?")
