"""Yes/no questions answered "Yes – <evidence sentence>" or "No – <evidence sentence>" by transparent rules (pure).

An extractive reader cannot say yes or no; asked "can I bring my dog?" it returns a span ("Pets are not allowed" at
best, a clock time at worst). Here the evidence is a sentence, and the yes/no is read off its clause by rules a user
can check in the explanation:

1. A question is yes/no when its first word (after fillers such as "so", "and", "hi") is an auxiliary or modal verb
   ("is", "are", "can", "do", "does", "need", ... and casual "r"), it holds no "or" (an alternative question: "is it
   on monday or tuesday?") and no wh-word among its first five words (an indirect question: "do you know when ...").
2. The evidence is the sentence of the passages read most similar to the question (the skill's sentence embeddings'
   cosine, plus EVIDENCE_OVERLAP_WEIGHT per content word of the question it repeats), among those that repeat one
   (`evidence_candidates`); a list item or table row counts as a sentence. The span reader, trained on wh-questions,
   picks the evidence only where no similarity is given (`decide`). The deciding clause is the part of the sentence
   that repeats most of the question, cut at ";", dashes and contrast words ("but", "however", "although").
3. A negation in that clause ("not", "no", "never", "cannot", "n't", "without", "only", "prohibited", ...; NEGATIONS),
   or a word that denies what was asked (CONTRARIES: "free" for "charged extra?", a price for "free?", "closed" for
   "open?"), answers no — unless the question carries a negation of its own ("can I come without booking?"), which
   flips it. A negated auxiliary opening the question ("isn't parking included?") does not flip: it is answered like
   the plain question. A clause without negation that repeats a content word of the question answers yes.
4. Otherwise the rules cannot decide, and the answer says so and shows the evidence sentence.

Negation cues follow the lexical cues of negation-scope work (Morante & Daelemans 2009, "A metalearning approach to
processing the scope of negation"), reduced to a word list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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
# Words that deny what a question asks without being a negation, as (words asked, words that deny them): "Is
# medication charged extra?" – "Medication is given free of charge"; "is it open on sunday?" – "closed on Sundays".
# A question about "free" is also denied by a price (_PRICE) in a clause that does not say "free".
FREE = wordset("free included")
CONTRARIES = (
    (wordset("charge charged charges extra pay paid cost costs fee fees"), FREE),
    (FREE, wordset("extra charged costs cost pay")),
    (wordset("open opens"), wordset("closed shut")),
    (wordset("closed shut closes"), wordset("open")),
)
_PRICE = re.compile(r"[£€$]\s?\d[\d.,]*|\b\d[\d.,]*\s?(?:p|pence|pounds?|euros?|dollars?)\b", re.IGNORECASE)
# 0.1 a word: chosen on the dev set (bench/data/kb_dev) with the similarity, a cosine, as the main term: it breaks ties
# between sentences about as similar, in favour of the one that names what was asked.
EVIDENCE_OVERLAP_WEIGHT = 0.1
QUESTION_REACH = 5  # a wh-word this early makes an auxiliary-first question indirect ("do you know when ...")

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
# Sentence ends: final punctuation, a paragraph break, a new list item, heading or table row, and a title in capitals
# on a line of its own ("WHAT TO PACK" in a letter), which is no part of the sentences around it.
_TITLE = r"(?=[^\na-z]{3,}\n)[^\na-z]*[A-Z][^\na-z]*(?=\n)"  # a line in capitals (and at least one letter)
_SENTENCE_BREAK = re.compile(
    r"[.!?…]+[\"'”’)\]]*(?=\s|$)|\n[ \t]*\n|\n(?=[ \t]*(?:[-*+•][ \t]|\d+[.)][ \t]|#|\||>))"
    rf"|\n(?={_TITLE})|(?m:^){_TITLE}"
)
_NOT_AN_END = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|St|e\.g|i\.e|approx|incl|No|vs)\.$")
_TABLE_RULE = re.compile(r"[ \t]*\|?[ \t]*:?-{3,}")  # the line under a table's header row
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
    contraries: tuple[str, ...] = ()  # words of the clause that deny what was asked without a negation (CONTRARIES)


@dataclass(frozen=True)
class Evidence:
    """A sentence a yes/no answer may rest on, and how well it answers the question (`evidence_score`)."""

    passage: int  # index of its passage
    sentence: tuple[int, int]  # offsets in the passage
    score: float


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


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Every sentence of `text`, cut as `sentence_bounds` cuts them, in order; none without a letter or digit."""
    spans, first = [], 0
    for match in _SENTENCE_BREAK.finditer(text):
        punctuation = not match.group(0).startswith("\n")
        if punctuation and _NOT_AN_END.search(text, 0, match.end()):
            continue
        spans.append((first, match.end() if punctuation else match.start()))
        first = match.end()
    spans.append((first, len(text)))
    trimmed = [(trim_edges(text, a, b)[0], _rstrip(text, a, b)) for a, b in spans]
    return [(a, b) for a, b in trimmed if any(ch.isalnum() for ch in text[a:b])]


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
    """The yes/no answer to `question` from the reader's span `passage[start:end]` (rules 2-4), where no evidence
    sentence was chosen by similarity (`decide_sentence`). Where the clause holding the span has neither a negation
    nor a word of the question ("…, but seats must be booked" for "is the coach free?"), the clause of the sentence
    that repeats most of the question's words decides instead."""
    sentence = sentence_bounds(passage, start, end)
    asked = _question_words(question)
    clause = clause_bounds(passage, sentence, max(start, sentence[0]), min(end, sentence[1]))
    clause_tokens = words(passage[clause[0] : clause[1]])
    if not negation_words(clause_tokens) and not shared_words(asked_words(question), clause_tokens):
        clause = _best_clause(passage, sentence, asked_words(question))
    return _verdict(asked, passage, sentence, clause)


