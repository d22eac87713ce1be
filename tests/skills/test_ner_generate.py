"""The product and brand sentences for NER training: tags on whole names, CoNLL's types, readable by the trainer."""

from __future__ import annotations

from skills.ner.data import bio_entities, provenance, read_conll
from skills.ner.generate import MAKERS, SLANG, generate, generate_chat, main, to_conll


def test_generated_sentences_are_seeded_and_tag_whole_names():
    first, again, other = generate(200, seed=3), generate(200, seed=3), generate(200, seed=4)
    assert first == again and first != other
    entities = [e for s in first for e in bio_entities(s.tokens, s.tags)]
    products = {p for lines in MAKERS.values() for p in lines}
    for entity in (e for e in entities if e["type"] == "MISC" and e["text"] not in products):
        maker, _, product = entity["text"].partition(" ")
        if maker in MAKERS:  # a product with its maker in front is one name
            assert product in MAKERS[maker]
    assert {e["type"] for e in entities} == {"PER", "ORG", "LOC", "MISC"}
    assert any(e["text"] == "Samsung" and e["type"] == "ORG" for e in entities)


def test_generated_sentences_round_trip_through_the_conll_reader(tmp_path):
    sentences = generate(50, seed=1)
    path = tmp_path / "products.conll"
    path.write_text(to_conll(sentences))
    assert read_conll(path) == sentences
    assert provenance(sentences[0]) == {("sentence", " ".join(sentences[0].tokens).lower())}


def test_chat_messages_tag_names_and_never_slang_or_an_events_the():
    messages = generate_chat(400, seed=3)
    assert messages == generate_chat(400, seed=3)
    entities = [e for s in messages for e in bio_entities(s.tokens, s.tags)]
    assert {e["type"] for e in entities} == {"PER", "ORG", "LOC", "MISC"}
    slang = set(SLANG)
    for sentence in messages:
        assert all(
            tag == "O" for word, tag in zip(sentence.tokens, sentence.tags, strict=True) if word.lower() in slang
        )
    assert not any(e["text"].lower().startswith("the ") for e in entities)
    assert any(all(tag == "O" for tag in s.tags) for s in messages)  # some name nothing at all
    assert any(s.tokens == [t.lower() for t in s.tokens] and any(t != "O" for t in s.tags) for s in messages)


def test_the_chat_option_adds_messages_after_the_same_product_sentences(tmp_path):
    alone, both = tmp_path / "products.conll", tmp_path / "both.conll"
    main(["--out", str(alone), "--n", "30", "--seed", "5"])
    main(["--out", str(both), "--n", "30", "--chat", "20", "--seed", "5"])
    products, mixed = read_conll(alone), read_conll(both)
    assert mixed[:30] == products and len(mixed) == 50
