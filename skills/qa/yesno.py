"""Yes/no questions answered "Yes – <evidence sentence>" or "No – <evidence sentence>" by transparent rules (pure).

An extractive reader cannot say yes or no; asked "can I bring my dog?" it returns a span ("Pets are not allowed" at
best, a clock time at worst). Here the reader still finds the evidence — its best span for the question — and the
yes/no is read off the clause that holds that span, by rules a user can check in the explanation:

1. A question is yes/no when its first word (after fillers such as "so", "and", "hi") is an auxiliary or modal verb
   ("is", "are", "can", "do", "does", "need", ... and casual "r"), it holds no "or" (an alternative question: "is it
   on monday or tuesday?") and no wh-word among its first five words (an indirect question: "do you know when ...").
2. The evidence is the sentence holding the span (a list item or table row counts as a sentence), and the deciding
   clause is the part of it around the span, cut at ";", dashes and contrast words ("but", "however", "although").
3. A negation in that clause ("not", "no", "never", "cannot", "n't", "without", "only", "prohibited", ...; NEGATIONS)
   answers no — unless the question carries a negation of its own ("can I come without booking?"), which flips it.
   A negated auxiliary opening the question ("isn't parking included?") does not flip: it is answered like the plain
   question. A clause without negation that repeats a content word of the question answers yes.
4. Otherwise the rules cannot decide, and the answer says so and shows the evidence sentence.

Negation cues follow the lexical cues of negation-scope work (Morante & Daelemans 2009, "A metalearning approach to
processing the scope of negation"), reduced to a word list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from skills.qa.phrases import clean_answer, trim_edges, wordset

AUXILIARIES = wordset(
    """
    is are am was were be do does did can could may might must shall should will would have has had need needs
    isn't aren't wasn't weren't don't doesn't didn't can't cannot couldn't mayn't mightn't mustn't shan't
    shouldn't won't wouldn't haven't hasn't hadn't needn't r
    """
)
FILLERS = wordset("and so but also ok okay hi hey hello please sorry um oh then just btw quick question")
WH_WORDS = wordset("what when where who whom whose which why how")
NEGATIONS = wordset(
    """
    not no never cannot none nothing nobody nowhere neither nor without only prohibited forbidden banned
    """
)
# Words that carry no content when checking that a clause speaks about what was asked (and that a question names
# something at all): articles, pronouns, auxiliaries, prepositions, question words and common fillers.
STOP_WORDS = (
    wordset(
        """
    a an the this that these those it its it's i me my we us our you your he him his she her they them their
    there here to of in on at by for with from into onto about as up down out off over under again than then too
    before after during until till since between through within around near per
    very so and or but if while also any some all each every more most other such own same just now ever yet
    get got go going want like know tell say please thanks hi hey hello ok okay um oh
    """
    )
    | AUXILIARIES
    | WH_WORDS
    | FILLERS
)
QUESTION_REACH = 5  # a wh-word this early makes an auxiliary-first question indirect ("do you know when ...")

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_SENTENCE_BREAK = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)|\n[ \t]*\n|\n(?=[ \t]*(?:[-*+•][ \t]|\d+[.)][ \t]|#|\||>))")
_NOT_AN_END = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|St|e\.g|i\.e|approx|incl|No|vs)\.$")
_CLAUSE_BREAK = re.compile(r";|\s[–—]\s|,?\s+(?:but|however|although|though|whereas)\b", re.IGNORECASE)


@dataclass(frozen=True)
class YesNo:
    answer: str | None  # "yes", "no", or None where the rules cannot decide
    sentence: tuple[int, int]  # the evidence sentence's offsets in the passage
    clause: tuple[int, int]  # the clause that decided (offsets)
    negations: tuple[str, ...]  # negation words found in the clause
    question_negations: tuple[str, ...]  # negation words of the question itself (they flip the answer)
    shared: tuple[str, ...]  # the question's content words the clause repeats
    reason: str  # the rule that decided, in words


def words(text: str) -> list[str]:
    """Lowercase words, apostrophes kept inside them ("can't", "dog's")."""
    return _WORD.findall(text.lower().replace("’", "'"))


def content_words(text: str) -> list[str]:
    """The words of `text` that are about something (not in STOP_WORDS, not a bare negation)."""
    return [w for w in words(text) if w not in STOP_WORDS and w not in NEGATIONS]


def _question_words(question: str) -> list[str]:
    found = words(question)
    while found and found[0] in FILLERS:
        found = found[1:]
    return found


def is_yes_no_question(question: str) -> bool:
    """Rule 1 of the module docstring: auxiliary first, no "or", no early wh-word."""
    found = _question_words(question)
    if not found or found[0] not in AUXILIARIES:
        return False
    return "or" not in found and not any(w in WH_WORDS for w in found[1:QUESTION_REACH])


def negation_words(tokens: list[str]) -> tuple[str, ...]:
    """The negation cues among `tokens`, in order: NEGATIONS and every "...n't"."""
    return tuple(t for t in tokens if t in NEGATIONS or t.endswith("n't"))


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence of `text` holding `text[start:end]`: cut at sentence-final punctuation (not after "Dr." and the
    like), paragraph breaks and the start of a list item, heading or table row."""
    first, last = 0, len(text)
    for match in _SENTENCE_BREAK.finditer(text):
        punctuation = not match.group(0).startswith("\n")
        if punctuation and _NOT_AN_END.search(text, 0, match.end()):
            continue
        cut = match.end() if punctuation else match.start()
        if match.end() <= start:
            first = match.end()
        elif cut >= end:
            last = cut
            break
    return trim_edges(text, first, last)[0], _rstrip(text, first, last)


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t\n|":
        end -= 1
    return end


