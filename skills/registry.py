"""The skill registry: what each skill is (`SkillSpec`, torch-free) and where its parts live (`SkillDefinition`).

A skill is one package under `skills/` (or anywhere importable) with these modules; generic code (the planner,
the UI, training, evaluation, the feedback export, the retrain) finds them here and never branches on a name:

    spec.py      SPEC: name, description, routing examples, what it reads, labels, head, data splits, metric
    model.py     build(encoder) -> the `Skill` that answers (loads nothing itself: the encoder is handed to it)
    data.py      read_file(path), from_hub_rows(rows, features), features(examples, tokenizer, max_length, weights),
                 example_record(example); optional: selection_group(example) (held-out selection by groups),
                 selection_split(train, held_out) -> (train, select) (narrows a held-out selection slice: SST-2's
                 whole sentences; what it says it does goes in DataSpec.select_part and train_part),
                 provenance(example) (accepts extra training examples, refused when they share it with held-out ones)
    evaluate.py  evaluate(logits_fn, tokenizer, examples, max_length) -> metrics, table(metrics) -> Markdown lines
    feedback.py  parse_correction(text, inputs, data) (InputError for one that equals the answer),
                 output_label(data), gold_label(correction, inputs, data) (data: the answer it corrects),
                 correction_draft(data) (the Rate panel's starting text: the answer as an edit to make),
                 recalled(correction, data, inputs) (an answer with a remembered correction applied, or None),
                 lexicon(correction) (names a correction types, for the memory's lexicon; [] for whole-text labels),
                 checked(label, inputs), thumb_down_label(data, inputs) (None: a negative record),
                 benchmark_example(text=, label=, question=, passage=, example_id=, silver_weight=),
                 shown_label(label)
    render.py    answer_markdown(text, data), rationale_lines(skill_rationale, data), highlights(data, skill_rationale),
                 summary(data, skill_rationale) (a plain sentence: what in the text decided; "" for nothing),
                 legend(data) (what the colours and numbers mean)
    requests.py  optional: phrasings for the request model's training data (skills/request/generate.py)

A skill that trains nothing (help) has spec.py, model.py and at most a feedback.py with `parse_correction` and a
render.py. Parts are imported on first use, so reading a spec (labels, commands, help text) never imports torch.
Registration is explicit, like peft's `register_peft_method`: `register_skill(definition)` validates the spec and
rejects a second skill of one name; `skills/__init__.py` registers the built-in skills in one list.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Literal, Protocol, get_args, runtime_checkable

# What a skill reads: "text" (a text to analyse: NER, sentiment), "question" (a question answered from passages:
# QA), "message" (the conversation itself: help, which also answers whatever no other skill serves), "conversation"
# (the request model, which serves no user: it tells the planner what a message asks).
InputKind = Literal["text", "question", "message", "conversation"]
HeadKind = Literal["token", "sequence", "span"]
PARTS = ("model", "data", "evaluate", "feedback", "render", "requests")
TRAINING_PARTS = ("data", "evaluate", "feedback")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class DataSpec:
    """Where a skill's benchmark lives and which split trains, selects and reports (`../shared/data/README.md`)."""

    folder: str  # under the benchmark root
    files: Mapping[str, str]  # split ("train", "select", "report") -> file in the folder
    hub_splits: Mapping[str, str]  # the same roles on the hub's copy of the data set
    description: str  # one paragraph for the model card
    unit: str = "examples"  # what a held-out selection slice is made of ("articles" for SQuAD)
    # What the data part's selection_split keeps of a held-out slice, and takes from training (bundle.json says it).
    select_part: str = ""
    train_part: str = ""
    item: str = "examples"  # what one example is, in messages ("questions" for SQuAD)
    file_format: str = "benchmark"  # the files' format, in messages ("SQuAD JSON")
    # Why the released bundle ships no example index of this data, said where similar examples are missing; "" where
    # the data's licence lets its text be shipped (SQuAD's CC BY-SA 4.0).
    withheld: str = ""
    # The command that makes the data where it is generated rather than read from ../shared/data (it writes them
    # with `--out runs/<folder>`: the request model's requests); "" for a benchmark's folder.
    generated_by: str = ""

    def __post_init__(self) -> None:
        for roles in (self.files, self.hub_splits):
            if not {"train", "report"} <= set(roles) or not set(roles) <= {"train", "select", "report"}:
                raise ValueError(f"data splits need train and report (and may have select), got {sorted(roles)}")


