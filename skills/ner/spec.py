"""What the NER skill is, without its model: CoNLL-2003's entity types, its BIO labels, routing and help text."""

from __future__ import annotations

from skills.registry import DataSpec, SkillSpec

ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")
NER_LABELS = ["O"] + [f"{prefix}-{kind}" for kind in ENTITY_TYPES for prefix in ("B", "I")]
TYPE_NAMES = {"PER": "person", "ORG": "organisation", "LOC": "location", "MISC": "other name"}

SPEC = SkillSpec(
    name="ner",
    description="finds people, organisations, places and other names in a text, with their positions",
    routing_examples=(
        "find the names in: Priya Nair joined Infosys in Pune",
        "find the names in",
        "which people, organisations and places are mentioned in",
        "find the entities in this sentence: Angela Merkel met Emmanuel Macron in Berlin",
        "which people and places are mentioned here: Tim Cook visited the Apple store in Tokyo",
        "extract the organisations from: Google and Microsoft opened offices in London",
        "tag the named entities: The United Nations met in Geneva on Monday",
        "who and where is mentioned in: Lionel Messi signed for Inter Miami in Florida",
        "list the companies in this text",
        "and who is in it?",
        "who is mentioned in it?",
        "what names are in that?",
        "which places does it mention?",
        "highlight the people and locations",
        "named entity recognition please",
        "ner on this: Barack Obama was born in Hawaii",
    ),
    offer="the names in it",
    reads="text",
    command_example="Priya Nair joined Infosys in Pune",
    labels=ENTITY_TYPES,
    head="token",
    head_labels=tuple(NER_LABELS),
    headline_metric="f1_any_case",  # mean F1 as written and lowercased (evaluate.py)
    data=DataSpec(
        file_format="CoNLL column",
        folder="conll2003",
        files={"train": "eng.train", "select": "eng.testa", "report": "eng.testb"},
        hub_splits={"train": "train", "select": "validation", "report": "test"},
        description="CoNLL-2003 English (Reuters news; research use only): eng.train trains, eng.testa selects, "
        "eng.testb reports. IOB1 tags converted to BIO; each training sentence also lowercased (skills/ner/data.py); "
        "scored on the app's path over raw text, as written and lowercased.",
        withheld="CoNLL-2003 is Reuters news text for research use only, which may not be redistributed",
    ),
    correction_help="names: Pune=LOC changes or adds, -Pune removes",
)
