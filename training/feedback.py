"""From users' ratings to training examples: the rules that turn stored feedback into gold, silver and negative records.

Pure functions over the store's records (`core.store.TurnRecord`, `RatingRecord`); no I/O. The rules:

- Only a turn's *current* rating counts: its latest event, none if that takes the thumb back ("retracted").
  With `since_rating_id` / `since_time`, only turns whose current rating is newer are used (new feedback since
  an adapter version was trained).
- A correction is a **gold** example (weight 1.0): the right label, entities or answer span.
- A 👍 makes the model's own output a **silver** example (weight `silver_weight`, default 0.5).
- A 👎 on binary sentiment means the other label (silver). A 👎 without a correction on NER or QA is a
  **negative** record only: no label (never a guessed one), weight 0, the rejected output kept in `rejected`;
  trainers skip it, an evaluation gate may count it.
- A turn whose text was purged after the retention period is never an example.
- The help skill is never an example; outputs or corrections that cannot be a valid label (a QA answer not in its
  passage, entities off word boundaries) are left out, each with its reason in `FeedbackDataset.dropped`.
- One session contributes at most `per_session_cap` examples (its earliest ratings), counted before voting so no
  session can outvote the others by volume.
- Ratings of the same input (skill + text, + question and passage for QA) with the same label merge into one
  example that keeps the count and every source turn, rating and session. Conflicting claims on one input are
  settled by votes: a claim is kept only with strictly more ratings than each claim it conflicts with (another
  label; or, for a negative record, a label equal to the output it rejects). Ties drop both.

Labels: sentiment "positive"/"negative"; NER a list of `{"text", "type", "start", "end"}` (character offsets into
`text`, sorted; each must start and end on a word boundary, see `training.word_tags.ner_bio`, which turns them into
BIO word tags); QA `{"answer", "start"}` with `start` the answer's offset in `passage`.
"""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from core.store import RETRACTED, RatingRecord, TurnRecord
from training.word_tags import ner_bio

log = logging.getLogger(__name__)

SKILLS = ("ner", "sentiment", "qa")
KINDS = ("gold", "silver", "negative")
# Copy of skills.sentiment.LABELS: skills.sentiment imports torch, and reading feedback should not
# (tests/training/test_feedback.py checks that the copy still matches).
SENTIMENT_LABELS = ("negative", "positive")
GOLD_WEIGHT = 1.0
NEGATIVE_WEIGHT = 0.0  # a negative record is never trained on


class UnusableFeedback(ValueError):
    """A rating that cannot become a training example; the message says why (it goes into `dropped`)."""


@dataclass(frozen=True)
class FeedbackConfig:
    silver_weight: float = field(
        default=0.5, metadata={"help": "weight of the model's own output confirmed by a 👍 (or a 👎 on sentiment)"}
    )
    per_session_cap: int = field(
        default=50, metadata={"help": "most examples one session contributes; its earliest ratings are kept"}
    )
    since_rating_id: int | None = field(
        default=None, metadata={"help": "use only turns whose current rating has a larger id"}
    )
    since_time: datetime | None = field(
        default=None, metadata={"help": "use only turns whose current rating is newer (timezone-aware)"}
    )

    def __post_init__(self) -> None:
        weight = self.silver_weight
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0.0 <= weight <= GOLD_WEIGHT:
            raise ValueError(f"silver_weight must be a number in [0, 1], got {weight!r}")
        cap = self.per_session_cap
        if isinstance(cap, bool) or not isinstance(cap, int) or cap < 1:
            raise ValueError(f"per_session_cap must be a whole number of at least 1, got {cap!r}")
        since = self.since_rating_id
        if since is not None and (isinstance(since, bool) or not isinstance(since, int) or since < 0):
            raise ValueError(f"since_rating_id must be a whole number of at least 0 or None, got {since!r}")
        if self.since_time is not None and (
            not isinstance(self.since_time, datetime) or self.since_time.tzinfo is None
        ):
            raise ValueError(f"since_time must be a timezone-aware datetime or None, got {self.since_time!r}")


