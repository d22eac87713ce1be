from __future__ import annotations

from training.data import align_word_labels, hold_out, iob1_to_bio, parse_conll


def test_iob1_to_bio_opens_entities_with_b():
    assert iob1_to_bio(["I-ORG", "O", "I-MISC", "I-MISC", "I-PER", "B-PER", "I-PER"]) == [
        "B-ORG",
        "O",
        "B-MISC",
        "I-MISC",
        "B-PER",
        "B-PER",
        "I-PER",
    ]


def test_parse_conll_splits_sentences_and_skips_docstart():
    lines = [
        "-DOCSTART- -X- O O",
        "",
        "EU NNP I-NP I-ORG",
        "rejects VBZ I-VP O",
        "",
        "Peter NNP I-NP I-PER",
        " ",
    ]
    sentences = parse_conll(lines)
    assert [s.tokens for s in sentences] == [["EU", "rejects"], ["Peter"]]
    assert [s.tags for s in sentences] == [["B-ORG", "O"], ["B-PER"]]


def test_align_word_labels_marks_only_first_sub_tokens():
    assert align_word_labels([None, 0, 0, 1, None], ["B-PER", "O"]) == [-100, 1, -100, 0, -100]


def test_hold_out_keeps_groups_together_and_is_deterministic():
    items = [(g, i) for g in "abcdefghij" for i in range(3)]
    train, select = hold_out(items, 0.2, seed=1, group=lambda x: x[0])
    assert {g for g, _ in train}.isdisjoint({g for g, _ in select})
    assert len(train) + len(select) == len(items)
    assert hold_out(items, 0.2, seed=1, group=lambda x: x[0]) == (train, select)
