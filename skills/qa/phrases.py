"""Answers that read well: the reader's span widened to a whole phrase and shown without Markdown (pure functions).

An extractive reader (Devlin et al. 2019, section 4.2) scores a start and an end token; on everyday documents its
best span is often a fragment: "45" without "minutes", "12.50" without its "€", "14" without "Friday … March", or a
stretch that opens a bracket it never closes. SQuAD's guidelines ask annotators for the shortest span that still
answers the question (Rajpurkar et al. 2016, section 3) — a number with its unit is that span; a bare number is not.

The rules here move only the span's offsets, so the shown answer is always an exact slice of the user's document
(what the evidence marks and what feedback trains on); `clean_answer` then drops the Markdown markup (`**`, `__`,
backticks, heading hashes, list bullets, table pipes) and line breaks from the text shown in the chat.
Every rule is a small explicit list or pattern, documented where it is defined.
"""

from __future__ import annotations

import re


def wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of a written-out list."""
    return frozenset(text.split())


# Units a number keeps when the unit follows it (lowercase; a trailing period is part of "a.m." and "p.m."):
# time, clock, money, length, weight, volume, temperature, data and percent. Counted nouns ("12 items", "40 dogs")
# are left out on purpose: they are usually the question's own word, and the reader decides whether to include them.
UNITS = wordset(
    """
    second seconds sec secs minute minutes min mins hour hours hr hrs h day days week weeks fortnight fortnights
    month months year years night nights am pm a.m. p.m. o'clock
    pound pounds euro euros dollar dollars pence p cent cents quid
    mm cm m km metre metres meter meters mile miles inch inches ft feet yard yards
    mg g gram grams kg kilo kilos kilogram kilograms oz lb lbs stone
    ml cl l litre litres liter liters pint pints
    °c °f degrees bar w kw watts v volts gb mb tb kb mbps
    % percent
    """
)
CURRENCY_SYMBOLS = "£€$¥₹"
CURRENCY_CODES = frozenset({"EUR", "GBP", "USD", "CHF", "AUD", "CAD", "JPY"})
# The word right after a number: " minutes", "-minute", "%".
_UNIT_AFTER = re.compile(r"[ \u00a0-]?([A-Za-z°%][A-Za-z.'°]*)")

DIGIT_GROUPS = re.compile(r"(?<![\d.,])\d{3,}(?: \d{3,})+(?![\d.,]?\d)")  # a phone number written in groups

_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\.?"
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+\d{4}\b)?"
# A written date: [weekday[,]] day [of] month [year], or [weekday[,]] month day [, year] ("Friday 14 March",
# "Sat 6 Sept 2025", "March 14th, 2025"). Case-sensitive: "may" or "sun" in running text is no date.
DATE = re.compile(
    rf"\b(?:(?:{_WEEKDAY}),?\s+)?(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}(?!\w){_YEAR}"
    rf"|\b(?:(?:{_WEEKDAY}),?\s+)?{_MONTH}\s+{_DAY}\b{_YEAR}"
)
DATE_CONTEXT = 40  # characters either side of the span searched for a date that overlaps it

BRACKETS = {"(": ")", "[": "]", "{": "}", "“": "”", "‘": "’"}
BRACKET_SEARCH = 40  # how far (on the same line) an unclosed bracket's partner may be to be taken in

# Structure a span must not cross: a paragraph break, a table cell, or a new list item, heading or table row.
STRUCTURE = re.compile(r"\n[ \t]*\n|\||\n[ \t]*(?:[-*+•][ \t]|\d+[.)][ \t]|#|>)")
_EMPHASIS = re.compile(r"\*{1,3}|_{1,3}|`+")
_LINE_MARK = re.compile(r"(?m)^[ \t]*(?:#{1,6}[ \t]+|[-*+•][ \t]+|\d+[.)][ \t]+|>[ \t]*)")
_ABBREVIATION = re.compile(r"(?:\b[A-Za-z]\.){2,}$|\b(?:Dr|Mr|Mrs|Ms|St|etc|approx|incl|No|vs)\.$")
_JOINERS = "-'’"  # characters inside a word: "Jo-Anne", "O'Neill"
_EDGE_MARK = "*_`|#>~ \t\n"
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]|~]")
_LEADING_BULLET = re.compile(r"(?:[-+•]|\d+[.)])[ \t]+")


def crosses_structure(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` runs over a paragraph break, a table cell or a new list item/heading/table row:
    such a span joins two facts (a price and the next row's name) and is never an answer. A single line break inside a
    paragraph (a hard-wrapped letter) is no structure."""
    return STRUCTURE.search(text, start, end) is not None


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span that starts or ends inside a word (a sub-token boundary) to the whole word."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """`snap_to_words`, with words joined by a hyphen or an apostrophe counted as one ("Jo-Anne", "Wi-Fi",
    "45-minute", "O'Neill"): the span never starts or ends inside them."""
    start, end = snap_to_words(text, start, end)
    while start > 1 and text[start - 1] in _JOINERS and text[start - 2].isalnum() and text[start].isalnum():
        start = snap_to_words(text, start - 2, end)[0]
    while end < len(text) - 1 and text[end] in _JOINERS and text[end + 1].isalnum() and text[end - 1].isalnum():
        end = snap_to_words(text, start, end + 2)[1]
    return start, end


def trim_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets without the markup, list bullets, spaces and clause punctuation at either end: "**£25**," -> "£25".
    A final period stays where it ends an abbreviation ("8 a.m.")."""
    while start < end and (text[start] in _EDGE_MARK or text[start] in ",;:."):
        start += 1
    bullet = _LEADING_BULLET.match(text, start, end)
    if bullet and not text[text.rfind("\n", 0, start) + 1 : start].strip():  # a bullet only at a line's start
        start = bullet.end()
    while end > start and (text[end - 1] in _EDGE_MARK or text[end - 1] in ",;:"):
        end -= 1
    if end > start and text[end - 1] == "." and not _ABBREVIATION.search(text[start:end]):
        end -= 1
        while end > start and text[end - 1] in _EDGE_MARK:
            end -= 1
    return start, end


