"""How a help answer is shown: an answer from the bot's documentation names its section, in the bubble and in the
"why" (with the similarity that chose it); small talk and the rest are shown as they are."""

from __future__ import annotations

from typing import Any

from skills.markup import esc


def answer_markdown(text: str, data: dict[str, Any]) -> str:
    if data.get("kind") != "documentation":
        return text
    return f"{text}\n\n*From the bot's documentation: “{esc(data['section'])}”*"


def rationale_lines(rationale: dict[str, Any], data: dict[str, Any]) -> list[str]:
    if rationale.get("matched") == "documentation":
        line = (
            f"**Answered from the bot's documentation:** “{esc(rationale['section'])}” ({esc(rationale['document'])}), "
            f"similarity {rationale['similarity']:.2f} (least {rationale['min_similarity']:.2f})"
        )
        runner_up = rationale.get("runner_up")
        if runner_up:
            line += f"; next best “{esc(runner_up['section'])}” ({runner_up['similarity']:.2f})"
        return [line + "."]
    if "closest_section" in rationale:
        return [
            f"**Closest documentation section:** “{esc(rationale['closest_section'])}”, similarity "
            f"{rationale['similarity']:.2f}, below the {rationale['min_similarity']:.2f} needed to answer from it."
        ]
    return []


def summary(data: dict[str, Any], rationale: dict[str, Any]) -> str:
    """What decided, in words: the documentation section that answered, or none."""
    if rationale.get("matched") == "documentation":
        return f"It answered from the section “{rationale['section']}” of its own documentation."
    return ""


def legend(data: dict[str, Any]) -> str:
    return "similarity is how close the question is to a documentation section's heading (0 to 1)"


def highlights(data: dict[str, Any], rationale: dict[str, Any]) -> list[tuple[str, Any]] | None:
    return None