@dataclass(frozen=True)
class SkillSpec:
    """Everything about a skill that needs no model: the UI, the planner, the export and the CLIs read this."""

    name: str
    description: str  # one line, shown by the help skill
    routing_examples: tuple[str, ...]  # messages that should be routed here
    reads: InputKind
    command_example: str = ""  # shown when `/name` comes without its text
    labels: tuple[str, ...] = ()  # the output labels in the skill's terms (entity types, sentiment labels)
    head: HeadKind | None = None  # None: no adapter (a rule-based skill)
    head_labels: tuple[str, ...] = ()  # the head's outputs (BIO tags, labels, start/end)
    headline_metric: str | None = None  # the metric that selects epochs and gates promotions
    data: DataSpec | None = None
    correction_help: str = ""  # how a user writes a correction, shown in the Rate panel
    default_request: str = ""  # what a bare `/name` command asks (help: "what can you do")
    serves: bool = True  # False: a model the app uses itself (the request model), not a skill users talk to
    offer: str = ""  # how a clarifying question offers this skill ("the names in it"); default: its name

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"a skill name is lowercase letters, digits and _, starting with a letter: {self.name!r}")
        if self.reads not in get_args(InputKind):
            raise ValueError(f"{self.name}: reads must be one of {get_args(InputKind)}, got {self.reads!r}")
        if self.head is not None and self.head not in get_args(HeadKind):
            raise ValueError(f"{self.name}: head must be one of {get_args(HeadKind)}, got {self.head!r}")
        trained = (
            self.head is not None,
            bool(self.head_labels),
            self.headline_metric is not None,
            self.data is not None,
        )
        if any(trained) and not all(trained):
            raise ValueError(f"{self.name}: an adapter skill needs head, head_labels, headline_metric and data")
        if self.serves and not self.routing_examples:
            raise ValueError(f"{self.name}: give at least one routing example")
        if self.serves == (self.reads == "conversation"):
            raise ValueError(f"{self.name}: only a model that serves no user reads the conversation")

    @property
    def has_adapter(self) -> bool:
        return self.head is not None


@runtime_checkable
class ModelPart(Protocol):
    def build(self, encoder: Any) -> Any: ...


@runtime_checkable
class DataPart(Protocol):
    def read_file(self, path: Any) -> list: ...
    def from_hub_rows(self, rows: Any, features: Any) -> list: ...
    def features(self, examples: list, tokenizer: Any, max_length: int, weights: list[float] | None) -> list: ...
    def example_record(self, example: Any) -> dict: ...


@runtime_checkable
class EvaluatePart(Protocol):
    def evaluate(self, logits_fn: Any, tokenizer: Any, examples: list, max_length: int) -> dict: ...
    def table(self, metrics: dict) -> list[str]: ...


@runtime_checkable
class FeedbackRules(Protocol):
    """What a rule-based skill's feedback needs; `FeedbackPart` is what a trainable skill's needs."""

    def parse_correction(self, correction: str, inputs: dict, data: dict) -> dict: ...


@runtime_checkable
class FeedbackPart(FeedbackRules, Protocol):
    def output_label(self, data: dict) -> Any: ...
    def correction_draft(self, data: dict) -> str: ...
    def recalled(self, correction: dict, data: dict, inputs: dict) -> tuple[str, dict] | None: ...
    def lexicon(self, correction: dict) -> list: ...
    def gold_label(self, correction: dict, inputs: dict, data: dict) -> Any: ...
    def checked(self, label: Any, inputs: dict) -> Any: ...
    def thumb_down_label(self, data: dict, inputs: dict) -> Any: ...
    def benchmark_example(self, **fields: Any) -> Any: ...
    def shown_label(self, label: Any) -> Any: ...


@runtime_checkable
class RenderPart(Protocol):
    def answer_markdown(self, text: str, data: dict) -> str: ...
    def rationale_lines(self, rationale: dict, data: dict) -> list[str]: ...
    def highlights(self, data: dict, rationale: dict) -> list | None: ...
    def summary(self, data: dict, rationale: dict) -> str: ...
    def legend(self, data: dict) -> str: ...


@runtime_checkable
class RequestsPart(Protocol):
    """Hand-written phrasings for the request model's training data (`skills/request/generate.py` reads the
    constants a skill's way of reading asks for; a skill without them is left out of the generated requests)."""


