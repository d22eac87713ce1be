"""The product and brand sentences for NER training: tags on whole names, CoNLL's types, readable by the trainer."""

from __future__ import annotations

from skills.ner.data import bio_entities, provenance, read_conll
from skills.ner.generate import MAKERS, generate, to_conll


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
