from __future__ import annotations

from skills.ner.data import align_word_labels, iob1_to_bio, parse_conll
from training.data import hold_out


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


# The hub's copies of the benchmarks, as `datasets` builds them (features included), without the network.
def hub_tables():
    import datasets

    ner_tags = datasets.Sequence(datasets.ClassLabel(names=["O", "B-PER", "I-PER", "B-ORG", "I-ORG"]))
    ner = datasets.Dataset.from_dict(
        {"tokens": [["Priya", "Nair", "joined", "Infosys"]], "ner_tags": [[1, 2, 0, 3]]},
        features=datasets.Features({"tokens": datasets.Sequence(datasets.Value("string")), "ner_tags": ner_tags}),
    )
    sst = datasets.Dataset.from_dict({"sentence": ["a dull film ", "warm and funny", "unlabeled"], "label": [0, 1, -1]})
    squad = datasets.Dataset.from_dict(
        {
            "id": ["q1"],
            "title": ["Pune"],
            "context": ["Pune is a city in India."],
            "question": ["Where is Pune?"],
            "answers": [{"text": ["India", "in India"], "answer_start": [18, 15]}],
        }
    )
    return {"ner": ner, "sentiment": sst, "qa": squad}


def test_hub_rows_become_the_same_examples_as_the_local_files():
    from skills.ner.data import TaggedSentence
    from skills.ner.data import from_hub_rows as ner_rows
    from skills.qa.data import QAExample
    from skills.qa.data import from_hub_rows as qa_rows
    from skills.sentiment.data import LabeledText
    from skills.sentiment.data import from_hub_rows as sentiment_rows

    tables = hub_tables()
    assert ner_rows(tables["ner"], tables["ner"].features) == [
        TaggedSentence(["Priya", "Nair", "joined", "Infosys"], ["B-PER", "I-PER", "O", "B-ORG"])
    ]
    # the hub's unlabeled test rows (label -1) are left out
    expected = [LabeledText("a dull film", 0), LabeledText("warm and funny", 1)]
    assert sentiment_rows(tables["sentiment"]) == expected
    assert qa_rows(tables["qa"]) == [
        QAExample("q1", "Pune", "Where is Pune?", "Pune is a city in India.", ["India", "in India"], [18, 15])
    ]


def test_hub_names_read_the_hubs_split_for_each_role(monkeypatch):
    import datasets

    from training.data import load_split, training_examples

    asked = []

    def load_dataset(repo, config=None, split=None):
        asked.append((repo, config, split))
        return hub_tables()["ner" if "conll" in repo else "sentiment"]

    monkeypatch.setattr(datasets, "load_dataset", load_dataset)
    assert len(load_split("ner", "eriktks/conll2003", "report")) == 1
    assert load_split("ner", "eriktks/conll2003", "select")[0].tags[0] == "B-PER"
    # SST-2 has no selection split: a seeded part of train is held out, as for the local folder
    selected = load_split("sentiment", "nyu-mll/glue:sst2", "select")
    trained = training_examples("sentiment", "nyu-mll/glue:sst2")
    assert len(selected) == 1 and len(trained) == 1 and selected != trained
    assert asked == [
        ("eriktks/conll2003", None, "test"),
        ("eriktks/conll2003", None, "validation"),
        ("nyu-mll/glue", "sst2", "train"),
        ("nyu-mll/glue", "sst2", "train"),
    ]


def test_an_unknown_name_offline_fails_naming_it_and_the_way_out(monkeypatch, tmp_path):
    import pytest

    from training.data import is_hub_name, load_split

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # an empty cache: nothing to fall back on
    with pytest.raises(ValueError, match="'someone/no-such-set' is neither a local folder nor a data set the hub"):
        load_split("sentiment", "someone/no-such-set", "report")
    assert is_hub_name("stanfordnlp/sst2") and not is_hub_name(tmp_path)
    assert not is_hub_name("../shared/data/missing")  # written as a path: a missing folder, not a hub name


