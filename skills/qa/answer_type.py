"""The kind of answer a question expects, and whether a span is one (pure functions).

Open-domain QA systems have long checked a candidate against the question's expected answer type: "how much" wants
an amount of money, "what time" a clock time, "who" a name (Moldovan et al. 2000, "The Structure and Performance of
an Open-Domain Question Answering System", section 3; Harabagiu et al. 2000, FALCON). A small reader trained on
encyclopedia questions often picks a span of the wrong kind in an everyday document full of look-alike facts: "20
rooms" for "how much is a room?", "branch manager" for "who manages the library?". The reader adds a bonus to
candidates of the expected kind (`ReaderConfig.type_weight`, chosen on the dev set); it never forbids the others, so
a question the rules misread costs little.

Question rules are checked in order (the first that matches decides); each kind's test looks at the span widened
to a whole phrase. A yes/no question's "kind" is a span whose sentence speaks of what was asked (it repeats one of
the question's content words).
"""

from __future__ import annotations

import re

from skills.qa.phrases import DATE, DIGIT_GROUPS
from skills.qa.yesno import content_words, is_yes_no_question, sentence_bounds, shared_words, words

_NUMBER_WORD = r"(?:\d+(?:[.,]\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|half an?)"
QUESTION_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        ("percent", r"\bpercent|\bpercentage\b|\bper cent\b"),
        ("duration", r"\bhow long\b|\bhow much time\b|\bhow many (?:minutes|hours|days|weeks|months|years|nights)\b"),
        (
            "money",
            r"\bhow much\b|\bcosts?\b|\bprices?\b|\bfees?\b|\bfares?\b|\bcharged?\b|\bfines?\b|\bdeposit\b"
            r"|\bpay\b|\brates?\b",
        ),
        ("count", r"\bhow many\b|\bhow old\b|\bnumber\b|\bphone\b|\bcall\b|\bextension\b"),
        (
            "clock",
            r"\bwhat time\b|\bwhat hours?\b|\bopening hours\b|\bwhen (?:do|does|is|are|will|can|should)\b.*"
            r"\b(?:open|opens|close|closes|shut|shuts|start|starts|begin|begins|end|ends|finish|finishes|leave"
            r"|leaves|arrive|depart|return|go back|come back|pick up|drop off|collect|check in|check out)\b",
        ),
        ("date", r"\bwhat date\b|\bwhich (?:day|date)\b|\bwhat day\b|\bdeadline\b|\bby when\b|\bwhat year\b"),
        ("when", r"\bwhen\b"),
        ("name", r"\bwho\b|\bwhose\b|\bname of\b|\bwhat(?:'s| is) (?:the|her|his|their) name\b"),
        ("place", r"\bwhere\b|\baddress\b|\bwhich (?:room|floor|building|street|town|city|venue|hotel|station)\b"),
    )
)

_AMOUNT = r"\d[\d,]*(?:\.\d+)?"
# Each kind's written forms, matched in full (a span is shrunk to one of them, `typed_part`).
PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    "money": (
        re.compile(
            rf"[£€$¥₹]\s?{_AMOUNT}|\b{_AMOUNT}\s?(?:p|pence|pounds?|euros?|dollars?|cents?)\b|\b(?:GBP|EUR|USD)\s?{_AMOUNT}"
            r"|\bfree\b",
            re.IGNORECASE,
        ),
    ),
    "duration": (
        re.compile(
            rf"\b{_NUMBER_WORD}[\s-](?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|fortnights?|months?|years?"
            r"|nights?)\b",
            re.IGNORECASE,
        ),
    ),
    "clock": (
        re.compile(r"\b\d{1,2}(?:[:.]\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d{2}\b|\bnoon\b|\bmidnight\b", re.I),
    ),
    "date": (
        DATE,
        re.compile(
            r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)days?\b|\b(?:19|20)\d{2}\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"
        ),
    ),
    "percent": (re.compile(rf"{_AMOUNT}\s?%|\b{_AMOUNT}\s?per ?cent\b", re.IGNORECASE),),
}
PATTERNS["when"] = PATTERNS["date"] + PATTERNS["clock"]
# Forms a longer phrase is shrunk to (`typed_part`): each kind's patterns, and for a count a phone number written in
# groups ("call the 24-hour line on 0161 496 0999" asked "what number do I call?"); a count is matched by _COUNT.
PARTS = {**PATTERNS, "count": (DIGIT_GROUPS,)}
# A range of two forms ("10 pm to 7 am") and the words that ask for its start or its end.
_RANGE_JOIN = re.compile(r"\s*(?:to|till|until|–|—|-)\s*")
RANGE_START = frozenset({"start", "starts", "begin", "begins", "open", "opens"})
RANGE_END = frozenset({"end", "ends", "close", "closes", "shut", "shuts", "finish", "finishes", "until", "till"})
_COUNT = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|twenty)\b", re.I)
_CONNECTORS = frozenset({"of", "the", "and", "de", "van", "von", "la", "le", "du", "da", "&"})


