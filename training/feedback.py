"""From users' ratings to training examples: the rules that turn stored feedback into gold, silver and negative records.

Pure functions over the store's records (`core.store.TurnRecord`, `RatingRecord`); no I/O. The rules:

- Only a turn's *current* rating counts: its latest event, none if that takes the thumb back ("retracted").
  With `since_rating_id` / `since_time`, only turns whose current rating is newer are used (new feedback since
  an adapter version was trained).
- A correction is a **gold** example (weight 1.0): the right label, entities or answer span.
- A 👍 makes the model's own output a **silver** example (weight `silver_weight`, default `SILVER_WEIGHT`; the
  export and the nightly retrain share it).
- A 👎 without a correction means what the skill's rules say (`thumb_down_label` in `skills/<name>/feedback.py`):
  on binary sentiment the other label (silver); on NER or QA a **negative** record only: no label (never a guessed
  one), weight 0, the rejected output kept in `rejected`; trainers skip it, an evaluation gate may count it.
- A turn whose text was purged after the retention period is never an example.
- A routing correction (`{"intent": ...}`: the user chose another skill, or answered a clarifying question) teaches
  the request model, never the skill that answered.
- A skill without an adapter (help) is never an example; outputs or corrections that cannot be a valid label (a QA
  answer not in its passage, entities off word boundaries) are left out, each with its reason in
  `FeedbackDataset.dropped`.
- One session contributes at most `per_session_cap` examples (its earliest ratings), counted before voting so no
  session can outvote the others by volume.
- Ratings of the same input (skill + text, + question and passage for QA) with the same label merge into one
  example that keeps the count and every source turn, rating and session. Conflicting claims on one input are
  settled by votes: a claim is kept only with strictly more ratings than each claim it conflicts with (another
  label; or, for a negative record, a label equal to the output it rejects). Ties drop both.

Labels are in each skill's terms, checked by its `skills/<name>/feedback.py`: sentiment "positive"/"negative"; NER a
list of `{"text", "type", "start", "end"}` (character offsets into `text`, on word boundaries); QA
`{"answer", "start"}` with `start` the answer's offset in `passage`. What a skill read comes from the turn's typed
record (`core.records.TurnOutput.inputs`), never from its explanation.
"""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from core.errors import UnusableFeedback
from core.records import Thumb, TurnOutput
from core.store import RatingRecord, TurnRecord
from skills.registry import get_skill, skill_names

log = logging.getLogger(__name__)

KINDS = ("gold", "silver", "negative")
GOLD_WEIGHT = 1.0
SILVER_WEIGHT = 0.25  # measured for the nightly retrain (docs/LEARNING.md); the export writes the same weights
NEGATIVE_WEIGHT = 0.0  # a negative record is never trained on


@dataclass(frozen=True)
class FeedbackConfig:
    silver_weight: float = field(
        default=SILVER_WEIGHT,
        metadata={"help": "weight of the model's own output confirmed by a 👍 (or a 👎 on sentiment)"},
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
        if self.skill not in skill_names(trainable=True) or self.kind not in KINDS:
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
    return sorted((r for r in latest.values() if r.thumb != Thumb.RETRACTED), key=lambda r: r.id)


def is_selected(rating: RatingRecord, config: FeedbackConfig) -> bool:
    """Whether a current rating is new enough for `config.since_rating_id` and `config.since_time`."""
    if config.since_rating_id is not None and rating.id <= config.since_rating_id:
        return False
    return config.since_time is None or rating.created_at > config.since_time


def example_from_turn(turn: TurnRecord, rating: RatingRecord, silver_weight: float = SILVER_WEIGHT) -> FeedbackExample:
    """The example one current rating makes of its turn; UnusableFeedback (with the reason) when there is none."""
    if rating.turn_id != turn.id or rating.thumb not in ("up", "down"):
        raise ValueError(
            f"rating {rating.id} ({rating.thumb!r}, turn {rating.turn_id}) is not a thumb on turn {turn.id}"
        )
    if turn.purged_at is not None:
        raise UnusableFeedback(f"the text of answer #{turn.id} was purged after the retention period")
    if turn.skill not in skill_names(trainable=True):
        raise UnusableFeedback(f"the {turn.skill} skill gives no training examples")
    if rating.correction and "intent" in rating.correction:
        raise UnusableFeedback(f"a routing correction ({rating.correction['intent']}): it teaches the request model")
    rules = get_skill(turn.skill).feedback
    output = TurnOutput.from_json(turn.output)
    inputs = _inputs(turn, output)
    rejected = None
    if rating.correction:
        kind, weight, label = "gold", GOLD_WEIGHT, rules.gold_label(rating.correction, inputs, output.data)
    elif rating.thumb == "up":
        kind, weight, label = "silver", silver_weight, rules.checked(rules.output_label(output.data), inputs)
    else:
        label = rules.thumb_down_label(output.data, inputs)
        if label is None:
            kind, weight, rejected = "negative", NEGATIVE_WEIGHT, rules.output_label(output.data)
        else:
            kind, weight = "silver", silver_weight
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


def _inputs(turn: TurnRecord, output: TurnOutput) -> dict[str, str | None]:
    """What the skill read (its text; for a skill that reads questions, the question and the passage)."""
    inputs = output.inputs
    if get_skill(turn.skill).spec.reads == "question":
        if inputs is None or not isinstance(inputs.question, str) or not isinstance(inputs.passage, str):
            raise UnusableFeedback(f"turn {turn.id} has no question or evidence passage stored")
        return {"text": inputs.question, "question": inputs.question, "passage": inputs.passage}
    if inputs is None or not isinstance(inputs.text, str):
        raise UnusableFeedback(f"turn {turn.id} has no analysed text stored")
    return {"text": inputs.text}


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