@dataclass(frozen=True)
class FeedbackExample:
    skill: str
    kind: str  # "gold", "silver" or "negative"
    text: str  # what the skill read: the sentence for NER and sentiment, the question for QA
    label: Any  # see the module docstring; None for a negative record
    weight: float
    turn_ids: tuple[int, ...]  # one entry per source rating, in rating order
    rating_ids: tuple[int, ...]
    session_ids: tuple[str, ...]  # the session that gave each rating
    question: str | None = None  # QA only
    passage: str | None = None  # QA only: the passage the answer was taken from
    rejected: Any = None  # negative records only: the model output the user marked wrong, in label form

    def __post_init__(self) -> None:
        if self.skill not in SKILLS or self.kind not in KINDS:
            raise ValueError(f"unknown skill or kind: {self.skill!r}, {self.kind!r}")
        if (self.kind == "negative") != (self.label is None):
            raise ValueError(f"a {self.kind} example must {'not ' if self.kind == 'negative' else ''}have a label")
        if not self.rating_ids or not len(self.rating_ids) == len(self.turn_ids) == len(self.session_ids):
            raise ValueError(f"need one turn and session per rating, got {self.turn_ids=}, {self.session_ids=}")

    @property
    def count(self) -> int:
        """How many ratings this example merges."""
        return len(self.rating_ids)

    @property
    def input_key(self) -> tuple[str, str, str | None, str | None]:
        return (self.skill, self.text, self.question, self.passage)

    def to_dict(self) -> dict[str, Any]:
        return {
            "skill": self.skill,
            "kind": self.kind,
            "text": self.text,
            "question": self.question,
            "passage": self.passage,
            "label": self.label,
            "rejected": self.rejected,
            "weight": self.weight,
            "count": self.count,
            "turn_ids": list(self.turn_ids),
            "rating_ids": list(self.rating_ids),
            "session_ids": list(self.session_ids),
        }


@dataclass(frozen=True)
class FeedbackDataset:
    examples: tuple[FeedbackExample, ...]
    dropped: tuple[tuple[int, str], ...]  # (turn id, why its rating gave no example)

    def summary(self) -> dict[str, Any]:
        return {
            "examples": len(self.examples),
            "by_kind": dict(Counter(e.kind for e in self.examples)),
            "dropped": len(self.dropped),
        }


def current_ratings(ratings: Iterable[RatingRecord]) -> list[RatingRecord]:
    """Each turn's latest rating event, oldest first; turns whose latest event takes the thumb back are left out."""
    latest: dict[int, RatingRecord] = {}
    for rating in ratings:
        if rating.turn_id not in latest or rating.id > latest[rating.turn_id].id:
            latest[rating.turn_id] = rating
    return sorted((r for r in latest.values() if r.thumb != RETRACTED), key=lambda r: r.id)


def is_selected(rating: RatingRecord, config: FeedbackConfig) -> bool:
    """Whether a current rating is new enough for `config.since_rating_id` and `config.since_time`."""
    if config.since_rating_id is not None and rating.id <= config.since_rating_id:
        return False
    return config.since_time is None or rating.created_at > config.since_time


def example_from_turn(turn: TurnRecord, rating: RatingRecord, silver_weight: float = 0.5) -> FeedbackExample:
    """The example one current rating makes of its turn; UnusableFeedback (with the reason) when there is none."""
    if rating.turn_id != turn.id or rating.thumb not in ("up", "down"):
        raise ValueError(
            f"rating {rating.id} ({rating.thumb!r}, turn {rating.turn_id}) is not a thumb on turn {turn.id}"
        )
    if turn.purged_at is not None:
        raise UnusableFeedback(f"the text of answer #{turn.id} was purged after the retention period")
    if turn.skill not in SKILLS:
        raise UnusableFeedback(f"the {turn.skill} skill gives no training examples")
    inputs = _inputs(turn)
    data = turn.output.get("data") or {}
    rejected = None
    if rating.correction:
        kind, weight, label = "gold", GOLD_WEIGHT, _gold_label(turn.skill, rating.correction, inputs)
    elif rating.thumb == "up":
        kind, weight, label = "silver", silver_weight, _checked(turn.skill, _output_label(turn.skill, data), inputs)
    elif turn.skill == "sentiment":
        said = _checked("sentiment", _output_label("sentiment", data), inputs)
        kind, weight, label = "silver", silver_weight, SENTIMENT_LABELS[1 - SENTIMENT_LABELS.index(said)]
    else:
        kind, weight, label, rejected = "negative", NEGATIVE_WEIGHT, None, _output_label(turn.skill, data)
    return FeedbackExample(
        skill=turn.skill,
        kind=kind,
        label=label,
        weight=weight,
        turn_ids=(turn.id,),
        rating_ids=(rating.id,),
        session_ids=(rating.session_id,),
        rejected=rejected,
        **inputs,
    )