def clause_bounds(text: str, sentence: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    """The part of the sentence around the span, cut at ";", dashes and contrast words (rule 2)."""
    first, last = sentence
    for match in _CLAUSE_BREAK.finditer(text, *sentence):
        if match.end() <= start:
            first = match.end()
        elif match.start() >= end:
            last = match.start()
            break
    return first, last


def clauses(text: str, sentence: tuple[int, int]) -> list[tuple[int, int]]:
    """The sentence cut into its clauses (rule 2's cuts), in order."""
    cuts = [(m.start(), m.end()) for m in _CLAUSE_BREAK.finditer(text, *sentence)]
    starts = [sentence[0]] + [end for _, end in cuts]
    ends = [start for start, _ in cuts] + [sentence[1]]
    return list(zip(starts, ends, strict=True))


def decide(question: str, passage: str, start: int, end: int) -> YesNo:
    """The yes/no answer to `question` from the reader's span `passage[start:end]` (rules 2-4). Where the clause
    holding the span has neither a negation nor a word of the question ("…, but seats must be booked" for "is the
    coach free?"), the clause of the sentence that repeats most of the question's words decides instead."""
    sentence = sentence_bounds(passage, start, end)
    asked = _question_words(question)
    own = negation_words(asked[1:])  # a negated auxiliary opening the question does not flip the answer
    asked_content = content_words(" ".join(asked[1:]))
    clause = clause_bounds(passage, sentence, max(start, sentence[0]), min(end, sentence[1]))
    clause_tokens = words(passage[clause[0] : clause[1]])
    if not negation_words(clause_tokens) and not shared_words(asked_content, clause_tokens):
        best = max(
            clauses(passage, sentence), key=lambda c: len(shared_words(asked_content, words(passage[slice(*c)])))
        )
        clause, clause_tokens = best, words(passage[slice(*best)])
    negations = negation_words(clause_tokens)
    shared = shared_words(asked_content, clause_tokens)
    quoted = f"“{clean_answer(passage[clause[0] : clause[1]])}”"
    flips = f", and your question says “{', '.join(own)}”" if own else ""
    if negations:
        answer = "yes" if own else "no"
        reason = f"decided by {quoted}: it says “{', '.join(negations)}”{flips}"
    elif shared:
        answer = "no" if own else "yes"
        reason = f"decided by {quoted}: no negation, and it speaks of “{', '.join(shared)}” as you asked{flips}"
    else:
        answer = None
        reason = f"undecided: {quoted} has no negation and none of your question's words"
    return YesNo(answer, sentence, clause, negations, own, shared, reason)


def shared_words(asked: list[str], clause_tokens: list[str]) -> tuple[str, ...]:
    """The asked words the clause repeats, counting a shared stem of four letters or more ("pets"/"pet",
    "charged"/"charge", "parking"/"park") as a repeat."""
    found = []
    for word in asked:
        for token in clause_tokens:
            stem = min(len(word), len(token))
            if word == token or (stem >= 4 and word[:stem] == token[:stem] and abs(len(word) - len(token)) <= 3):
                found.append(word)
                break
    return tuple(dict.fromkeys(found))


def yes_no_text(result: YesNo, passage: str) -> str:
    """The answer shown: "Yes – <evidence sentence>", "No – ...", or the evidence with the rules' doubt."""
    sentence = clean_answer(passage[result.sentence[0] : result.sentence[1]])
    if result.answer is None:
        return f"I can't tell yes or no from the document; it says: {sentence}"
    return f"{result.answer.capitalize()} – {sentence}"
