"""Training requests for the request model, composed from hand-written phrasings and real payloads; labels come from
the composition.

Each skill's package holds its phrasings (`skills/<name>/requests.py`), found through the registry by the way the
skill reads (`SkillSpec.reads`): a skill that analyses a text has INSTRUCTIONS with a `{text}` slot, FOLLOWUPS on
the previous text and optionally BARE_SHARE (how many of its requests are the text alone, no request) with OPINIONS
(hand-written such texts; without them the bare texts are the benchmark's); the skill that answers questions
has PASSAGE_TEMPLATES, QUESTION_REWRITES, FOLLOWUP_PREFIXES, TERSE_QUESTIONS and QUESTIONS_ABOUT_A_TEXT (asked
about a text analysed before); the fallback has GREETINGS, THANKS, GOODBYES, ABOUT_THE_BOT, OUT_OF_SCOPE,
OUT_OF_SCOPE_WITH_TEXT and KEEP_TEMPLATES. The payloads come from the benchmark
corpora's *training* splits (each text skill's own texts, SQuAD paragraphs with their questions), chat corpora
(tweets, review sentences) and hand-written everyday documents with their questions, read by
`python -m training.request_data`. A message is built from segments (instruction, text,
passage, question, quotes, emoji), each noised on its own (lower case, no final "?", a swapped letter in an
instruction, all caps), so every character span stays exact. Dialogues chain turns (a passage then questions about
it, a skill then a follow-up on the same text or a question about it, knowledge-base chains, thanks and goodbyes)
and give each turn its conversation context. Pure functions: the same payloads and seed give the same requests.
"""

from __future__ import annotations

import random
import re
from dataclasses import asdict, dataclass, field
from types import ModuleType
from typing import Any

from skills.registry import fallback, get_skill, reading, registered
from skills.request.spec import KINDS, SPAN_LABELS

# The same skill again on a new text, whichever skill the previous turn used.
ANOTHER_TEXT = (
    "now this one: {text}",
    "and this one: {text}",
    "this one too: {text}",
    "same for this: {text}",
    "now do this one {text}",
    "next: {text}",
    "another: {text}",
    "and now {text}",
    "what about this one? {text}",
    "ok, this one: {text}",
    "try this: {text}",
    "{text}\n\nsame again pls",
    "do the same with: {text}",
    "one more: {text}",
    "how about: {text}",
)
# A pasted passage is often only its first few sentences (a notice, a message): passages of every length.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“‘(])")
QUOTES = (('"', '"'), ("'", "'"), ("“", "”"), ("«", "»"), ("`", "`"), ("‘", "’"))
EMOJI = ("🙂", "😅", "🙏", "👍", "🤔", "😊", "🔥", "😬", "!!", "pls", "thx")
# Emoji that belong to the text analysed ("loved every minute of it 😭❤️", "🔥🔥🔥 best concert of my life"): part of
# its span, unlike the EMOJI a request ends with. Most are outside the encoder's vocabulary (read as [UNK]).
FEELINGS = ("😭", "❤️", "😩", "🙄", "🥳", "🎂", "💯", "😒", "🙃", "😂", "😍", "😡", "✨", "💀", "🔥", "😊", "👏", "🤮")
TEXT_EMOJI_SHARE = 0.12
_SLOT = re.compile(r"\{(text|passage|question)\}")


@dataclass(frozen=True)
class Context:
    """What the request model knows of the conversation before this message."""

    previous_skill: str | None = None
    previous_message: str | None = None
    pending_passage: bool = False  # a passage was pasted (or a text analysed) earlier: questions may be about it
    pending_kb: bool = False  # the previous answer came from the knowledge base
    # The highest cosine of the message to any knowledge-base chunk (`KnowledgeBase.closest_cosine`); None while the
    # knowledge base is empty. Training requests get real scores (`training.request_data.knowledge_scores`).
    kb_score: float | None = None

    def describe(self) -> str:
        """The second segment the model reads beside the message."""
        score = "none" if self.kb_score is None else f"{self.kb_score:.1f}"
        previous = (self.previous_message or "")[:300]
        passage, knowledge = ("yes" if flag else "no" for flag in (self.pending_passage, self.pending_kb))
        return (
            f"previous skill {self.previous_skill or 'none'}; passage pending {passage}; knowledge answer pending "
            f"{knowledge}; knowledge match {score}; previous: {previous}"
        )


