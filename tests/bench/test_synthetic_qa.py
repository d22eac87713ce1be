"""Synthetic cloze questions from training articles, and the check that extra questions never leak held-out ones."""

from __future__ import annotations

import json
import random

import pytest

from bench.synthetic_qa import SPACY_MODEL, Entity, cloze_question, main, questions_for_paragraph, to_squad_json
from skills.qa.data import read_squad
from training.data import extra_training_examples, load_split, training_examples
from training.train import TrainConfig

PARAGRAPH = "Nikola Tesla moved to New York in 1884. He worked for Thomas Edison for a short time before he left."


def ask(sentence: str, answer: str, label: str) -> str | None:
    start = sentence.index(answer)
    return cloze_question(sentence, start, start + len(answer), label)


def test_the_entity_is_replaced_by_the_wh_phrase_of_its_type():
    sentence = "Tesla moved to New York in 1884 to work for Edison."
    assert ask(sentence, "Tesla", "PERSON") == "Who moved to New York in 1884 to work for Edison?"
    assert ask(sentence, "1884", "DATE") == "Tesla moved to New York when to work for Edison?"
    assert ask("The Normans lived in Normandy in the 10th century.", "10th century", "DATE") == (
        "The Normans lived in Normandy when?"
    )
    assert ask("The theory was proposed by the Royal Society in 1662.", "Royal Society", "ORG") == (
        "The theory was proposed by which organization in 1662?"
    )


def test_sentences_too_short_or_long_answers_and_unknown_types_give_no_question():
    assert ask("Tesla moved in 1884.", "1884", "DATE") is None
    long_answer = "the one two three four five six seven eight nine"
    assert ask(f"They built {long_answer} houses over the years.", long_answer, "CARDINAL") is None
    assert ask("Tesla moved to New York in 1884 to work.", "New York", "NOT_A_TYPE") is None


def entities() -> list[Entity]:
    first_end = PARAGRAPH.index(".") + 1
    return [
        Entity(0, 12, "PERSON", 0, first_end),
        Entity(PARAGRAPH.index("1884"), PARAGRAPH.index("1884") + 4, "DATE", 0, first_end),
        Entity(PARAGRAPH.index("Thomas"), PARAGRAPH.index("Thomas") + 13, "PERSON", first_end + 1, len(PARAGRAPH)),
    ]


def test_each_question_comes_from_another_sentence_and_its_answer_is_the_entity():
    examples = questions_for_paragraph("Tesla", PARAGRAPH, entities(), 3, random.Random(0), 7)
    assert len(examples) == 2  # two sentences
    for example in examples:
        start, (answer,) = example.answer_starts[0], example.answers
        assert PARAGRAPH[start : start + len(answer)] == answer and answer not in example.question
        assert example.context == PARAGRAPH and example.question.endswith("?") and example.id.startswith("synthetic-7")
    assert len(questions_for_paragraph("Tesla", PARAGRAPH, entities(), 1, random.Random(0), 7)) == 1


def test_the_squad_json_reads_back_as_the_same_examples(tmp_path):
    examples = questions_for_paragraph("Tesla", PARAGRAPH, entities(), 3, random.Random(0), 0)
    path = tmp_path / "synthetic.json"
    path.write_text(json.dumps(to_squad_json(examples)))
    assert read_squad(path) == examples


def write_squad(path, articles: list[str]) -> None:
    data = [
        {
            "title": title,
            "paragraphs": [
                {
                    "context": f"{PARAGRAPH} This paragraph is about {title}.",
                    "qas": [
                        {
                            "id": title,
                            "question": "Who moved?",
                            "answers": [{"text": "Nikola Tesla", "answer_start": 0}],
                        }
                    ],
                }
            ],
        }
        for title in articles
    ]
    path.write_text(json.dumps({"version": "1.1", "data": data}))


@pytest.fixture()
def squad_dir(tmp_path):
    folder = tmp_path / "squad-v1.1"
    folder.mkdir()
    write_squad(folder / "dev-split-train.json", [f"Article {i}" for i in range(20)])
    write_squad(folder / "dev-split-test.json", ["Report article"])
    return folder


def needs_spacy():
    """The cloze questions come from spaCy's entities: the `bench` extra installs it (CI does)."""
    pytest.importorskip("spacy", reason="spaCy is in the bench extra: pip install -e '.[bench]'")
    pytest.importorskip(SPACY_MODEL, reason="spaCy's model is in the bench extra: pip install -e '.[bench]'")


def test_questions_are_made_from_training_articles_only(squad_dir, tmp_path):
    needs_spacy()
    out = tmp_path / "synthetic.json"
    assert main(["--data", str(squad_dir), "--out", str(out), "--per-paragraph", "2"]) == 0
    made = read_squad(out)
    training_titles = {e.title for e in training_examples("qa", squad_dir)}
    assert made and {e.title for e in made} <= training_titles
    assert extra_training_examples("qa", out, squad_dir) == made


def test_extra_questions_from_a_selection_or_report_article_are_refused(squad_dir, tmp_path):
    held_out = load_split("qa", squad_dir, "select") + load_split("qa", squad_dir, "report")
    for example in held_out:
        leak = tmp_path / "leak.json"
        leak.write_text(json.dumps(to_squad_json([example])))
        with pytest.raises(ValueError, match=r"1 of 1 questions .* come from selection or report articles"):
            extra_training_examples("qa", leak, squad_dir)


def test_extra_training_examples_are_for_the_skills_that_check_their_provenance(squad_dir, tmp_path):
    extra = tmp_path / "extra.json"
    write_squad(extra, ["Article 0"])
    expected = "extra_train takes a CoNLL column file for the ner skill or a SQuAD JSON file for the qa skill"
    with pytest.raises(ValueError, match=expected):
        TrainConfig(skill="sentiment", data=str(squad_dir), out=tmp_path / "out", extra_train=extra)
    with pytest.raises(ValueError, match=r"or a SQuAD JSON file for the qa skill: qa, .*missing\.json"):
        TrainConfig(skill="qa", data=str(squad_dir), out=tmp_path / "out", extra_train=tmp_path / "missing.json")


@pytest.mark.slow
def test_a_qa_run_trains_on_the_extra_questions_too(squad_dir, tmp_path):
    from training.train import main as train

    needs_spacy()
    extra = tmp_path / "synthetic.json"
    main(["--data", str(squad_dir), "--out", str(extra)])
    base = ["--skill", "qa", "--data", str(squad_dir), "--epochs", "1", "--batch-size", "8", "--max-length", "160"]
    info = train([*base, "--out", str(tmp_path / "qa"), "--extra-train", str(extra)])
    assert info.training["train_examples"] == len(training_examples("qa", squad_dir)) + len(read_squad(extra))
    assert info.training["config"]["extra_train"] == str(extra)
