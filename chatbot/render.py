"""Pure functions that turn a `Reply` into what the chat shows: the answer, its "why", and highlights.

Everything that came from a user or a document is HTML-escaped here, so it is shown, never run.
"""

from __future__ import annotations

import html
from typing import Any

from chatbot.assistant import Reply


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def marked_text(text: str, spans: list[dict[str, Any]], label_key: str) -> str:
    """`text` with each span wrapped in <mark> and its label; spans hold start/end offsets into `text`."""
    pieces, cursor = [], 0
    for span in sorted(spans, key=lambda s: s["start"]):
        if span["start"] < cursor:
            continue
        pieces.append(esc(text[cursor : span["start"]]))
        label = esc(str(span[label_key]))
        pieces.append(f"<mark>{esc(text[span['start'] : span['end']])} <sub>{label}</sub></mark>")
        cursor = span["end"]
    pieces.append(esc(text[cursor:]))
    return "".join(pieces)


def answer_markdown(reply: Reply) -> str:
    """The answer bubble; NER also shows the analysed text with its entities marked."""
    if reply.skill == "ner" and reply.data.get("entities"):
        return f"{marked_text(reply.data['text'], reply.data['entities'], 'type')}\n\n{reply.text}"
    return reply.text


def rationale_title(reply: Reply) -> str:
    return f"Why this answer · {reply.skill} · confidence {reply.confidence:.0%}"


def rationale_markdown(reply: Reply) -> str:
    """The collapsible "why" message under every answer, in words a user can check."""
    route = reply.rationale["route"]
    scores = ", ".join(f"{skill} {score:.0%}" for skill, score in sorted(route["scores"].items(), key=lambda x: -x[1]))
    nearest = route["nearest_example"]
    lines = [
        f"**Skill:** {reply.skill} — {esc(route['reason'])}.",
        f"**Router scores:** {scores}.",
        f"**Closest routing example:** “{esc(nearest['text'])}” ({nearest['skill']}).",
        f"**Confidence:** {reply.confidence:.0%}"
        + (f" (adapter {reply.adapter_version})" if reply.adapter_version else ""),
    ]
    skill = reply.rationale.get("skill", {})
    if reply.skill == "sentiment":
        lines.append(f"**Summary:** {esc(skill['summary'])}.")
        top = sorted(skill["attributions"], key=lambda a: -abs(a["score"]))[:6]
        words = ", ".join(f"{esc(a['token'])} {a['score']:+.2f}" for a in top)
        lines.append(f"**Word attributions** (+ toward the label, − against): {words}.")
    elif reply.skill == "ner":
        for entity in skill.get("entity_scores", []):
            line = f"- {esc(entity['text'])}: {entity['type']} with probability {entity['score']:.0%}"
            if entity.get("runner_up"):
                other = "not a name" if entity["runner_up"] == "O" else entity["runner_up"]
                line += f" (runner-up: {other}, {entity['runner_up_score']:.0%})"
            if entity.get("context_words"):
                words = ", ".join(f"“{esc(w['token'])}” {w['score']:+.2f}" for w in entity["context_words"])
                line += f"; context that drove it: {words}"
            lines.append(line)
    elif reply.skill == "qa" and "evidence" in skill:
        evidence = skill["evidence"]
        span = skill["span"]
        retrieval = evidence.get("retrieval_score")
        lines.append(
            f"**Span score:** {span['score']:.2f}"
            + (f"; **retrieval score:** {retrieval:.2f}" if retrieval is not None else "")
            + f"; **source:** {esc(evidence['source'])}."
        )
        mark = [{"start": span["start"], "end": span["end"], "label": "answer"}]
        lines.append("**Evidence:** " + marked_text(evidence["text"], mark, "label"))
        for alternative in skill.get("alternatives", []):
            lines.append(f"- next best: “{esc(alternative['answer'])}” ({alternative['score']:.2f})")
    lines += similar_example_lines(reply.rationale.get("similar_examples"))
    return "\n\n".join(lines)


SHOWN_EXAMPLE_CHARS = 160


def similar_example_lines(examples: list[dict[str, Any]] | None) -> list[str]:
    """The training (and accepted feedback) examples nearest to what the skill read, each with its gold label."""
    if not examples:
        return []
    lines = ["**Similar examples the model learned from** (gold labels):"]
    for example in examples:
        text = example["text"]
        text = text if len(text) <= SHOWN_EXAMPLE_CHARS else text[: SHOWN_EXAMPLE_CHARS - 1].rstrip() + "…"
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
    if reply.skill == "ner":
        return _segments(reply.data["text"], [(e["start"], e["end"], e["type"]) for e in reply.data["entities"]])
    if reply.skill == "sentiment":
        attributions = reply.rationale["skill"]["attributions"]
        scale = max((abs(a["score"]) for a in attributions), default=1.0) or 1.0
        sign = 1.0 if reply.data["label"] == "positive" else -1.0  # red = negative, blue = positive
        return _segments(
            reply.data["text"],
            [(a["start"], a["end"], round(sign * a["score"] / scale, 3)) for a in attributions],
        )
    if reply.skill == "qa" and "evidence" in reply.rationale.get("skill", {}):
        skill = reply.rationale["skill"]
        return _segments(skill["evidence"]["text"], [(skill["span"]["start"], skill["span"]["end"], "answer")])
    return [(reply.text, None)]


def _segments(text: str, spans: list[tuple[int, int, Any]]) -> list[tuple[str, Any]]:
    segments, cursor = [], 0
    for start, end, label in sorted(spans):
        if start < cursor:
            continue
        if start > cursor:
            segments.append((text[cursor:start], None))
        segments.append((text[start:end], label))
        cursor = end
    if cursor < len(text):
        segments.append((text[cursor:], None))
    return segments