@dataclass(frozen=True)
class Span:
    label: str  # one of SPAN_LABELS
    start: int
    end: int


@dataclass(frozen=True)
class Request:
    """One training (or evaluation) request: the message, its context and what it means."""

    message: str
    context: Context
    skill: str
    kind: str
    spans: tuple[Span, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}")
        for span in self.spans:
            if span.label not in SPAN_LABELS or not 0 <= span.start < span.end <= len(self.message):
                raise ValueError(f"bad span {span} in {self.message!r}")

    def span_text(self, label: str) -> str | None:
        found = [s for s in self.spans if s.label == label]
        return self.message[found[0].start : found[0].end] if found else None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Request:
        spans = tuple(Span(**s) for s in raw.get("spans", ()))
        return cls(raw["message"], Context(**raw.get("context", {})), raw["skill"], raw["kind"], spans)


@dataclass(frozen=True)
class Payloads:
    """Real texts to put into the phrasings (training splits only)."""

    texts: dict[str, list[str]]  # per skill that analyses a text: texts of its kind (names: CoNLL; opinions: SST-2)
    paragraphs: list[tuple[str, list[str]]]  # a passage and the questions it answers (SQuAD)
    # Texts as people type them, per text skill (tweets, review sentences from packaged corpora): half the payloads
    # where a skill has them, so the model sees chat text as well as a benchmark's tokenised newswire or film phrases.
    chat_texts: dict[str, list[str]] = field(default_factory=dict)
    # Everyday documents (notices, emails, timetables) with the questions people ask about them, written by hand:
    # half the pasted passages.
    documents: list[tuple[str, list[str]]] = field(default_factory=list)
    # The user's knowledge base (everyday documents too, never encyclopedia articles): what knowledge-base questions
    # ask about and what a message's knowledge match is scored against. Kept apart from `documents`: a user rarely
    # pastes a document their knowledge base already holds, and a pasted one must not look like a close match.
    knowledge: list[tuple[str, list[str]]] = field(default_factory=list)

    def text(self, skill: str, rng: random.Random) -> str:
        chat = self.chat_texts.get(skill)
        return rng.choice(chat if chat and rng.random() < 0.5 else self.texts[skill])

    def any_text(self, rng: random.Random) -> str:
        return self.text(rng.choice(sorted(self.texts)), rng)

    def passage(self, rng: random.Random) -> tuple[str, list[str]]:
        """A passage with its questions: an everyday document or an encyclopedia paragraph, half and half; half the
        time only its first sentences (at least MIN_EXCERPT_WORDS words: what people paste is often short)."""
        passage, questions = rng.choice(self.documents if self.documents and rng.random() < 0.5 else self.paragraphs)
        return (excerpt(passage, rng) if rng.random() < 0.5 else passage), questions

    def document(self, rng: random.Random) -> tuple[str, list[str]]:
        """A knowledge-base document with its questions (an everyday document, or an encyclopedia paragraph where no
        documents are given)."""
        return rng.choice(self.knowledge or self.documents or self.paragraphs)


MIN_EXCERPT_WORDS = 15


def excerpt(passage: str, rng: random.Random) -> str:
    """The passage's first sentences, as many as give MIN_EXCERPT_WORDS words or more (drawn at random)."""
    sentences = SENTENCE_END.split(passage)
    enough = [n for n in range(1, len(sentences) + 1) if len(" ".join(sentences[:n]).split()) >= MIN_EXCERPT_WORDS]
    return " ".join(sentences[: rng.choice(enough[:3])]) if enough else passage


def text_skills() -> list[str]:
    """The skills that analyse a text and have phrasings."""
    return [d.name for d in registered() if d.spec.reads == "text" and d.has_part("requests")]


def phrasings(skill: str) -> ModuleType:
    return get_skill(skill).part("requests")


def qa_phrasings() -> ModuleType:
    return reading("question").part("requests")


def help_phrasings() -> ModuleType:
    return fallback().part("requests")


