"""How an NER answer is shown: the analysed text with its entities marked, each entity's probability, runner-up and
the context words that drove it, and highlight segments by entity type."""

from __future__ import annotations

from typing import Any

from skills.markup import esc, marked_text, segments


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


def highlights(data: dict[str, Any], rationale: dict[str, Any]) -> list[tuple[str, Any]] | None:
    return segments(data["text"], [(e["start"], e["end"], e["type"]) for e in data["entities"]])
