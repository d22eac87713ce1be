"""Hot reload, seen through the `Assistant` API: a promoted version serves the next turn without a restart, the
turn records which version answered, rollback goes back, and a broken version never replaces a working one."""

from __future__ import annotations

import json
import shutil

import pytest
from safetensors.torch import load_file, save_file

from core.config import REPO_ROOT
from core.registry import AdapterRegistry, VersionRecord, now_iso
from skills.encoder import BundleInfo

REVIEW = "/sentiment what a wonderful, moving film"
RELEASED = BundleInfo.read(REPO_ROOT / "adapters" / "sentiment").version  # the version the registry is seeded with


def flipped_sentiment_version(registry: AdapterRegistry, version: str) -> None:
    """The released sentiment bundle with its two output rows swapped: it says the opposite label."""
    staging = registry.staging("sentiment", version)
    shutil.copytree(REPO_ROOT / "adapters" / "sentiment", staging, dirs_exist_ok=True)
    head = load_file(str(staging / "head.safetensors"))
    head = {k: v.flip(0).contiguous() if k.startswith("linear.") else v for k, v in head.items()}
    save_file(head, str(staging / "head.safetensors"))
    info = json.loads((staging / "bundle.json").read_text())
    (staging / "bundle.json").write_text(json.dumps({**info, "version": version}))
    registry.add(staging, VersionRecord("sentiment", version, "promoted", now_iso(), parent=RELEASED))


@pytest.fixture()
def registry(assistant):
    registry = AdapterRegistry(assistant.config.registry)
    registry.seed("sentiment", REPO_ROOT / "adapters" / "sentiment", RELEASED)
    yield registry
    if registry.current("sentiment") != RELEASED:
        registry.promote("sentiment", RELEASED, "test cleanup")
    assistant.adapters.refresh(force=True)
    assert assistant.skills["sentiment"].adapter_version == RELEASED


def test_a_promoted_version_answers_the_next_turn_and_rollback_restores(assistant, registry):
    before = assistant.reply(REVIEW, "hot-reload")
    assert (before.adapter_version, before.data["label"]) == (RELEASED, "positive")

    flipped_sentiment_version(registry, "v20")
    registry.promote("sentiment", "v20", "test")
    assistant.adapters.check_every = 0.0  # the app checks at most every 2 s; the test does not wait
    try:
        after = assistant.reply(REVIEW, "hot-reload")
    finally:
        assistant.adapters.check_every = 2.0
    assert (after.adapter_version, after.data["label"]) == ("v20", "negative")
    # the explanation comes from the new version too: its log-odds of "negative" are the old ones of "positive"
    assert after.rationale.skill["attributions"] == before.rationale.skill["attributions"]
    assert assistant.store.turn(after.turn_id).adapter_version == "v20"

    registry.rollback("sentiment")
    assistant.adapters.refresh(force=True)
    again = assistant.reply(REVIEW, "hot-reload")
    assert (again.adapter_version, again.data["label"]) == (RELEASED, "positive")


def test_a_broken_version_is_logged_and_the_working_one_keeps_serving(assistant, registry, caplog):
    flipped_sentiment_version(registry, "v21")
    (registry.folder("sentiment", "v21") / "adapter_model.safetensors").write_bytes(b"not safetensors")
    registry.promote("sentiment", "v21", "test")
    assert assistant.adapters.refresh(force=True) == {}
    assert "could not load" in caplog.text
    assert "sentiment" in assistant.adapters.failed
    reply = assistant.reply(REVIEW, "hot-reload-broken")
    assert (reply.adapter_version, reply.data["label"]) == (RELEASED, "positive")


def test_an_install_seeded_before_the_qa_index_shipped_gets_it_at_start(tmp_path):
    from chatbot.adapters import AdapterSource

    released = tmp_path / "adapters"
    shutil.copytree(REPO_ROOT / "adapters" / "qa", released / "qa")
    seeded_before = tmp_path / "seeded" / "qa"
    shutil.copytree(released / "qa", seeded_before, ignore=shutil.ignore_patterns("examples.*"))
    registry = AdapterRegistry(tmp_path / "registry")
    registry.seed("qa", seeded_before, BundleInfo.read(seeded_before).version)
    source = AdapterSource(None, released, registry, ["qa"])  # the encoder plays no part in this step
    assert source.complete_shipped_copies() == {"qa": ["examples.jsonl.gz", "examples.faiss"]}
    copy = registry.current_folder("qa")
    assert (copy / "examples.faiss").read_bytes() == (released / "qa" / "examples.faiss").read_bytes()
    assert source.complete_shipped_copies() == {}
