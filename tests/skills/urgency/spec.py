"""The urgency skill's spec: two labels, a sequence head, a two-file TSV benchmark."""

from __future__ import annotations

from skills.registry import DataSpec, SkillSpec

LABELS = ("routine", "urgent")

SPEC = SkillSpec(
    name="urgency",
    description="tells whether a message is urgent or can wait",
    routing_examples=("is this urgent: the server is down", "how urgent is this message", "can this wait?"),
    reads="text",
    command_example="the printer is out of paper",
    labels=LABELS,
    head="sequence",
    head_labels=LABELS,
    headline_metric="accuracy",
    data=DataSpec(
        folder="urgency",
        files={"train": "train.tsv", "select": "select.tsv", "report": "report.tsv"},
        hub_splits={"train": "train", "report": "test"},
        description="Hand-written messages, one `text<TAB>label` per line.",
        file_format="urgency TSV",
    ),
    correction_help="urgency: urgent",
)