@dataclass
class Segments:
    """A message under construction: pieces of text, each with its span label (None: not part of a span)."""

    pieces: list[tuple[str, str | None]] = field(default_factory=list)

    def add(self, text: str, label: str | None) -> None:
        if text:
            self.pieces.append((text, label))

    def build(self) -> tuple[str, tuple[Span, ...]]:
        message, spans, cursor = "", [], 0
        for text, label in self.pieces:
            if label is not None:
                start = cursor + len(text) - len(text.lstrip())
                end = cursor + len(text.rstrip())
                if end > start:
                    spans.append(Span(label, start, end))
            message += text
            cursor += len(text)
        stripped = len(message) - len(message.lstrip())
        spans = [Span(s.label, s.start - stripped, s.end - stripped) for s in spans]
        return message.strip(), tuple(spans)


def noisy(text: str, rng: random.Random, instruction: bool) -> str:
    """How people type: lower case often, ALL CAPS rarely, a swapped letter now and then (instructions only)."""
    roll = rng.random()
    if roll < 0.35 and len(text.lower()) == len(text):
        text = text.lower()
    elif roll < 0.38 and len(text.upper()) == len(text):
        text = text.upper()
    if instruction and rng.random() < 0.12:
        letters = [i for i in range(len(text) - 1) if text[i].isalpha() and text[i + 1].isalpha()]
        if letters:
            i = rng.choice(letters)
            text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text


def compose(template: str, slots: dict[str, str], labels: dict[str, str], rng: random.Random) -> Segments:
    """The template with its `{slot}`s filled: template text is the instruction, slot text its label's span; a
    payload is sometimes quoted (the quotes are not part of the span)."""
    segments = Segments()
    cursor = 0
    for match in _SLOT.finditer(template):
        segments.add(noisy(template[cursor : match.start()], rng, instruction=True), "INSTRUCTION")
        value = slots[match.group(1)]
        quoted = match.group(1) != "question" and rng.random() < 0.25
        if quoted:
            opening, closing = rng.choice(QUOTES)
            segments.add(opening, None)
        cursor = match.end()
        if match.group(1) == "question":  # a "?" the template puts right after the question is the question's
            marks = len(template[cursor:]) - len(template[cursor:].lstrip("?"))
            value, cursor = value + template[cursor : cursor + marks], cursor + marks
        segments.add(value, labels[match.group(1)])
        if quoted:
            segments.add(closing, None)
    segments.add(noisy(template[cursor:], rng, instruction=True), "INSTRUCTION")
    if rng.random() < 0.08:
        segments.add(" " + rng.choice(EMOJI), None)
    return segments


def casual_question(question: str, rng: random.Random) -> str:
    """A benchmark question as people type it: often lower case, often without its "?"."""
    if rng.random() < 0.4:
        question = question.rstrip(" ?")
    return question.lower() if rng.random() < 0.4 else question


def typed_case(message: str, rng: random.Random) -> str:
    """The whole message, text and request alike, as some people type everything: all lower case now and then, ALL
    CAPS rarely ("WHO WROTE IT? THE ODYSSEY IS ..."); never where a case change would move the spans' offsets."""
    roll = rng.random()
    changed = message.upper() if roll < 0.03 else message.lower() if roll < 0.1 else message
    return changed if len(changed) == len(message) else message


def request(template: str, slots: dict[str, str], skill: str, kind: str, context: Context, rng) -> Request:
    labels = {"text": "TEXT", "passage": "PASSAGE", "question": "QUESTION"}
    message, spans = compose(template, slots, labels, rng).build()
    return Request(typed_case(message, rng), context, skill, kind, spans)


def analyse_text(skill: str, payloads: Payloads, context: Context, rng: random.Random) -> Request:
    """A request to analyse a text in the message (for a skill with a BARE_SHARE, sometimes the text alone)."""
    own = phrasings(skill)
    opinions = getattr(own, "OPINIONS", ())
    if rng.random() < getattr(own, "BARE_SHARE", 0.0):  # no request at all: the whole message is the text
        if opinions:
            bare = noisy(rng.choice(opinions) if rng.random() < 0.4 else payloads.text(skill, rng), rng, False)
        else:  # a factual sentence full of names: the benchmark's news, never chat (a bare tweet is an opinion)
            bare = noisy(rng.choice(payloads.texts[skill]), rng, False)
        if rng.random() < 0.15:
            bare = f"{bare} {rng.choice(EMOJI[:8])}"
        bare = with_feelings(bare, rng) if opinions else bare
        return Request(bare, context, skill, "new_text", (Span("TEXT", 0, len(bare)),))
    text = payloads.text(skill, rng)
    text = noisy(text, rng, instruction=False) if rng.random() < 0.3 else text
    text = with_feelings(text, rng) if opinions else text
    return request(rng.choice(own.INSTRUCTIONS), {"text": text}, skill, "new_text", context, rng)


