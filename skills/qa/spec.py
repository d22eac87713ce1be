"""What the QA skill is, without its model: extractive answers (SQuAD-style spans), routing and help text."""

from __future__ import annotations

from skills.registry import DataSpec, SkillSpec

SPEC = SkillSpec(
    name="qa",
    description="answers questions with a span from a passage you paste or from the knowledge base",
    routing_examples=(
        "Context: The Eiffel Tower was finished in 1889. Question: when was the Eiffel Tower finished?",
        "read this: Marie Curie won two Nobel prizes. who won two Nobel prizes?",
        "who founded the company?",
        "when was it built?",
        "where was she born?",
        "what is the capital of the country?",
        "how many people live there?",
        "why did the project fail?",
        "which year did the war end?",
        "what does the document say about refunds?",
        "according to my notes, when is the deadline?",
        "what does the policy say about travel expenses?",
        "according to the text, who won?",
        "which country has the most?",
        "who named it?",
        "when did it happen?",
        "how big is it?",
    ),
    offer="an answer from it",
    reads="question",
    command_example="who signed the contract?",
    head="span",
    head_labels=("start", "end"),
    headline_metric="f1",
    data=DataSpec(
        file_format="SQuAD JSON",
        folder="squad-v1.1",
        files={"train": "dev-split-train.json", "report": "dev-split-test.json"},
        hub_splits={"train": "train", "report": "validation"},
        description="SQuAD v1.1 dev, split by article: dev-split-train.json trains except 5% of its articles that "
        "select; dev-split-test.json (3,068 questions, 12 unseen articles) reports.",
        unit="articles",
        item="questions",
    ),
    correction_help="QA: the right answer",
)
