"""How an NER answer is shown: the analysed text with its entities marked, each entity's probability, runner-up and
the context words that drove it, and highlight segments by entity type."""

from __future__ import annotations

from typing import Any

from skills.markup import esc, marked_text, segments
from skills.ner.spec import TYPE_NAMES

LEGEND = (
    "each colour is a kind of name (person, organisation, location, other); a percentage is how sure the model is "
    "of a name's kind; the numbers beside context words say how much less sure it gets without that word"
)


def answer_markdown(text: str, data: dict[str, Any]) -> str:
    if data.get("entities"):
        return f"{marked_text(data['text'], data['entities'], 'type')}\n\n{text}"
    return text


def rationale_lines(rationale: dict[str, Any], data: dict[str, Any]) -> list[str]:
    lines = []
    for entity in rationale.get("entity_scores", []):
        line = f"- {esc(entity['text'])}: {entity['type']} with probability {entity['score']:.0%}"
        if entity.get("runner_up"):
            other = "not a name" if entity["runner_up"] == "O" else entity["runner_up"]
            line += f" (runner-up: {other}, {entity['runner_up_score']:.0%})"
        if entity.get("context_words"):
            words = ", ".join(f"“{esc(w['token'])}” {w['score']:+.2f}" for w in entity["context_words"])
            line += f"; context that drove it: {words}"
        lines.append(line)
    return lines


def summary(data: dict[str, Any], rationale: dict[str, Any]) -> str:
    """What decided, in words: the names found and their kinds, and the word that mattered most for the first."""
    entities = data.get("entities") or []
    if not entities:
        return "It found no names in the text."
    found = [f"“{e['text']}” as {TYPE_NAMES[e['type']]}" for e in entities[:4]]
    more = f" and {len(entities) - 4} more" if len(entities) > 4 else ""
    sentence = f"It marked {_listed(found)}{more}."
    scores = rationale.get("entity_scores") or []
    context = scores[0].get("context_words") if scores else None
    if context:
        sentence += f" The word that mattered most for “{scores[0]['text']}” was “{context[0]['token']}”."
    return sentence


def legend(data: dict[str, Any]) -> str:
    return LEGEND


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def highlights(data: dict[str, Any], rationale: dict[str, Any]) -> list[tuple[str, Any]] | None:
    return segments(data["text"], [(e["start"], e["end"], e["type"]) for e in data["entities"]])