def with_feelings(text: str, rng: random.Random) -> str:
    """An opinion, a share of the time with one to three FEELINGS emoji at its end (a quarter of those at its start)."""
    if rng.random() >= TEXT_EMOJI_SHARE:
        return text
    emoji = "".join(rng.choices(FEELINGS, k=rng.choice((1, 1, 2, 3))))
    return f"{emoji} {text}" if rng.random() < 0.25 else f"{text} {emoji}"


def another_text(skill: str, payloads: Payloads, context: Context, rng: random.Random) -> Request:
    """ "now this one: ..." after an analysed text: the same skill on a new text."""
    return request(rng.choice(ANOTHER_TEXT), {"text": payloads.text(skill, rng)}, skill, "new_text", context, rng)


def follow_up_text(skill: str, context: Context, rng: random.Random) -> Request:
    message, spans = compose(rng.choice(phrasings(skill).FOLLOWUPS), {}, {}, rng).build()
    return Request(message, context, skill, "followup_text", spans)


def passage_question(payloads: Payloads, context: Context, rng: random.Random) -> Request:
    passage, questions = payloads.passage(rng)
    question = casual_question(rng.choice(questions), rng)
    return request(
        rng.choice(qa_phrasings().PASSAGE_TEMPLATES),
        {"passage": passage, "question": question},
        reading("question").name,
        "passage_question",
        context,
        rng,
    )


def question_about(questions: list[str], kind: str, context: Context, rng: random.Random, follow_up: bool) -> Request:
    """A question about a pending passage or the knowledge base, asked casually (an elliptical one as a follow-up)."""
    own, skill = qa_phrasings(), reading("question").name
    if follow_up and rng.random() < 0.5:
        question = casual_question(rng.choice([*questions, *own.TERSE_QUESTIONS]), rng)
        if rng.random() < 0.5:  # "and in winter?": the opener is part of the question
            question = f"{rng.choice(own.ELLIPTICAL_OPENERS)} {question}"
            return request("{question}", {"question": question}, skill, kind, context, rng)
        opener = rng.choice(own.FOLLOWUP_PREFIXES)
        return request(f"{opener} {{question}}", {"question": question}, skill, kind, context, rng)
    question = casual_question(rng.choice(questions), rng)
    return request(rng.choice(own.QUESTION_REWRITES), {"question": question}, skill, kind, context, rng)


def document_questions(document: tuple[str, list[str]], rng: random.Random) -> list[str]:
    """What to ask a document: mostly its own questions, sometimes a keyword-style one (TERSE_QUESTIONS)."""
    return document[1] if rng.random() < 0.75 else list(qa_phrasings().TERSE_QUESTIONS)


def help_message(payloads: Payloads, context: Context, rng: random.Random) -> Request:
    """Greetings, thanks, goodbyes, questions about the bot and requests it cannot serve (some with a text)."""
    own, skill = help_phrasings(), fallback().name
    if rng.random() < 0.2:
        template = rng.choice(own.OUT_OF_SCOPE_WITH_TEXT)
        return request(template, {"text": payloads.any_text(rng)}, skill, "help", context, rng)
    pools = [own.GREETINGS, own.THANKS, own.GOODBYES, own.ABOUT_THE_BOT, own.ABOUT_THE_BOT]
    if not context.pending_passage:  # with a passage pending, "who won?" is a question about it
        pools += [own.OUT_OF_SCOPE, own.OUT_OF_SCOPE]
    message, _ = compose(rng.choice(rng.choice(pools)), {}, {}, rng).build()
    return Request(message, context, skill, "help", ())


def keep_passage(passage: str, context: Context, rng: random.Random) -> Request:
    template = rng.choice(help_phrasings().KEEP_TEMPLATES)
    return request(template, {"passage": passage}, fallback().name, "passage_keep", context, rng)


