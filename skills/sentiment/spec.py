"""What the sentiment skill is, without its model: SST-2's two labels, routing and help text."""

from __future__ import annotations

from skills.registry import DataSpec, SkillSpec

LABELS = ("negative", "positive")

SPEC = SkillSpec(
    name="sentiment",
    description="tells whether a text is positive or negative, and which words drove the decision",
    routing_examples=(
        "what's the sentiment of: the food was cold and the waiter was rude",
        "what's the sentiment of",
        "is this positive or negative",
        "is this review positive or negative: a beautiful, moving film",
        "how does this sound: I absolutely loved the concert",
        "sentiment of this tweet: worst customer service ever",
        "I loved this movie, the acting was wonderful",
        "the plot was dull and I will never watch it again",
        "this phone is a total waste of money",
        "what a fantastic experience, highly recommended",
        "is it positive?",
        "was that negative?",
        "how does it feel?",
        "what is the mood of this text?",
        "analyse the tone of this message",
        "classify the sentiment",
    ),
    offer="its sentiment",
    reads="text",
    command_example="the film was a delight",
    labels=LABELS,
    head="sequence",
    head_labels=LABELS,
    headline_metric="accuracy",
    data=DataSpec(
        file_format="SST-2 TSV",
        folder="sst2",
        files={"train": "train.tsv", "report": "dev.tsv"},
        hub_splits={"train": "train", "report": "validation"},
        description=(
            "SST-2 (GLUE): train.tsv trains except a 5% held-out slice; whole sentences select: that slice's, topped "
            "up from the training part's to 15% of all (none of their phrases trains); dev.tsv reports."
        ),
        unit="phrases",
        select_part=(
            "its whole sentences (rows no other row contains as a run of words), topped up with the first whole "
            "sentences of the training part in the same seeded order to 15% of all whole sentences"
        ),
        train_part="minus every phrase of a selection sentence (its own selection sentences included)",
        # ../shared/data/sst2/SOURCE.md: "GLUE defers to the original dataset's terms ... No explicit license".
        withheld="SST-2, from the Stanford Sentiment Treebank, states no licence that allows redistributing its text",
    ),
    correction_help="sentiment: positive",
)
