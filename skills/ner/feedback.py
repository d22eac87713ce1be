"""NER feedback rules: a correction is an edit of the answer, and stored answers and corrections become training
labels: entities `{"text", "type", "start", "end"}` (character offsets into the analysed text, sorted, each on word
boundaries, see `skills.ner.data.ner_bio`).

A correction edits the names the model found (`CORRECTION_SYNTAX`): `Name=TYPE` changes a found name's type or adds
a missed one, `-Name` removes a found one; names are matched as written first, then in any case. What is stored is
what the user changed (`{"edits": [...], "removed": [...]}`); the label (`edited_entities`) is the answer with the
edits applied, each entity marked `"edit"`: "set" (the user's), "kept" (a prediction the user left alone) or
"removed" (the user said it is no name). Training reads the edited and removed spans as gold and every other word
at silver weight (`benchmark_example`), so a partial correction never says the names it left alone are no names.
Corrections stored before edits existed (`{"entities": [...]}`) are whole answers: every word gold.
A 👎 without a correction says only that the answer was wrong: it is a negative record (no guessed label).
Pure functions, no I/O."""

from __future__ import annotations

import re
from typing import Any

from core.errors import InputError, UnusableFeedback
from skills.ner.data import TaggedSentence, ner_bio
from skills.ner.spec import ENTITY_TYPES, TYPE_NAMES
from skills.words import word_spans

CORRECTION_SYNTAX = (
    "Name=TYPE changes a name's type or adds a missed one, -Name removes a name, ';' between edits "
    f"(types {', '.join(ENTITY_TYPES)}); 'none' if the text has no names"
)
NO_NAMES = ("none", "no entities", "no names")
EDITS = ("set", "kept", "removed")


def parse_entity_edits(correction: str, text: str, predicted: list[dict[str, Any]]) -> dict[str, Any]:
    """`"Lewandowski=PER; -Camp Nou"` -> `{"edits": [entities], "removed": [entities]}`: what the user changed in
    the answer `predicted` (entities of `text`). "none" -> `{"entities": []}`: the text has no names at all.

    An edit that repeats a found name with its type (as the Rate panel's draft lists them) changes nothing and is
    not stored. InputError, saying why, for a bad edit, a name not in the text (or, to remove, not among those
    found), edits that overlap, or edits that leave the answer as it was.
    """
    if correction.strip().lower() in NO_NAMES:
        if not predicted:
            raise InputError("That is the answer I gave: I found no names. Write Name=TYPE for each one I missed.")
        return {"entities": []}
    predicted = _entities(predicted)
    edits, removed = [], []
    for part in (p.strip() for p in re.split(r"[;\n]", correction)):
        if part.startswith("-") and "=" not in part:
            removed.append(_found(part[1:].strip(), predicted))
        elif part:
            edits.append(_edit(part, text, predicted))
    answer = {_span_type(e) for e in predicted}
    edits = [e for e in edits if _span_type(e) not in answer]
    if not edits and not removed:
        raise InputError(
            f"That is the answer I gave ({correction_draft({'entities': predicted}) or 'no names'}): "
            f"change something. {CORRECTION_SYNTAX}."
        )
    edited_entities(predicted, {"edits": edits, "removed": removed}, text)  # InputError when edits overlap
    return {"edits": edits, "removed": removed}


def edits_between(predicted: list[dict[str, Any]], gold: list[dict[str, Any]]) -> dict[str, Any]:
    """The edits a user of the Rate panel makes to turn the answer `predicted` into `gold` (entities of one text):
    each gold name the answer lacks or types otherwise is set, each name found that no gold name overlaps is
    removed, and the rest is left alone (`edited_entities(predicted, edits)` gives `gold`'s names back)."""
    answer = {_span_type(e) for e in predicted}
    edits = [e for e in _entities(gold) if _span_type(e) not in answer]
    removed = [
        e for e in _entities(predicted) if not any(g["start"] < e["end"] and e["start"] < g["end"] for g in gold)
    ]
    return {"edits": edits, "removed": removed}


def correction_draft(data: dict[str, Any]) -> str:
    """The Rate panel's starting text: the names found, as edits to change ("Priya Nair=PER; Pune=LOC")."""
    return "; ".join(f"{e['text']}={e['type']}" for e in data.get("entities") or [])


