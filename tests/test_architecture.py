"""The import rule of docs/ARCHITECTURE.md, and the rule that generic code never branches on a skill's name.

Layers, lowest first: `core` < `skills` < `training` < `chatbot` < `bench` / `app.py`. A module imports only its
own layer and those below. A skill's package (`skills/<name>/`) imports the shared skill modules (registry, base,
encoder, ...) and its own modules, never another skill's; no other module of the app or of training imports a
skill's package: they find skills in `skills.registry` (`skills/__init__.py`, the list of built-in skills, is the
one exception; `bench/` measures named skills and may).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from core.config import REPO_ROOT
from skills.registry import registered, skill_names

LAYERS = {"core": 0, "skills": 1, "training": 2, "chatbot": 3, "bench": 4, "app": 4}
PRODUCTION = ("core", "skills", "training", "chatbot")


def imported_modules(source: str) -> list[str]:
    """Every module a source imports, at the top or inside functions."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return found


def skill_package(module: str) -> str | None:
    """`skills.ner.model` -> "skills.ner"; None for the shared skill modules (`skills.registry`, the request model)."""
    for definition in registered():
        if module == definition.package or module.startswith(definition.package + "."):
            return definition.package
    return None


def top_of(module: str) -> str:
    return module.split(".")[0]


def violations(module: str, source: str) -> list[str]:
    """What `module` (dotted name) imports against the rule."""
    layer = LAYERS[module.split(".")[0]]
    own_skill = skill_package(module)
    found = []
    for target in imported_modules(source):
        top = target.split(".")[0]
        if top not in LAYERS:
            continue  # a library
        if LAYERS[top] > layer:
            found.append(f"{module} imports {target} (a higher layer)")
        target_skill = skill_package(target)
        if target_skill is None or target_skill == own_skill or module == "skills" or top_of(module) == "bench":
            continue
        if own_skill is not None:
            found.append(f"{module} imports {target} (another skill's package)")
        else:
            found.append(f"{module} imports {target} (a skill's package: look it up in skills.registry)")
    return sorted(set(found))


def project_modules() -> dict[str, Path]:
    modules = {"app": REPO_ROOT / "app.py"}
    for package in (*PRODUCTION, "bench"):
        for path in (REPO_ROOT / package).rglob("*.py"):
            parts = path.relative_to(REPO_ROOT).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def test_no_module_imports_against_the_layer_rule():
    found = [v for module, path in project_modules().items() for v in violations(module, path.read_text())]
    assert found == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("core.records", "from chatbot.assistant import Reply", "core.records imports chatbot.assistant"),
        ("training.data", "def f():\n    import chatbot.ui", "training.data imports chatbot.ui"),
        ("skills.ner.model", "from skills.qa.model import QASkill", "another skill's package"),
        ("skills.registry", "from training import train", "skills.registry imports training"),
        ("training.train", "from skills.ner.spec import NER_LABELS", "look it up in skills.registry"),
    ],
)
def test_the_rule_catches_an_import_against_it(module, source, expected):
    assert any(expected in v for v in violations(module, source))


def test_a_skill_package_may_import_shared_skill_modules_and_its_own():
    source = (
        "from skills.registry import SkillSpec\nfrom skills.ner.spec import SPEC\nfrom core.errors import InputError"
    )
    assert violations("skills.ner.model", source) == []


def skill_name_comparisons(source: str, names: set[str]) -> list[int]:
    """Lines that compare with a skill's name (`skill == "ner"`, `skill in ("ner", "qa")`) or hold a table keyed
    by two or more skill names."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            literals = [e for o in operands for e in (o.elts if isinstance(o, (ast.Tuple, ast.List, ast.Set)) else [o])]
            if any(isinstance(e, ast.Constant) and e.value in names for e in literals):
                lines.append(node.lineno)
        elif isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
            if len(keys & names) >= 2:
                lines.append(node.lineno)
    return lines


def test_no_code_outside_a_skill_package_compares_with_its_name():
    names = set(skill_names())
    found = []
    for module, path in project_modules().items():
        if module.split(".")[0] not in PRODUCTION:
            continue  # bench/ measures named skills against named baselines
        own = skill_package(module)
        others = names - ({own.split(".")[1]} if own else set())
        found += [f"{path.relative_to(REPO_ROOT)}:{line}" for line in skill_name_comparisons(path.read_text(), others)]
    assert found == []


def test_the_name_check_catches_a_branch_and_a_table():
    names = {"ner", "qa", "sentiment"}
    assert skill_name_comparisons('if skill == "ner":\n    pass', names) == [1]
    assert skill_name_comparisons('x = skill in ("qa", "ner")', names) == [1]
    assert skill_name_comparisons('TABLE = {"ner": 1, "qa": 2}', names) == [1]
    assert skill_name_comparisons('field(metadata={"help": "text"})', names | {"help"}) == []