def single(payloads: Payloads, rng: random.Random) -> Request:
    """One request with an empty conversation."""
    analysing = text_skills()
    choice = rng.choices(
        [*analysing, "passage_question", "kb_question", "fallback", "passage_keep"],
        [22] * len(analysing) + [20, 14, 20, 9],
    )[0]
    empty = Context()
    if choice in analysing:
        made = analyse_text(choice, payloads, empty, rng)
    elif choice == "passage_question":
        made = passage_question(payloads, empty, rng)
    elif choice == "kb_question":
        made = question_about(document_questions(payloads.document(rng), rng), "kb_question", empty, rng, False)
    elif choice == "fallback":
        made = help_message(payloads, empty, rng)
    else:
        made = keep_passage(payloads.passage(rng)[0], empty, rng)
    return made


def dialogue(payloads: Payloads, rng: random.Random) -> list[Request]:
    """A short conversation; each turn carries the context the turns before it leave."""
    turns: list[Request] = []
    pending_passage: tuple[str, list[str]] | None = None
    analysed = False  # a text was analysed: it can be asked about, like a passage
    document = payloads.document(rng)  # the knowledge-base document this conversation asks about, if it does
    # A whole passage is found with its questions; an excerpt is not (keyword-style questions are asked about it).
    known = [*payloads.paragraphs, *payloads.documents]
    for _ in range(rng.randint(2, 5)):
        previous = turns[-1] if turns else None
        context = Context(
            previous_skill=previous.skill if previous else None,
            previous_message=previous.message if previous else None,
            pending_passage=pending_passage is not None or analysed,
            pending_kb=previous is not None and previous.kind == "kb_question",
        )
        made = next_turn(previous, pending_passage, document, payloads, context, rng)
        analysed = analysed or made.kind == "new_text"
        if made.kind == "passage_keep" or made.kind == "passage_question":
            passage = made.span_text("PASSAGE")
            pending_passage = next((p for p in known if p[0] == passage), (passage, []))
        turns.append(made)
    return turns


def next_turn(previous, pending_passage, document, payloads, context, rng) -> Request:
    """What a user sends next, given what came before (the shapes of conversation the issue lists)."""
    analysing = text_skills()
    if previous is None:
        first = rng.choices(["keep", "passage_question", "analyse", "kb", "fallback"], [3, 2, 4, 3, 1])[0]
        if first == "keep":
            return keep_passage(payloads.passage(rng)[0], context, rng)
        if first == "passage_question":
            return passage_question(payloads, context, rng)
        if first == "analyse":
            return analyse_text(rng.choice(analysing), payloads, context, rng)
        if first == "kb":
            return question_about(document_questions(document, rng), "kb_question", context, rng, follow_up=False)
        return help_message(payloads, context, rng)
    roll = rng.random()
    if pending_passage is not None and roll < 0.55:
        questions = pending_passage[1] or list(qa_phrasings().TERSE_QUESTIONS)
        return question_about(questions, "pending_passage_question", context, rng, follow_up=True)
    if previous.kind == "kb_question" and roll < 0.6:
        return question_about(document[1], "kb_question", context, rng, follow_up=True)
    if pending_passage is None and context.pending_passage and roll < 0.2:  # about the text analysed before
        questions = list(qa_phrasings().QUESTIONS_ABOUT_A_TEXT)
        return question_about(questions, "pending_passage_question", context, rng, follow_up=True)
    if previous.skill in analysing and roll < 0.3:  # the knowledge base, while an analysed text is still open
        return question_about(document_questions(document, rng), "kb_question", context, rng, follow_up=False)
    if previous.skill in analysing and roll < 0.5:
        return follow_up_text(rng.choice(analysing), context, rng)
    if previous.skill in analysing and roll < 0.62:
        return another_text(previous.skill, payloads, context, rng)
    if roll < 0.75:
        return help_message(payloads, context, rng)
    return analyse_text(rng.choice(analysing), payloads, context, rng)


def generate(payloads: Payloads, singles: int, dialogues: int, seed: int) -> list[Request]:
    """`singles` one-message requests and the turns of `dialogues` conversations, the same for the same seed."""
    rng = random.Random(seed)
    made = [single(payloads, rng) for _ in range(singles)]
    for _ in range(dialogues):
        made += dialogue(payloads, rng)
    return made