def cap_per_session(examples: list[FeedbackExample], cap: int) -> tuple[list[FeedbackExample], list[tuple[int, str]]]:
    """Keep each session's `cap` earliest examples (by rating id); the rest are dropped with the reason."""
    kept, dropped = [], []
    taken: Counter[str] = Counter()
    for example in sorted(examples, key=lambda e: e.rating_ids[0]):
        session = example.session_ids[0]
        taken[session] += 1
        if taken[session] <= cap:
            kept.append(example)
        else:
            dropped.append((example.turn_ids[0], f"session cap: session {session} already gave {cap} examples"))
    return kept, dropped


def merge_duplicates(examples: list[FeedbackExample]) -> list[FeedbackExample]:
    """One example per input and claim (same label, or the same rejected output), with all its sources.

    A merged example is gold if any of its ratings is, and keeps the highest weight; order: first rating first.
    """
    groups: dict[tuple, list[FeedbackExample]] = defaultdict(list)
    for example in sorted(examples, key=lambda e: e.rating_ids[0]):
        groups[(example.input_key, _claim(example))].append(example)
    merged = []
    for group in groups.values():
        best = min(group, key=lambda e: KINDS.index(e.kind))
        sources = sorted(
            (rating, turn, session)
            for e in group
            for rating, turn, session in zip(e.rating_ids, e.turn_ids, e.session_ids, strict=True)
        )
        merged.append(
            replace(
                best,
                weight=max(e.weight for e in group),
                rating_ids=tuple(s[0] for s in sources),
                turn_ids=tuple(s[1] for s in sources),
                session_ids=tuple(s[2] for s in sources),
            )
        )
    return sorted(merged, key=lambda e: e.rating_ids[0])


def resolve_conflicts(examples: list[FeedbackExample]) -> tuple[list[FeedbackExample], list[tuple[int, str]]]:
    """Settle conflicting claims on one input by votes (ratings merged into each claim; see `merge_duplicates`).

    A claim is kept only with strictly more votes than every claim it conflicts with; a tie drops both.
    """
    by_input: dict[tuple, list[FeedbackExample]] = defaultdict(list)
    for example in examples:
        by_input[example.input_key].append(example)
    kept, dropped = [], []
    for group in by_input.values():
        for example in group:
            rivals = [other.count for other in group if other is not example and _conflict(example, other)]
            if not rivals or example.count > max(rivals):
                kept.append(example)
                continue
            reason = "tie" if example.count == max(rivals) else "outvoted"
            dropped += [
                (turn_id, f"{reason}: {example.count} vs {max(rivals)} ratings of the same input disagree")
                for turn_id in example.turn_ids
            ]
    return sorted(kept, key=lambda e: e.rating_ids[0]), dropped