def balance(text: str, start: int, end: int) -> tuple[int, int]:
    """A span never opens a bracket or curly quote it does not close, nor closes one it did not open: the partner
    is taken in when it is near on the same line ("(ages 4–11)"), else the span stops before the stray mark."""
    stack: list[int] = []
    stray_closers: list[int] = []
    closers = {close: open_ for open_, close in BRACKETS.items()}
    for i in range(start, end):
        ch = text[i]
        if ch in BRACKETS:
            stack.append(i)
        elif ch in closers and ch == "’" and _apostrophe(text, i):
            continue
        elif ch in closers:
            if stack and text[stack[-1]] == closers[ch]:
                stack.pop()
            else:
                stray_closers.append(i)
    for i in reversed(stray_closers):
        opener = text.rfind(closers[text[i]], max(0, start - BRACKET_SEARCH), start)
        same_line = opener >= 0 and "\n" not in text[opener:start]
        start = opener if same_line else max(start, i + 1)
    for i in reversed(stack):
        if i < start:
            continue
        closer = text.find(BRACKETS[text[i]], end, end + BRACKET_SEARCH)
        if closer >= 0 and "\n" not in text[end:closer]:
            end = closer + 1
        elif i > start:  # the span stops before the stray opener
            end = min(end, i)
        else:  # the span opens with it: it starts after it
            start = i + 1
    return (start, end) if start < end else (start, start)


def _apostrophe(text: str, i: int) -> bool:
    """A right single quote between letters is an apostrophe ("don’t"), not a closing quote."""
    return 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()


def extend_number(text: str, start: int, end: int) -> tuple[int, int]:
    """A number keeps its currency ("12.50" -> "€12.50", "GBP 40"), the unit after it ("45" -> "45 minutes",
    "3:00" -> "3:00 pm", "45" -> "45-minute", "25" -> "25%"; see UNITS) and the other digit groups of a phone number
    written in groups ("960418" -> "01632 960418")."""
    start, end = _digit_groups(text, start, end)
    if end > start and text[end - 1].isdigit():
        after = _UNIT_AFTER.match(text, end)
        word = after.group(1) if after else ""
        for unit in (word, word.rstrip(".")):  # "a.m." is a unit; "pm." ends a sentence
            if unit and unit.lower() in UNITS:
                end = after.start(1) + len(unit)
                break
        else:
            if word.lower() == "per" and text.startswith(" cent", after.end(1)):
                end = after.end(1) + len(" cent")
    if start < end and text[start].isdigit():
        if start > 0 and text[start - 1] in CURRENCY_SYMBOLS:
            start -= 1
        elif start > 1 and text[start - 1] == " " and text[start - 2] in CURRENCY_SYMBOLS:
            start -= 2
        elif start > 4 and text[start - 1] == " " and text[start - 4 : start - 1] in CURRENCY_CODES:
            start -= 4
    return start, end


def _digit_groups(text: str, start: int, end: int) -> tuple[int, int]:
    """Groups of three or more digits one space apart ("020 7946 0733") are one number: the span takes them all."""
    for match in DIGIT_GROUPS.finditer(text, max(0, start - DATE_CONTEXT), min(len(text), end + DATE_CONTEXT)):
        if match.start() < end and match.end() > start:
            start, end = min(start, match.start()), max(end, match.end())
    return start, end


def extend_date(text: str, start: int, end: int) -> tuple[int, int]:
    """A date keeps its weekday, day and month where they are written together ("14" -> "Friday 14 March",
    "Friday" -> "Friday 14 March 2025"): the span grows to cover every written date (DATE) it overlaps."""
    low = max(0, start - DATE_CONTEXT)
    for match in DATE.finditer(text, low, min(len(text), end + DATE_CONTEXT)):
        if match.start() < end and match.end() > start:
            start, end = min(start, match.start()), max(end, match.end())
    return start, end


def whole_phrase(text: str, start: int, end: int) -> tuple[int, int]:
    """The reader's span as a whole phrase of `text`: whole words, balanced brackets, a number with its unit and
    currency, a date with its weekday, day and month, no markup or clause punctuation at its ends. Falls back to the
    span itself (trimmed) where a rule would leave nothing."""
    original = trim_edges(text, *whole_words(text, start, end))
    if original[0] >= original[1]:
        return whole_words(text, start, end)
    span = balance(text, *original)
    if span[0] >= span[1]:
        span = original
    span = trim_edges(text, *span)
    span = extend_date(text, *extend_number(text, *span))
    return trim_edges(text, *span)


def clean_answer(text: str) -> str:
    """The text shown for a span: no Markdown (emphasis, code ticks, heading hashes, list bullets, table pipes) and
    no line breaks. Emphasis marks between two letters or digits stay ("sea_gull_42" is a password, not italics)."""
    text = _LINE_MARK.sub("", text)
    text = _EMPHASIS.sub(lambda m: m.group(0) if _inside_word(m.string, m.start(), m.end()) else "", text)
    text = text.replace("|", " ")
    return " ".join(text.split())


def _inside_word(text: str, start: int, end: int) -> bool:
    return start > 0 and end < len(text) and text[start - 1].isalnum() and text[end].isalnum()


def escape_markdown(text: str) -> str:
    """`text` with Markdown's formatting characters backslash-escaped, so the chat shows it as typed."""
    return _MARKDOWN_SPECIAL.sub(r"\\\g<0>", text)