def edited_entities(
    predicted: list[dict[str, Any]], correction: dict[str, Any], text: str | None = None
) -> list[dict[str, Any]]:
    """The answer `predicted` after the stored `correction`, each entity marked "set", "kept" or "removed" (module
    docstring); a correction stored as a whole answer (`{"entities": [...]}`) is returned as it is. A prediction
    that an edit overlaps is removed. InputError when two edits overlap (`text` given: checked against it)."""
    if "entities" in correction:
        return _entities(correction["entities"])
    edits = [{**e, "edit": "set"} for e in _entities(correction.get("edits") or [])]
    removed = {(e["start"], e["end"]) for e in _entities(correction.get("removed") or [])}
    result = list(edits)
    for entity in _entities(predicted):
        replaced = any(e["start"] < entity["end"] and entity["start"] < e["end"] for e in edits)
        if (entity["start"], entity["end"]) in removed or (replaced and not _same_span(entity, edits)):
            result.append({**entity, "edit": "removed"})
        elif not replaced:
            result.append({**entity, "edit": "kept"})
    if text is not None:
        try:
            ner_bio(text, [e for e in result if e["edit"] != "removed"])
        except ValueError as error:
            raise InputError(f"those edits overlap: {error}") from error
    return sorted(result, key=lambda e: (e["start"], e["end"], e["edit"]))


def _edit(part: str, text: str, predicted: list[dict[str, Any]]) -> dict[str, Any]:
    """One `Name=TYPE` edit as an entity: at a found name's place when it is one, else its first occurrence."""
    name, sep, kind = part.rpartition("=")
    name, kind = name.strip(), kind.strip().upper()
    if not sep or not name:
        raise InputError(f"write each edit as Name=TYPE or -Name, separated by ';' (got {part!r})")
    if kind not in ENTITY_TYPES:
        raise InputError(f"entity type must be one of {', '.join(ENTITY_TYPES)} (got {kind!r})")
    found = next((e for e in predicted if e["text"].lower() == name.lower()), None)
    if found is not None:
        return {"text": found["text"], "type": kind, "start": found["start"], "end": found["end"]}
    match = _occurrence(name, text)
    if match is None:
        raise InputError(f"{name!r} does not occur in the analysed text")
    return {"text": match.group(), "type": kind, "start": match.start(), "end": match.end()}


def _found(name: str, predicted: list[dict[str, Any]]) -> dict[str, Any]:
    """The found name that `-Name` removes (in any case)."""
    for entity in predicted:
        if entity["text"].lower() == name.lower():
            return entity
    found = ", ".join(e["text"] for e in predicted) or "none"
    raise InputError(f"-{name}: {name!r} is not among the names I found ({found})")


def _same_span(entity: dict[str, Any], edits: list[dict[str, Any]]) -> bool:
    return any((e["start"], e["end"]) == (entity["start"], entity["end"]) for e in edits)


def _span_type(entity: dict[str, Any]) -> tuple[int, int, str]:
    return (entity["start"], entity["end"], entity["type"])


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
    return parse_entity_edits(correction, inputs["text"] or "", data.get("entities") or [])


def recalled(
    correction: dict[str, Any], data: dict[str, Any], inputs: dict[str, str | None]
) -> tuple[str, dict[str, Any]] | None:
    """The answer `data` (on any text) with a remembered correction's edits applied by name: each corrected name
    found as a whole word of this text (as written, then in any case) gets its type, marked `"corrected": True`;
    each removed name is dropped; a whole answer replaces the names found. None when no edit applies here."""
    text, found = data["text"], data.get("entities") or []
    whole = "entities" in correction
    placed = [e for e in (_placed(edit, text, found) for edit in _edits(correction)) if e is not None]
    removed = {e["text"].lower() for e in correction.get("removed") or []}
    if not placed and not whole and not any(e["text"].lower() in removed for e in found):
        return None
    kept = [
        e
        for e in found
        if not whole
        and e["text"].lower() not in removed
        and not any(p["start"] < e["end"] and e["start"] < p["end"] for p in placed)
    ]
    entities = sorted(kept + placed, key=lambda e: e["start"])
    return _described(entities), {**data, "entities": entities}


def lexicon(correction: dict[str, Any]) -> list[dict[str, str]]:
    """The names a correction gives a type (`{"text", "type"}`), for the memory's lexicon of corrected names."""
    return [{"text": e["text"], "type": e["type"]} for e in _edits(correction)]


