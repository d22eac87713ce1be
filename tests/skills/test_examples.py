"""The example index behind "similar examples the model learned from": labels from gold data, FAISS build, search,
append, save and load, on a few sentences with the real packaged encoder."""

from __future__ import annotations

import gzip
import json
import shutil

import faiss
import numpy as np
import pytest

from core.config import REPO_ROOT
from skills.examples import INDEX_FILE, PQ_SUBQUANTIZERS, RECORDS_FILE, ExampleIndex, new_faiss_index
from skills.ner.data import TaggedSentence, bio_entities
from skills.qa.data import QAExample
from skills.sentiment.data import LabeledText
from skills.words import detokenize
from training.example_index import (
    distinct_sample,
    example_record,
    feedback_record,
    index_examples,
)
from training.feedback import FeedbackExample

SENTENCES = [
    ("the film was a delight from start to finish", "positive"),
    ("a wonderful , moving performance", "positive"),
    ("the plot is dull and the acting is wooden", "negative"),
    ("a tedious , overlong mess", "negative"),
    ("the stock market fell sharply on monday", "negative"),
    ("heavy rain flooded the streets of the city", "negative"),
]


def records(pairs=SENTENCES, source="training"):
    return [{"text": text, "label": label, "source": source} for text, label in pairs]


def unit_vectors(count: int, seed: int = 0) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(count, 384)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def encoder():
    from skills.encoder import SharedEncoder

    return SharedEncoder()


def test_entities_come_from_bio_tags_whole_and_typed():
    tokens = ["Peter", "Blackburn", "visited", "Spain", "Italy", "and", "the", "United", "Nations", "."]
    tags = ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "O", "O", "B-ORG", "I-ORG", "O"]
    assert bio_entities(tokens, tags) == [
        {"text": "Peter Blackburn", "type": "PER"},
        {"text": "Spain", "type": "LOC"},
        {"text": "Italy", "type": "LOC"},
        {"text": "United Nations", "type": "ORG"},
    ]
    # An I- tag of another type (or with no B- before it) starts an entity of its own.
    assert bio_entities(["EU", "German", "Reuters"], ["I-ORG", "I-MISC", "I-MISC"]) == [
        {"text": "EU", "type": "ORG"},
        {"text": "German Reuters", "type": "MISC"},
    ]
    assert bio_entities(["no", "names"], ["O", "O"]) == []


def test_records_hold_what_the_skill_reads_and_its_gold_label():
    sentence = TaggedSentence(["Rain", "fell", "in", "London", "."], ["O", "O", "O", "B-LOC", "O"])
    assert example_record("ner", sentence) == {
        "text": "Rain fell in London.",
        "label": [{"text": "London", "type": "LOC"}],
        "source": "training",
    }
    review = example_record("sentiment", LabeledText("it 's a charming journey , is n't it ? ", 1), source="feedback")
    assert review == {"text": "it's a charming journey, isn't it?", "label": "positive", "source": "feedback"}
    assert example_record("sentiment", LabeledText("dull", 0))["label"] == "negative"
    qa = QAExample("q1", "Super_Bowl_50", "Who won?", "Denver won.", ["Denver", "Denver"], [0, 0])
    assert example_record("qa", qa) == {
        "text": "Who won?",
        "label": {"answer": "Denver", "title": "Super_Bowl_50"},
        "source": "training",
    }
    assert detokenize(["(", "a", ")", "$", "5", "does", "n't"]) == "(a) $5 doesn't"


def test_accepted_feedback_becomes_records_in_the_users_own_text():
    def example(skill, text, label, **extra):
        return FeedbackExample(skill, "gold", text, label, 1.0, (1,), (1,), ("s",), **extra)

    entity = {"text": "zorvik", "type": "PER", "start": 0, "end": 6}
    assert feedback_record(example("ner", "zorvik went home, early", [entity])) == {
        "text": "zorvik went home, early",
        "label": [{"text": "zorvik", "type": "PER"}],
        "source": "feedback",
    }
    assert feedback_record(example("sentiment", "meh", "negative"))["label"] == "negative"
    answer = example("qa", "Who won?", {"answer": "Denver", "start": 0}, question="Who won?", passage="Denver won.")
    assert feedback_record(answer) == {
        "text": "Who won?",
        "label": {"answer": "Denver", "title": None},
        "source": "feedback",
    }


def test_distinct_sample_drops_repeated_texts_and_caps_with_a_seed_in_data_order():
    many = records([(f"text {i % 50}", "positive") for i in range(80)])
    distinct = distinct_sample(many, cap=100, seed=1)
    assert [r["text"] for r in distinct] == [f"text {i}" for i in range(50)]
    sample = distinct_sample(many, cap=10, seed=1)
    assert len(sample) == 10 and sample == distinct_sample(many, cap=10, seed=1)
    positions = [int(r["text"].split()[1]) for r in sample]
    assert positions == sorted(positions) and sample != distinct_sample(many, cap=10, seed=2)


def test_small_sets_get_an_exact_index_large_ones_48_byte_product_codes():
    assert isinstance(new_faiss_index(384, 2_000), faiss.IndexFlatIP)
    large = new_faiss_index(384, 2_001)
    assert isinstance(large, faiss.IndexPQ) and large.metric_type == faiss.METRIC_INNER_PRODUCT
    assert large.code_size == PQ_SUBQUANTIZERS == 48
    with pytest.raises(ValueError, match="does not divide"):
        new_faiss_index(100, 5_000)