def decide_sentence(question: str, passage: str, sentence: tuple[int, int]) -> YesNo:
    """The yes/no answer to `question` from an evidence sentence (`evidence_candidates`): its clause that repeats
    most of the question's words decides, a negated one first where two repeat as many (rules 2-4)."""
    asked = _question_words(question)
    return _verdict(asked, passage, sentence, _best_clause(passage, sentence, asked_words(question)))


def asked_words(question: str) -> list[str]:
    """The content words of a yes/no question after its opening auxiliary: what its evidence must speak of."""
    return content_words(" ".join(_question_words(question)[1:]))


def evidence_candidates(question: str, texts: Sequence[str]) -> list[tuple[int, tuple[int, int]]]:
    """(passage, sentence offsets) of the sentences a yes/no answer may rest on: those that repeat a content word of
    the question, or every sentence where none does. The caller ranks them by similarity (`evidence_score`)."""
    asked = asked_words(question)
    every = [(n, s) for n, text in enumerate(texts) for s in sentence_spans(text) if not _is_title(text, s)]
    speaking = [(n, s) for n, s in every if shared_words(asked, words(texts[n][slice(*s)]))]
    return speaking or every


def _is_title(text: str, sentence: tuple[int, int]) -> bool:
    """A heading, a title in capitals or a table's header row: it names a topic and says nothing about it."""
    line_start = text.rfind("\n", 0, sentence[0]) + 1
    following = text[sentence[1] :].split("\n", 2)
    next_line = following[1] if len(following) > 1 else ""
    return (
        text[line_start : sentence[0]].lstrip().startswith("#")
        or not any(ch.islower() for ch in text[slice(*sentence)])
        or bool(_TABLE_RULE.match(next_line))
    )


def evidence_score(question: str, sentence: str, similarity: float) -> float:
    """How well a sentence answers a yes/no question: its cosine similarity to the question plus
    EVIDENCE_OVERLAP_WEIGHT per content word of the question it repeats."""
    return similarity + EVIDENCE_OVERLAP_WEIGHT * len(shared_words(asked_words(question), words(sentence)))


def _best_clause(passage: str, sentence: tuple[int, int], asked: list[str]) -> tuple[int, int]:
    def score(clause: tuple[int, int]) -> tuple[int, bool]:
        tokens = words(passage[slice(*clause)])
        return len(shared_words(asked, tokens)), bool(negation_words(tokens))

    return max(clauses(passage, sentence), key=score)


def contrary_words(asked: list[str], clause: str) -> tuple[str, ...]:
    """Words of the clause that deny what the question asks without a negation (CONTRARIES): "free" for "charged
    extra?", a price for "free?", "closed" for "open?". None where the clause also says the question's own word."""
    tokens = words(clause)
    found: list[str] = []
    for asking, denying in CONTRARIES:
        own = [w for w in asked if w in asking]
        if own and not any(w in tokens for w in own):
            found += [t for t in tokens if t in denying]
    if any(w in FREE for w in asked) and not any(t in FREE for t in tokens):
        found += _PRICE.findall(clause)
    return tuple(dict.fromkeys(found))


def _verdict(asked: list[str], passage: str, sentence: tuple[int, int], clause: tuple[int, int]) -> YesNo:
    own = negation_words(asked[1:])  # a negated auxiliary opening the question does not flip the answer
    asked_content = content_words(" ".join(asked[1:]))
    clause_text = passage[clause[0] : clause[1]]
    clause_tokens = words(clause_text)
    negations = negation_words(clause_tokens)
    shared = shared_words(asked_content, clause_tokens)
    contrary = contrary_words(asked[1:], clause_text) if shared else ()
    quoted = f"“{clean_answer(clause_text)}”"
    flips = f", and your question says “{', '.join(own)}”" if own else ""
    if negations or contrary:
        answer = "yes" if own else "no"
        said = ", ".join(negations or contrary)
        reason = f"decided by {quoted}: it says “{said}”{' against what you asked' if contrary else ''}{flips}"
    elif shared:
        answer = "no" if own else "yes"
        reason = f"decided by {quoted}: no negation, and it speaks of “{', '.join(shared)}” as you asked{flips}"
    else:
        answer = None
        reason = f"undecided: {quoted} has no negation and none of your question's words"
    return YesNo(answer, sentence, clause, negations, own, shared, reason, contrary)


def shared_words(asked: list[str], clause_tokens: list[str]) -> tuple[str, ...]:
    """The asked words the clause repeats, counting a shared stem of four letters or more ("pets"/"pet",
    "charged"/"charge", "parking"/"park") and the plural of a shorter word ("cat"/"cats", "bus"/"buses") as a
    repeat."""
    found = []
    for word in asked:
        for token in clause_tokens:
            stem = min(len(word), len(token))
            same_stem = stem >= 4 and word[:stem] == token[:stem] and abs(len(word) - len(token)) <= 3
            plural = token in (word + "s", word + "es") or word in (token + "s", token + "es")
            if word == token or same_stem or plural:
                found.append(word)
                break
    return tuple(dict.fromkeys(found))


def yes_no_text(result: YesNo, passage: str) -> str:
    """The answer shown: "Yes – <evidence sentence>", "No – ...", or the evidence with the rules' doubt."""
    sentence = clean_answer(passage[result.sentence[0] : result.sentence[1]])
    if result.answer is None:
        return f"I can't tell yes or no from the document; it says: {sentence}"
    return f"{result.answer.capitalize()} – {sentence}"