def _edits(correction: dict[str, Any]) -> list[dict[str, Any]]:
    return list(correction.get("entities") or correction.get("edits") or [])


def _placed(edit: dict[str, Any], text: str, found: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A corrected name placed in `text`: where the user edited it when this is the text corrected (a name may
    occur twice, as two different things), else where a name found has its letters, else its first whole-word
    occurrence (as written, then in any case); None where it does not occur."""
    same = next((e for e in found if e["text"].lower() == edit["text"].lower()), None)
    if "start" in edit and text[edit["start"] : edit["end"]] == edit["text"]:
        start, end = edit["start"], edit["end"]
    elif same is not None:
        start, end = same["start"], same["end"]
    else:
        whole_word = rf"(?<!\w){re.escape(edit['text'])}(?!\w)"
        match = re.search(whole_word, text) or re.search(whole_word, text, re.IGNORECASE)
        if match is None:
            return None
        start, end = match.span()
    return {"text": text[start:end], "type": edit["type"], "start": start, "end": end, "score": 1.0, "corrected": True}


def _described(entities: list[dict[str, Any]]) -> str:
    if not entities:
        return "No names of people, organisations, places or other named things in this text."
    lines = [
        f"- **{e['text']}** · {e['type']} ({TYPE_NAMES[e['type']]}), "
        + ("corrected" if e.get("corrected") else f"{e['score']:.0%}")
        for e in entities
    ]
    return f"{len(entities)} named entit{'y' if len(entities) == 1 else 'ies'}:\n" + "\n".join(lines)


def output_label(data: dict[str, Any]) -> list[dict[str, Any]]:
    return _entities(data.get("entities") or [])


def gold_label(correction: dict[str, Any], inputs: dict[str, str | None], data: dict[str, Any]) -> list[dict[str, Any]]:
    """The answer `data` after the correction's edits (`edited_entities`), checked against the text."""
    try:
        label = edited_entities(data.get("entities") or [], correction, inputs["text"] or "")
    except InputError as error:
        raise UnusableFeedback(str(error)) from error
    return checked(label, inputs)


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
        ner_bio(text, _names(label))
    except ValueError as error:
        raise UnusableFeedback(str(error)) from error
    return [{**entity, "text": text[entity["start"] : entity["end"]]} for entity in label]


def benchmark_example(text: str, label: list[dict[str, Any]], silver_weight: float, **_: Any) -> TaggedSentence:
    """A labelled feedback example as the benchmark reader gives one, so training treats both alike. A label of
    edits (module docstring) weighs its words: those of "set" and "removed" entities 1, the rest `silver_weight`
    (the words the user left alone are the model's own answer, confirmed only by being left)."""
    words, tags = ner_bio(text, _names(label))
    if not any("edit" in e for e in label):
        return TaggedSentence(words, tags)
    decided = [(e["start"], e["end"]) for e in label if e["edit"] != "kept"]
    weights = [
        1.0 if any(s >= start and e <= end for start, end in decided) else silver_weight for s, e in word_spans(text)
    ]
    return TaggedSentence(words, tags, weights)


def shown_label(label: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The label as the example index shows it: the names and their types."""
    return [{"text": e["text"], "type": e["type"]} for e in _names(label)]


def _names(label: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entities a label says are names: all but those the user removed."""
    return [e for e in label if e.get("edit") != "removed"]


def _entities(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entities reduced to their label fields, sorted by position."""
    if not isinstance(raw, list) or not all(_is_entity(e) for e in raw):
        raise UnusableFeedback(
            f"entities must be a list of {{'type', 'start', 'end'}} with whole-number offsets: {raw!r}"
        )
    entities = [
        {"text": e.get("text"), "type": e["type"], "start": e["start"], "end": e["end"]}
        | ({"edit": e["edit"]} if "edit" in e else {})
        for e in raw
    ]
    return sorted(entities, key=lambda e: (e["start"], e["end"]))


def _is_entity(entity: Any) -> bool:
    if not isinstance(entity, dict) or not {"type", "start", "end"} <= entity.keys():
        return False
    if entity.get("edit", "set") not in EDITS:
        return False
    return all(isinstance(entity[k], int) and not isinstance(entity[k], bool) for k in ("start", "end"))
