"""Request-model data: request records (JSON Lines, `skills.request.generate.Request`) and their features: the
message with the conversation's context as the second segment, the intent label at [CLS] and a BIO span tag on
every message token (context tokens are not labelled). Pure functions, no I/O but `read_file`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from skills.features import with_weights
from skills.request.generate import Request
from skills.request.spec import INTENTS, SPAN_TAGS, intent

IGNORE = -100
INTENT_OFFSET = len(SPAN_TAGS)  # head label index of INTENTS[0]


def read_file(path: Path) -> list[Request]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [Request.from_dict(json.loads(line)) for line in lines if line.strip()]


def from_hub_rows(rows, features=None) -> list[Request]:
    return [Request.from_dict(dict(row)) for row in rows]


def encode(tokenizer, requests: list[Request], max_length: int, **options: Any):
    """Message and context as two segments; the context is cut first when the pair is too long."""
    return tokenizer(
        [r.message for r in requests],
        [r.context.describe() for r in requests],
        truncation="longest_first",
        max_length=max_length,
        return_offsets_mapping=True,
        **options,
    )


def token_tags(request: Request, offsets: list[tuple[int, int]], sequence_ids: list[int | None]) -> list[int]:
    """Head labels per token: the intent at [CLS], a span tag (SPAN_TAGS index) on message tokens, IGNORE elsewhere."""
    labels = []
    previous_span = None
    for position, ((start, end), sequence) in enumerate(zip(offsets, sequence_ids, strict=True)):
        if position == 0:
            labels.append(INTENT_OFFSET + INTENTS.index(intent(request.skill, request.kind)))
            continue
        if sequence != 0 or end <= start:
            labels.append(IGNORE)
            continue
        span = next((s for s in request.spans if s.start <= start and end <= s.end), None)
        if span is None:
            labels.append(SPAN_TAGS.index("O"))
        else:
            prefix = "I" if span is previous_span else "B"
            labels.append(SPAN_TAGS.index(f"{prefix}-{span.label}"))
        previous_span = span
    return labels


def features(requests: list[Request], tokenizer, max_length: int, weights: list[float] | None = None) -> list[dict]:
    rows = []
    for request in requests:
        enc = encode(tokenizer, [request], max_length)
        labels = token_tags(request, [tuple(o) for o in enc["offset_mapping"][0]], enc.sequence_ids(0))
        rows.append({"input_ids": enc["input_ids"][0], "token_type_ids": enc["token_type_ids"][0], "labels": labels})
    return with_weights(rows, [1] * len(rows), weights)


def example_record(request: Request) -> dict[str, Any]:
    """The message and what it asks, for the nearest training requests in the router's explanation."""
    return {"text": request.message, "label": intent(request.skill, request.kind)}


def decode(
    scores: list[list[float]],
    offsets: list[tuple[int, int]],
    sequence_ids: list[int | None],
    word_ids: list[int | None] | None = None,
) -> tuple[str, list[float], dict[str, tuple[int, int]]]:
    """One row of head scores as (intent, intent scores, {span label: (start, end)}): the intent is the best of the
    intent labels at [CLS]; each word takes the best span tag of its first token (the word's other pieces follow it,
    so "whats" is never cut into "what" + "s"), tags group into spans (an I- that does not continue its label opens
    one), and each label keeps its longest span."""
    intent_scores = scores[0][INTENT_OFFSET:]
    best_intent = INTENTS[max(range(len(INTENTS)), key=intent_scores.__getitem__)]
    spans: dict[str, list[tuple[int, int]]] = {}
    current: list[int] | None = None
    label = None
    previous_word = None
    for position in range(1, len(scores)):
        start, end = offsets[position]
        if sequence_ids[position] != 0 or end <= start:
            continue
        word = word_ids[position] if word_ids is not None else None
        if word is not None and word == previous_word:  # a later piece of the word: it goes where its first went
            if current is not None:
                current[1] = end
            continue
        previous_word = word
        row = scores[position][:INTENT_OFFSET]
        tag = SPAN_TAGS[max(range(len(SPAN_TAGS)), key=row.__getitem__)]
        if tag == "O":
            current, label = None, None
            continue
        prefix, tag_label = tag.split("-", 1)
        if current is not None and prefix == "I" and tag_label == label:
            current[1] = end
        else:
            current, label = [start, end], tag_label
            spans.setdefault(label, []).append(current)  # the list is extended in place while the span grows
    longest = {name: max(found, key=lambda s: s[1] - s[0]) for name, found in spans.items()}
    return best_intent, intent_scores, {name: (s[0], s[1]) for name, s in longest.items()}
