"""Pure functions that turn a `Reply` into what the chat shows: the answer, its "why", and highlights.

Everything that came from a user or a document is HTML-escaped here, so it is shown, never run.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from chatbot.assistant import REQUEST_MODEL, Reply
from chatbot.explanation import UNSURE_WORD, missing_examples_note, shows_confidence
from core.records import InputReading
from skills.markup import esc
from skills.registry import get_skill, skill_names


def _skill_render(skill: str) -> ModuleType | None:
    """The answering skill's own rendering (`skills/<name>/render.py`), or None for the generic one."""
    return get_skill(skill).render if skill in skill_names() else None


def answer_markdown(reply: Reply) -> str:
    """The answer bubble, as the answering skill shows it (NER also marks the entities in the analysed text)."""
    render = _skill_render(reply.skill)
    return render.answer_markdown(reply.text, reply.data) if render else reply.text


def input_lines(reading: InputReading | None) -> list[str]:
    """The text heard (words the recogniser was unsure of marked, with their times) or read (line by line, with
    each line's score), for a recording or a picture; nothing for typed text."""
    if reading is None or reading.modality == "text":
        return []
    if reading.modality == "audio":
        return [f"**Heard** ({reading.confidence:.0%} sure; unsure words underlined, with a ?): {heard_words(reading)}"]
    lines = "<br>".join(f"{esc(line['text'])} ({line['score']:.0%})" for line in reading.lines)
    return [f"**Read** from your picture ({reading.confidence:.0%} sure): {lines}"]


def heard_words(reading: InputReading) -> str:
    """The words heard, escaped, those the recogniser was unsure of underlined with a "?" (their probability and time
    on hover)."""
    return " ".join(
        f"<u title='{w['probability']:.0%} at {w['start']:.1f} s'>{esc(w['text'])}</u>?"
        if w["probability"] < UNSURE_WORD
        else esc(w["text"])
        for w in reading.words
    )


def rationale_title(reply: Reply) -> str:
    """The "why" message's title; a model's confidence only where a model answered (`shows_confidence`)."""
    sure = f" · confidence {reply.confidence:.0%}" if shows_confidence(reply.skill) else ""
    return f"Why this answer · {reply.skill}{sure}"


def rationale_markdown(reply: Reply) -> str:
    """The collapsible "why" message under every answer: plain sentences first, then the details a user can check,
    with a legend of the colours and numbers."""
    route = reply.rationale.route
    scores = ", ".join(f"{skill} {score:.0%}" for skill, score in sorted(route.scores.items(), key=lambda x: -x[1]))
    nearest = route.nearest_example
    lines = [
        esc(reply.rationale.summary),
        *input_lines(reply.rationale.input),
        f"**Skill:** {reply.skill} — {esc(route.reason)}.",
        f"**{'Skill probabilities' if route.read_by == 'request model' else 'Router scores'}:** {scores}.",
        *(
            request_lines(route.request)
            if route.read_by == "request model"
            else [f"**Closest routing example:** “{esc(nearest['text'])}” ({nearest['skill']})."]
        ),
    ]
    if shows_confidence(reply.skill):
        version = f" (adapter {reply.adapter_version})" if reply.adapter_version else ""
        lines.append(f"**Confidence:** {reply.confidence:.0%}{version}")
    lines += memory_lines(reply.rationale.skill.get("memory"))
    render = _skill_render(reply.skill)
    if render:
        lines += render.rationale_lines(reply.rationale.skill, reply.data)
    lines += similar_example_lines(reply.rationale.similar_examples, reply.rationale.examples_missing)
    legend = render.legend(reply.data) if render else ""
    scores_mean = (
        "skill probabilities are the request model's calibrated probabilities, its kinds of turn summed"
        if route.read_by == "request model"
        else "router scores are how well the message matches each skill's examples"
    )
    lines.append(f"*How to read this: {scores_mean}; {legend}.*" if legend else f"*How to read this: {scores_mean}.*")
    return "\n\n".join(line for line in lines if line)


def memory_lines(note: dict[str, Any] | None) -> list[str]:
    """Where a remembered correction answered instead of the model, and what the model said itself."""
    if not note:
        return []
    if note["match"] == "lexicon":
        why = f"names corrected before act as a lexicon: {esc(', '.join(note['names']))}"
    else:
        alike = "" if note["match"] == "same text" else f" (a similar text, similarity {note['similarity']:.0%})"
        why = f"{esc(note['said'])}: “{esc(note['corrected_text'])}”{alike}"
    model = esc(note["model_answer"]).replace("\n", " ")
    return [f"**From the correction memory:** {why}.", f"**The model alone answered:** {model}"]


SPAN_NAMES = {"TEXT": "the text to analyse", "PASSAGE": "the passage", "QUESTION": "the question"}