def test_pq_index_finds_a_stored_vector_and_keeps_its_codebooks_when_extended(tmp_path):
    vectors = unit_vectors(600)
    many = records([(f"example {i}", "positive") for i in range(600)])
    index = ExampleIndex.build(many, vectors, flat_limit=100)
    assert index.kind == "pq"
    (found,) = index.nearest(vectors[42], k=1)
    assert found.text == "example 42" and found.approximate  # PQ scores are approximate
    codebooks = faiss.vector_to_array(index.index.pq.centroids).copy()
    index.add(records([("from a user", "negative")], source="feedback"), -vectors[:1])
    assert np.array_equal(faiss.vector_to_array(index.index.pq.centroids), codebooks)
    (found,) = index.nearest(-vectors[0], k=1)
    assert (found.text, found.label, found.source) == ("from a user", "negative", "feedback")
    index.save(tmp_path)
    loaded = ExampleIndex.load(tmp_path)
    assert loaded.kind == "pq" and len(loaded) == 601
    assert loaded.nearest(vectors[7], k=3) == index.nearest(vectors[7], k=3)
    assert (tmp_path / INDEX_FILE).stat().st_size < 600 * 48 + 48 * 256 * 8 * 4 + 4096  # codes + codebooks


@pytest.mark.slow
def test_nearest_examples_by_meaning_with_labels_and_scores(encoder, tmp_path):
    texts = [text for text, _ in SENTENCES]
    index = ExampleIndex.build(records(), encoder.embed(texts), encoder.embed)
    assert index.kind == "flat" and index.summary()["by_source"] == {"training": 6}
    found = index.nearest("what a lovely, touching movie", k=3)
    assert len(found) == 3
    assert (found[0].text, found[0].label, found[0].source) == (texts[0], "positive", "training")
    assert not found[0].approximate
    assert {e.text for e in found} <= set(texts[:4])  # film reviews come before the news
    assert found[0].score > found[1].score >= found[2].score
    assert found[0].score == pytest.approx(
        float(encoder.embed(["what a lovely, touching movie"])[0] @ (encoder.embed([found[0].text])[0])), abs=1e-4
    )  # exact cosine similarity
    assert len(index.nearest("anything", k=50)) == 6

    index.add(
        records([("the market crashed on tuesday", "negative")], "feedback"),
        encoder.embed(["the market crashed on tuesday"]),
    )
    index.save(tmp_path)
    loaded = ExampleIndex.load(tmp_path, encoder.embed)
    top = loaded.nearest("shares dropped on wall street", k=2)
    assert {e.text for e in top} == {"the stock market fell sharply on monday", "the market crashed on tuesday"}
    with gzip.open(tmp_path / RECORDS_FILE, "rt") as lines:
        stored = [json.loads(line) for line in lines]
    assert stored[-1] == {"text": "the market crashed on tuesday", "label": "negative", "source": "feedback"}


def test_a_folder_without_an_index_has_none_and_a_half_index_is_refused(tmp_path):
    assert ExampleIndex.load(tmp_path) is None
    ExampleIndex.build(records(), unit_vectors(len(SENTENCES))).save(tmp_path)
    (tmp_path / RECORDS_FILE).unlink()
    with pytest.raises(ValueError, match="only one of"):
        ExampleIndex.load(tmp_path)
    with pytest.raises(ValueError, match="unknown example source"):
        ExampleIndex.build(records(source="guess"), unit_vectors(len(SENTENCES)))


@pytest.mark.slow
def test_training_examples_are_indexed_into_a_bundle_with_their_record(encoder, tmp_path):
    sentences = [
        TaggedSentence(["Peter", "Blackburn", "visited", "Paris", "."], ["B-PER", "I-PER", "O", "B-LOC", "O"]),
        TaggedSentence(["Reuters", "reported", "the", "news", "."], ["B-ORG", "O", "O", "O", "O"]),
        TaggedSentence(["Reuters", "reported", "the", "news", "."], ["B-ORG", "O", "O", "O", "O"]),
        TaggedSentence(["Rain", "fell", "in", "London", "."], ["O", "O", "O", "B-LOC", "O"]),
    ]
    record = index_examples("ner", sentences, tmp_path, encoder.embed, seed=13, cap=2)
    assert record["training_examples"] == 4 and record["distinct_texts"] == 3 and record["examples"] == 2
    assert record["index"].startswith("flat")
    index = ExampleIndex.load(tmp_path, encoder.embed)
    assert len(index) == 2 and all(isinstance(r["label"], list) for r in index.records)


@pytest.mark.slow
def test_the_encoder_swaps_a_bundles_index_with_its_adapter(encoder, tmp_path):
    from skills.sentiment.model import SentimentSkill

    with_index, without_index = tmp_path / "with", tmp_path / "without"
    released = REPO_ROOT / "adapters" / "sentiment"
    for folder in (with_index, without_index):
        shutil.copytree(released, folder, ignore=shutil.ignore_patterns("examples.*"))
    texts = [text for text, _ in SENTENCES]
    ExampleIndex.build(records(), encoder.embed(texts)).save(with_index)

    encoder.load_adapter("sentiment", with_index)
    skill = SentimentSkill(encoder)
    (nearest,) = skill.similar_examples("a tedious and overlong film", k=1)
    assert nearest.text == "a tedious , overlong mess" and nearest.label == "negative"
    encoder.load_adapter("sentiment", without_index)  # a hot swap to a version without an index
    assert skill.similar_examples("a tedious and overlong film") is None
    assert "sentiment" not in encoder.example_indexes
