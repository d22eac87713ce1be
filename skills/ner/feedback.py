"""NER feedback rules: a user's `Name=TYPE; Other=TYPE` correction, and stored answers and corrections as training
labels: entities `{"text", "type", "start", "end"}` (character offsets into the analysed text, sorted, each on word
boundaries, see `skills.ner.data.ner_bio`). A 👎 without a correction says only that the answer was wrong: it is a
negative record (no guessed label). Pure functions, no I/O."""

from __future__ import annotations

import re
from typing import Any

from core.errors import InputError, UnusableFeedback
from skills.ner.data import TaggedSentence, ner_bio
from skills.ner.spec import ENTITY_TYPES


def parse_entity_correction(correction: str, text: str) -> list[dict[str, Any]]:
    """`"Priya Nair=PER; Infosys=ORG"` -> entities with offsets of each name's first occurrence in `text`.

    A name is found as written first, then in any case ("Tim Cook=PER" corrects "tim cook"); the entity's text is the
    analysed text's own. An empty correction (or "none") means the text has no entities.
    """
    if correction.strip().lower() in ("", "none", "no entities"):
        return []
    entities = []
    for part in re.split(r"[;\n]", correction):
        if not part.strip():
            continue
        name, sep, kind = part.rpartition("=")
        name, kind = name.strip(), kind.strip().upper()
        if not sep or not name:
            raise InputError(f"write each entity as NAME=TYPE, separated by ';' (got {part.strip()!r})")
        if kind not in ENTITY_TYPES:
            raise InputError(f"entity type must be one of {', '.join(ENTITY_TYPES)} (got {kind!r})")
        match = _occurrence(name, text)
        if match is None:
            raise InputError(f"{name!r} does not occur in the analysed text")
        entities.append({"text": match.group(), "type": kind, "start": match.start(), "end": match.end()})
    return entities


def _occurrence(name: str, text: str) -> re.Match[str] | None:
    """The first whole-word occurrence of `name` ("Pune" in "Puneet lives in Pune" is the second one), as written
    and then in any case; else the first occurrence inside a word, likewise."""
    whole_word = rf"(?<!\w){re.escape(name)}(?!\w)"
    for pattern in (whole_word, re.escape(name)):
        for flags in (0, re.IGNORECASE):
            match = re.search(pattern, text, flags)
            if match:
                return match
    return None


def parse_correction(correction: str, inputs: dict[str, str | None], data: dict[str, Any]) -> dict[str, Any]:
    return {"entities": parse_entity_correction(correction, inputs["text"] or "")}


def output_label(data: dict[str, Any]) -> list[dict[str, Any]]:
    return _entities(data.get("entities") or [])


def gold_label(correction: dict[str, Any], inputs: dict[str, str | None]) -> list[dict[str, Any]]:
    return checked(_entities(correction.get("entities") or []), inputs)


def thumb_down_label(data: dict[str, Any], inputs: dict[str, str | None]) -> None:
    """A bare 👎 does not say which names are right: no label (a negative record)."""
    return None


def checked(label: list[dict[str, Any]], inputs: dict[str, str | None]) -> list[dict[str, Any]]:
    """`label` if its entities lie on word boundaries of the text; UnusableFeedback saying what is wrong otherwise."""
    text = inputs["text"] or ""
    for entity in label:
        start, end = entity["start"], entity["end"]
        if not 0 <= start < end <= len(text):
            raise UnusableFeedback(f"entity offsets {start!r}:{end!r} are outside the text")
        if entity["text"] is not None and text[start:end] != entity["text"]:
            raise UnusableFeedback(f"entity {entity['text']!r} is not at {start}:{end} in the text")
    try:
        ner_bio(text, label)
    except ValueError as error:
        raise UnusableFeedback(str(error)) from error
    return [{**entity, "text": text[entity["start"] : entity["end"]]} for entity in label]


def benchmark_example(text: str, label: list[dict[str, Any]], **_: Any) -> TaggedSentence:
    """A labelled feedback example as the benchmark reader gives one, so training treats both alike."""
    words, tags = ner_bio(text, label)
    return TaggedSentence(words, tags)


def shown_label(label: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The label as the example index shows it: the names and their types."""
    return [{"text": e["text"], "type": e["type"]} for e in label]


def _entities(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entities reduced to their label fields, sorted by position."""
    if not isinstance(raw, list) or not all(_is_entity(e) for e in raw):
        raise UnusableFeedback(
            f"entities must be a list of {{'type', 'start', 'end'}} with whole-number offsets: {raw!r}"
        )
    entities = [{"text": e.get("text"), "type": e["type"], "start": e["start"], "end": e["end"]} for e in raw]
    return sorted(entities, key=lambda e: (e["start"], e["end"]))


def _is_entity(entity: Any) -> bool:
    if not isinstance(entity, dict) or not {"type", "start", "end"} <= entity.keys():
        return False
    return all(isinstance(entity[k], int) and not isinstance(entity[k], bool) for k in ("start", "end"))