def request_lines(reading: dict[str, Any] | None) -> list[str]:
    """What the request model read, when its reading decided the turn: the kind of turn, the spans and the training
    requests nearest to the message (or why there are none to show)."""
    if not reading:
        return []
    spans = [f"{SPAN_NAMES[k]} “{esc(v)}”" for k, v in reading["spans"].items() if k in SPAN_NAMES and v]
    line = f"**Read by the request model:** {reading['kind'].replace('_', ' ')} ({reading['probability']:.0%})"
    lines = [line + (f"; I read {', '.join(spans)}." if spans else ".")]
    nearest = reading.get("nearest_requests")
    if nearest is None:
        return [*lines, f"*{missing_examples_note(REQUEST_MODEL, shown='nearest training requests')}*"]
    shown = [f"“{esc(shorter(e['text']))}” ({e['label']}, similarity {e['score']:.2f})" for e in nearest]
    return [*lines, "**Closest training requests:** " + "; ".join(shown) + "."]


SHOWN_EXAMPLE_CHARS = 160


def shorter(text: str) -> str:
    """An example's text as shown: cut with "…" past SHOWN_EXAMPLE_CHARS."""
    return text if len(text) <= SHOWN_EXAMPLE_CHARS else text[: SHOWN_EXAMPLE_CHARS - 1].rstrip() + "…"


def similar_example_lines(examples: list[dict[str, Any]] | None, missing: str) -> list[str]:
    """The training (and accepted feedback) examples nearest to what the skill read, each with its gold label; for a
    model without an example index, where it is missing and how to build it (`missing`)."""
    if missing:
        return [f"*{missing}*"]
    if not examples:
        return []
    lines = ["**Similar examples the model learned from** (gold labels):"]
    for example in examples:
        text = example["text"]
        text = shorter(text)
        source = "users' feedback" if example["source"] == "feedback" else "training data"
        about = "≈" if example.get("approximate") else ""  # a compressed (PQ) index scores roughly
        label = example_label(example["label"])
        lines.append(f"- “{esc(text)}” → {label} (similarity {about}{example['score']:.2f}, {source})")
    return lines


def example_label(label: Any) -> str:
    """A gold label in words: sentiment "positive", NER "Paris (LOC), …", QA the answer and its article."""
    if isinstance(label, str):
        return f"**{esc(label)}**"
    if isinstance(label, list):
        return ", ".join(f"{esc(e['text'])} ({esc(e['type'])})" for e in label) or "no names"
    answer = f"answer “{esc(label.get('answer', ''))}”"
    title = label.get("title")
    return answer + (f" (article “{esc(title.replace('_', ' '))}”)" if title else "")


def highlights(reply: Reply) -> list[tuple[str, str | float | None]]:
    """Segments for `gr.HighlightedText`: entity types, attribution scores, or the QA answer span."""
    render = _skill_render(reply.skill)
    segments = render.highlights(reply.data, reply.rationale.skill) if render else None
    return segments if segments is not None else [(reply.text, None)]


Box = tuple[int, int, int, int]
LINE_LABEL = "text read"
DECIDING_WORD = 0.5  # a word whose attribution is at least half the largest is marked on the picture


def picture_marks(reply: Reply) -> list[tuple[Box, str]]:
    """Boxes for `gr.AnnotatedImage` over the picture a turn read: every line read, then the answer's highlights
    (entities, the answer in its evidence, the words that decided a sentiment) where they fall on it. The recogniser
    boxes whole lines, so a highlight's box is the part of its line's box in proportion to its characters."""
    reading = reply.rationale.input
    if reading is None or reading.modality != "image":
        return []
    marks: list[tuple[Box, str]] = [(_box(line["box"]), LINE_LABEL) for line in reading.lines]
    for start, end, label in segment_spans(reading.text, highlights(reply)):
        marks += [(box, label) for box in spans_on_lines(reading.lines, start, end)]
    return marks


def segment_spans(text: str, segments: list[tuple[str, Any]]) -> list[tuple[int, int, str]]:
    """The labelled highlight segments as character spans of `text` (the picture's lines joined by line breaks),
    where the segments' text is found in it (line breaks may show as spaces); a number labels a word by its sign
    when it is large enough (`DECIDING_WORD`)."""
    shown = "".join(piece for piece, _ in segments)
    at = text.replace("\n", " ").find(shown.replace("\n", " ")) if shown else -1
    if at < 0:
        return []
    spans = []
    for piece, label in segments:
        if isinstance(label, (int, float)) and abs(label) >= DECIDING_WORD:
            label = "pushes positive" if label > 0 else "pushes negative"
        if isinstance(label, str) and piece.strip():
            spans.append((at, at + len(piece), label))
        at += len(piece)
    return spans


def spans_on_lines(lines: tuple[dict[str, Any], ...], start: int, end: int) -> list[Box]:
    """The boxes of characters `start`..`end` of the lines' text (joined by line breaks): on each line it crosses,
    the share of the line's box its characters take."""
    boxes, offset = [], 0
    for line in lines:
        length = len(line["text"])
        first, last = max(start, offset), min(end, offset + length)
        if first < last:
            x0, y0, x1, y1 = line["box"]
            width = (x1 - x0) / max(length, 1)
            boxes.append((round(x0 + width * (first - offset)), y0, round(x0 + width * (last - offset)), y1))
        offset += length + 1  # the line break
    return boxes


def _box(box: list[int]) -> Box:
    x0, y0, x1, y1 = box
    return (x0, y0, x1, y1)