def part_protocol(part: str, trainable: bool) -> type:
    """The Protocol a skill's module `part` satisfies (a rule-based skill's feedback needs less)."""
    if part == "feedback":
        return FeedbackPart if trainable else FeedbackRules
    parts = {"model": ModelPart, "data": DataPart, "evaluate": EvaluatePart, "render": RenderPart}
    return parts.get(part, RequestsPart)


@dataclass(frozen=True)
class SkillDefinition:
    """A registered skill: its spec and the package whose modules are its parts (imported on first use)."""

    spec: SkillSpec
    package: str  # e.g. "skills.ner"
    _modules: dict[str, ModuleType] = field(default_factory=dict, repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.spec.name

    def part(self, part: str) -> ModuleType:
        """The skill's module `part` (one of PARTS); LookupError when this skill has none."""
        if part not in PARTS:
            raise ValueError(f"unknown skill part {part!r}; expected one of {PARTS}")
        if part not in self._modules:
            try:
                self._modules[part] = importlib.import_module(f"{self.package}.{part}")
            except ModuleNotFoundError as error:
                if error.name != f"{self.package}.{part}":
                    raise
                raise LookupError(f"the {self.name} skill has no {part} part ({self.package}.{part})") from None
            protocol = part_protocol(part, self.spec.has_adapter)
            if not isinstance(self._modules[part], protocol):
                missing = [name for name in _members(protocol) if not hasattr(self._modules[part], name)]
                del self._modules[part]
                raise TypeError(f"{self.package}.{part} lacks {', '.join(missing)} ({protocol.__name__})")
        return self._modules[part]

    def has_part(self, part: str) -> bool:
        try:
            self.part(part)
        except LookupError:
            return False
        return True

    @property
    def model(self) -> ModuleType:
        return self.part("model")

    @property
    def data(self) -> ModuleType:
        return self.part("data")

    @property
    def evaluation(self) -> ModuleType:
        return self.part("evaluate")

    @property
    def feedback(self) -> ModuleType:
        return self.part("feedback")

    @property
    def render(self) -> ModuleType | None:
        """The skill's own rendering, or None: the generic answer text and rationale serve."""
        return self.part("render") if self.has_part("render") else None


def _members(protocol: type) -> list[str]:
    return sorted(n for k in protocol.__mro__ if k is not Protocol for n in vars(k) if not n.startswith("_"))


_REGISTERED: dict[str, SkillDefinition] = {}


def register_skill(definition: SkillDefinition) -> SkillDefinition:
    """Add a skill; ValueError for a second skill of one name, or a second skill that reads the whole message."""
    name = definition.name
    if name in _REGISTERED:
        raise ValueError(f"a skill named {name!r} is already registered (from {_REGISTERED[name].package})")
    if definition.spec.reads == "message" and any(d.spec.reads == "message" for d in _REGISTERED.values()):
        raise ValueError(f"{name}: only one skill may read the whole message (the fallback); {fallback().name} does")
    _REGISTERED[name] = definition
    return definition


def unregister_skill(name: str) -> None:
    """Remove a skill (tests that register a skill of their own take it out again)."""
    _REGISTERED.pop(name, None)


def get_skill(name: str) -> SkillDefinition:
    if name not in _REGISTERED:
        raise KeyError(f"no skill named {name!r}; registered: {', '.join(_REGISTERED)}")
    return _REGISTERED[name]


def registered(*, serving: bool | None = True) -> tuple[SkillDefinition, ...]:
    """The registered skills users talk to, in registration order; `serving=None`: also the models that serve no
    user (the request model), which training and evaluation treat like any skill with an adapter."""
    return tuple(d for d in _REGISTERED.values() if serving is None or d.spec.serves == serving)


def skill_names(*, trainable: bool | None = None, serving: bool | None = True) -> tuple[str, ...]:
    """Names of the registered skills; `trainable=True`: only those with an adapter (they learn from feedback);
    `serving=None`: the models that serve no user too."""
    return tuple(d.name for d in registered(serving=serving) if trainable is None or d.spec.has_adapter == trainable)


def reading(kind: InputKind) -> SkillDefinition:
    """The first registered skill that reads `kind` ("question": the one that answers from passages)."""
    for definition in _REGISTERED.values():
        if definition.spec.reads == kind:
            return definition
    raise LookupError(f"no registered skill reads {kind!r}")


def fallback() -> SkillDefinition:
    """The skill that reads the whole message and answers what no other skill serves (help)."""
    for definition in _REGISTERED.values():
        if definition.spec.reads == "message":
            return definition
    raise LookupError("no registered skill reads the whole message (the fallback, usually help)")
