"""The adapter registry on disk: versions, the atomic `CURRENT`, promote, rollback and the CLI."""

from __future__ import annotations

import json
import os

import pytest

from core.registry import AdapterRegistry, RegistryError, VersionRecord, main, now_iso


def bundle(folder, version: str):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bundle.json").write_text(json.dumps({"skill": "ner", "version": version}))
    (folder / "adapter_model.safetensors").write_bytes(b"weights " + version.encode())
    return folder


def add_version(registry: AdapterRegistry, version: str, status: str = "promoted", promote: bool = True) -> None:
    staging = bundle(registry.staging("ner", version), version)
    registry.add(staging, VersionRecord("ner", version, status, now_iso(), parent=registry.current("ner")))
    if promote:
        registry.promote("ner", version, "test")


@pytest.fixture()
def registry(tmp_path):
    registry = AdapterRegistry(tmp_path / "registry")
    registry.seed("ner", bundle(tmp_path / "released" / "ner", "v3"), "v3")
    return registry


def test_seed_copies_the_released_bundle_once_and_makes_it_current(registry, tmp_path):
    assert registry.current("ner") == "v3"
    assert (registry.folder("ner", "v3") / "adapter_model.safetensors").read_bytes() == b"weights v3"
    assert registry.record("ner", "v3").status == "shipped"
    assert registry.seed("ner", tmp_path / "released" / "ner", "v9") == "v3"  # already seeded: unchanged
    assert registry.next_version("ner") == "v4"


def test_promote_and_rollback_walk_back_through_the_versions_made_current(registry):
    add_version(registry, "v4")
    add_version(registry, "v5")
    assert registry.current("ner") == "v5"
    assert registry.rollback("ner") == "v4"
    assert registry.rollback("ner") == "v3"
    with pytest.raises(RegistryError, match="no earlier current version"):
        registry.rollback("ner")
    registry.promote("ner", "v5")
    assert registry.current_stack("ner") == ["v3", "v5"]
    assert [e["action"] for e in registry.history("ner")] == [
        "seed",
        "promote",
        "promote",
        "rollback",
        "rollback",
        "promote",
    ]


def test_a_rejected_candidate_is_stored_but_not_current(registry):
    add_version(registry, "v4", status="rejected", promote=False)
    assert registry.current("ner") == "v3"
    assert [r.version for r in registry.versions("ner")] == ["v3", "v4"]


def test_unknown_versions_and_bad_names_are_refused_with_the_known_versions(registry):
    with pytest.raises(RegistryError, match=r"no version 'v7' \(versions: v3\)"):
        registry.promote("ner", "v7")
    with pytest.raises(RegistryError, match="already current"):
        registry.promote("ner", "v3")
    with pytest.raises(RegistryError, match="not a version name"):
        registry.folder("ner", "../../etc")


def test_add_refuses_an_incomplete_staging_folder_or_an_existing_version(registry):
    staging = registry.staging("ner", "v4")
    with pytest.raises(RegistryError, match=r"bundle\.json missing"):
        registry.add(staging, VersionRecord("ner", "v4", "promoted", now_iso()))
    bundle(staging, "v3")
    with pytest.raises(RegistryError, match="already has a version v3"):
        registry.add(staging, VersionRecord("ner", "v3", "promoted", now_iso()))


def test_a_crash_while_switching_leaves_the_old_current_version(registry, monkeypatch):
    add_version(registry, "v4", promote=False)

    def crash(*args):
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        registry.promote("ner", "v4")
    monkeypatch.undo()
    assert registry.current("ner") == "v3"
    assert not [p for p in (registry.root / "ner").iterdir() if p.name.endswith(".tmp")]


def test_clean_staging_removes_what_a_killed_run_left(registry):
    bundle(registry.staging("ner", "v4"), "v4")
    removed = registry.clean_staging()
    assert [p.name for p in removed] == [".staging-v4"]
    assert registry.next_version("ner") == "v4"


def test_cli_lists_promotes_and_rolls_back(registry, capsys):
    add_version(registry, "v4", promote=False)
    root = str(registry.root)
    assert main(["--registry", root, "list"]) == 0
    listing = capsys.readouterr().out
    assert "| ner | v3 | yes | shipped |" in listing and "| ner | v4 |  | promoted |" in listing
    assert main(["--registry", root, "promote", "ner/v4"]) == 0
    assert registry.current("ner") == "v4"
    assert main(["--registry", root, "rollback", "ner"]) == 0
    assert registry.current("ner") == "v3"
    assert main(["--registry", root, "promote", "v4"]) == 2
    assert "SKILL/VERSION" in capsys.readouterr().err
    assert main(["--registry", root, "list", "--json"]) == 0
    assert [row["version"] for row in json.loads(capsys.readouterr().out)] == ["v3", "v4"]


def test_a_shipped_copy_gets_the_files_the_release_shipped_later_only_with_the_same_weights(registry, tmp_path):
    released = tmp_path / "released" / "ner"
    (released / "examples.faiss").write_bytes(b"index")
    names = ("examples.jsonl.gz", "examples.faiss")
    assert registry.complete_shipped("ner", released, names) == ["examples.faiss"]  # the records file never shipped
    assert (registry.folder("ner", "v3") / "examples.faiss").read_bytes() == b"index"
    assert registry.complete_shipped("ner", released, names) == []  # already there
    (released / "examples.jsonl.gz").write_bytes(b"records")
    (released / "adapter_model.safetensors").write_bytes(b"other weights")  # a new release: not this copy's
    assert registry.complete_shipped("ner", released, names) == []
    assert not (registry.folder("ner", "v3") / "examples.jsonl.gz").exists()
    assert AdapterRegistry(tmp_path / "empty").complete_shipped("ner", released, names) == []  # nothing seeded