def expected_type(question: str) -> str | None:
    """The kind of answer `question` asks for ("money", "duration", "count", "clock", "date", "when", "name",
    "place", "percent", "yesno"), or None where no rule says."""
    if is_yes_no_question(question):
        return "yesno"
    lowered = " ".join(words(question))
    for kind, pattern in QUESTION_RULES:
        if pattern.search(lowered):
            return kind
    return None


def is_title_case(phrase: str) -> bool:
    """Every word capitalised (connectors such as "of" and "the" aside) and no digits: "Dr Hannah Price", "Willow
    Cattery", not "branch manager"."""
    tokens = [t for t in re.findall(r"[^\W\d_][\w'’.-]*", phrase) if t.lower() not in _CONNECTORS]
    return bool(tokens) and not re.search(r"\d", phrase) and all(t[0].isupper() for t in tokens)


def matches(kind: str | None, question: str, text: str, start: int, end: int) -> bool:
    """Whether the phrase `text[start:end]` is of the kind the question expects."""
    phrase = text[start:end]
    if kind is None:
        return False
    if kind == "yesno":
        sentence = text[slice(*sentence_bounds(text, start, end))]
        return bool(shared_words(content_words(question), words(sentence)))
    if kind in PATTERNS:
        return any(pattern.search(phrase) for pattern in PATTERNS[kind])
    tests = {
        "count": lambda: bool(_COUNT.search(phrase)),
        "name": lambda: is_title_case(phrase),
        "place": lambda: is_title_case(phrase.split(",")[0]) or bool(re.search(r"\d.*,", phrase)),
    }
    return tests[kind]()


def typed_part(kind: str | None, text: str, start: int, end: int) -> tuple[int, int] | None:
    """The one written form of the expected kind inside a longer phrase ("Saturday 6 September at 2:30 pm" asked
    "what time": "2:30 pm"), as offsets; None where the phrase holds none or several (a range "4 pm – 6 pm" stays
    whole) or is that form already."""
    outer = _forms(kind, text, start, end)
    if len(outer) != 1 or outer[0] == (start, end):
        return None
    return outer[0]


def range_part(question: str, kind: str | None, text: str, start: int, end: int) -> tuple[int, int] | None:
    """One end of a range of the expected kind ("10 pm to 7 am", "9:00 am – 5:00 pm"): the first where the question
    asks when something starts or opens, the second where it asks when it ends or closes, or until when; None where
    the phrase is no such range or the question asks neither (or both)."""
    forms = _forms(kind, text, start, end)
    if len(forms) != 2 or not _RANGE_JOIN.fullmatch(text[forms[0][1] : forms[1][0]]):
        return None
    asked = set(words(question))
    starts, ends = bool(asked & RANGE_START), bool(asked & RANGE_END)
    if starts == ends:
        return None
    return forms[0] if starts else forms[1]


def _forms(kind: str | None, text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The written forms of `kind` in `text[start:end]` that no other one contains, in order."""
    found = {
        (start + m.start(), start + m.end())
        for pattern in PARTS.get(kind or "", ())
        for m in pattern.finditer(text[start:end])
    }
    return sorted(f for f in found if not any(o != f and o[0] <= f[0] and f[1] <= o[1] for o in found))