def examples_from_feedback(
    turns: Iterable[TurnRecord], ratings: Iterable[RatingRecord], config: FeedbackConfig | None = None
) -> FeedbackDataset:
    """Training examples from stored turns and rating events, by the rules in the module docstring.

    `turns` must hold every turn that a selected rating refers to (ValueError otherwise).
    """
    config = config or FeedbackConfig()
    by_id = {turn.id: turn for turn in turns}
    singles: list[FeedbackExample] = []
    dropped: list[tuple[int, str]] = []
    selected = [r for r in current_ratings(ratings) if is_selected(r, config)]
    for rating in selected:
        if rating.turn_id not in by_id:
            raise ValueError(f"rating {rating.id} refers to turn {rating.turn_id}, which is not among the turns")
        try:
            singles.append(example_from_turn(by_id[rating.turn_id], rating, config.silver_weight))
        except UnusableFeedback as reason:
            dropped.append((rating.turn_id, str(reason)))
    capped, over_cap = cap_per_session(singles, config.per_session_cap)
    examples, conflicts = resolve_conflicts(merge_duplicates(capped))
    dataset = FeedbackDataset(tuple(examples), tuple(dropped + over_cap + conflicts))
    log.info("%d current ratings selected: %s", len(selected), dataset.summary())
    return dataset


def _inputs(turn: TurnRecord) -> dict[str, str | None]:
    data = turn.output.get("data") or {}
    if turn.skill != "qa":
        if not isinstance(data.get("text"), str):
            raise UnusableFeedback(f"turn {turn.id} has no analysed text stored")
        return {"text": data["text"]}
    evidence = ((turn.output.get("rationale") or {}).get("skill") or {}).get("evidence") or {}
    if not isinstance(data.get("question"), str) or not isinstance(evidence.get("text"), str):
        raise UnusableFeedback(f"turn {turn.id} has no question or evidence passage stored")
    return {"text": data["question"], "question": data["question"], "passage": evidence["text"]}


def _output_label(skill: str, data: dict[str, Any]) -> Any:
    """The model's stored output in label form (not yet checked against the input)."""
    if skill == "sentiment":
        return data.get("label")
    if skill == "ner":
        return _entities(data.get("entities") or [])
    return {"answer": data.get("answer"), "start": data.get("start")}


def _gold_label(skill: str, correction: dict[str, Any], inputs: dict[str, str | None]) -> Any:
    if skill == "sentiment":
        return _checked(skill, correction.get("label"), inputs)
    if skill == "ner":
        return _checked(skill, _entities(correction.get("entities") or []), inputs)
    answer, start, passage = correction.get("answer"), correction.get("start"), inputs["passage"] or ""
    if not isinstance(answer, str) or not answer:
        raise UnusableFeedback(f"the correction has no answer text: {correction!r}")
    if start is None:
        start = passage.find(answer)
        if start < 0:
            raise UnusableFeedback(f"the corrected answer {answer!r} is not in the passage")
    return _checked(skill, {"answer": answer, "start": start}, inputs)


def _checked(skill: str, label: Any, inputs: dict[str, str | None]) -> Any:
    """`label` if it is a valid training label for this input; UnusableFeedback saying what is wrong otherwise."""
    if skill == "sentiment":
        if label not in SENTIMENT_LABELS:
            raise UnusableFeedback(f"sentiment label {label!r} is not one of {', '.join(SENTIMENT_LABELS)}")
        return label
    if skill == "ner":
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
    passage, answer, start = inputs["passage"] or "", label["answer"], label["start"]
    if not isinstance(answer, str) or not answer or isinstance(start, bool) or not isinstance(start, int):
        raise UnusableFeedback(f"the answer {answer!r} has no valid start ({start!r})")
    if start < 0 or passage[start : start + len(answer)] != answer:
        raise UnusableFeedback(f"the answer {answer!r} is not at offset {start} of the passage")
    return {"answer": answer, "start": start}


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


def _claim(example: FeedbackExample) -> tuple[str, str]:
    """What an example says about its input: "this is the label" or "this output is wrong"."""
    if example.kind == "negative":
        return ("not", _canonical(example.rejected))
    return ("is", _canonical(example.label))


def _conflict(a: FeedbackExample, b: FeedbackExample) -> bool:
    """Two claims on one input conflict when they name different labels, or one rejects the other's label."""
    (a_says, a_value), (b_says, b_value) = _claim(a), _claim(b)
    if a_says == b_says:
        return a_says == "is" and a_value != b_value
    return a_value == b_value


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