def test_sst2_whole_sentences_are_the_rows_no_other_row_contains_as_words():
    from skills.sentiment.data import whole_sentences

    texts = ["a warm , funny film", "warm , funny", "funny", "the plot is dull", "dull", "fun"]
    # "fun" is inside "funny" as letters, not as a word: it is a row of its own
    assert whole_sentences(texts) == {"a warm , funny film", "the plot is dull", "fun"}


def test_sst2_selects_on_held_out_whole_sentences_and_trains_on_none_of_their_phrases():
    from skills.sentiment.data import LabeledText as T
    from skills.sentiment.data import selection_split

    sentence = T("the plot is dull and the cast is flat", 0)
    held_out = [sentence, T("the plot", 0), T("so funny", 1), sentence]
    train = [T("dull", 0), T("the cast", 1), T("a so funny film", 1), T("funny", 1), T("flat out great", 1)]
    kept, select = selection_split(train, held_out)
    # "the plot" is a phrase of the held-out sentence and "so funny" of a training one: neither selects
    assert select == [sentence]
    # "dull" and "the cast" are words of the selection sentence: they leave training; "flat out great" only shares
    # a word with it
    assert kept == [T("a so funny film", 1), T("funny", 1), T("flat out great", 1)]


def test_sst2_selection_is_topped_up_with_training_sentences_to_its_share():
    from skills.sentiment.data import SELECTION_SHARE, selection_split
    from skills.sentiment.data import LabeledText as T

    sentences = [T(f"film number {n} was {'great' if n % 2 else 'awful'}", n % 2) for n in range(20)]
    held_out = [sentences[0]]
    train = [*sentences[1:], T("was great", 1)]
    kept, select = selection_split(train, held_out)
    wanted = round(20 * SELECTION_SHARE)
    # the slice's own sentence first, then the training part's in their (seeded) order
    assert select == sentences[:wanted]
    # "was great" is a phrase of the selected "film number 1 was great": it leaves training with it
    assert kept == sentences[wanted:]


def test_sentiment_selection_split_is_whole_sentences_held_out_from_training(monkeypatch, tmp_path):
    from skills.sentiment.data import word_runs
    from training import data

    sentences = [
        f"the {adjective} film about {topic} was {verdict}"
        for adjective in ("long", "short", "new")
        for topic in ("war", "love", "money", "dogs")
        for verdict in ("great", "awful")
    ]
    rows = [(s, int(s.endswith("great"))) for s in sentences]
    rows += [(" ".join(s.split()[:3]), 1) for s in sentences] + [("great", 1), ("awful", 0), ("was awful", 0)]
    folder = tmp_path / "sst2"
    folder.mkdir()
    text = "sentence\tlabel\n" + "".join(f"{s} \t{label}\n" for s, label in rows)
    (folder / "train.tsv").write_text(text, encoding="utf-8")
    monkeypatch.setattr(data, "SELECT_FRACTION", 0.3)  # a slice big enough to hold several of 24 sentences

    select = data.load_split("sentiment", folder, "select")
    trained = data.training_examples("sentiment", folder)
    held_out = {t.text for t in data.hold_out(data.read_split("sentiment", folder, "train"), 0.3, 13)[1]}
    # every whole sentence of the held-out slice selects, with its label, and nothing else does
    assert {t.text for t in select} == held_out & set(sentences) != set()
    assert all(t.label == int(t.text.endswith("great")) for t in select)
    # no word run of a selection sentence trains; the sentences outside the slice all do
    phrases = set().union(*(word_runs(t.text) for t in select))
    assert not phrases & {t.text for t in trained}
    assert set(sentences) - held_out <= {t.text for t in trained}
    sources = data.split_sources("sentiment")
    assert "whole sentences" in sources["select"]["part"] and "minus every phrase" in sources["train"]["part"]
