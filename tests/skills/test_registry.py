"""The skill registry: specs are validated, names are unique, every registered part has the functions its role
needs, and reading specs loads no model."""

from __future__ import annotations

import dataclasses

import pytest

from skills.registry import (
    PARTS,
    SkillDefinition,
    fallback,
    get_skill,
    part_protocol,
    reading,
    register_skill,
    registered,
    skill_names,
)


def test_the_built_in_skills_are_registered_in_order():
    assert skill_names() == ("ner", "sentiment", "qa", "help")
    assert skill_names(trainable=True) == ("ner", "sentiment", "qa")
    assert (fallback().name, reading("question").name) == ("help", "qa")


@pytest.mark.parametrize("definition", registered(), ids=lambda d: d.name)
def test_every_part_of_a_skill_has_what_its_role_needs(definition):
    parts = [part for part in PARTS if definition.has_part(part)]
    assert "model" in parts
    if definition.spec.has_adapter:
        assert set(parts) >= set(PARTS) - {"requests"}
    for part in parts:
        assert isinstance(definition.part(part), part_protocol(part, definition.spec.has_adapter)), part


def test_a_part_without_a_needed_function_is_refused_naming_it():
    spec = dataclasses.replace(get_skill("sentiment").spec, name="broken")
    broken = SkillDefinition(spec, "tests.skills.broken")
    with pytest.raises(TypeError, match=r"tests\.skills\.broken\.evaluate lacks table"):
        broken.part("evaluate")
    with pytest.raises(LookupError, match="the broken skill has no data part"):
        broken.part("data")


def test_names_are_unique_and_only_one_skill_is_the_fallback():
    with pytest.raises(ValueError, match="'ner' is already registered"):
        register_skill(get_skill("ner"))
    second_help = dataclasses.replace(get_skill("help").spec, name="chitchat")
    with pytest.raises(ValueError, match="only one skill may read the whole message"):
        register_skill(SkillDefinition(second_help, "skills.help"))
    assert "chitchat" not in skill_names()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "Named Entities"}, "a skill name is lowercase"),
        ({"reads": "image"}, "reads must be one of"),
        ({"data": None}, "an adapter skill needs head, head_labels, headline_metric and data"),
        ({"routing_examples": ()}, "at least one routing example"),
    ],
)
def test_a_spec_is_checked_when_it_is_made(changes, message):
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(get_skill("ner").spec, **changes)
