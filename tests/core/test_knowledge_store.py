"""The knowledge base's tables: one version bump per change, unchanged documents left alone, replaced documents with
new ids and no leftover chunks, vectors stored as bytes and read back, and only the unknown documents' chunks read."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pytest

from core.knowledge_store import KnowledgeStore, NewChunk, NewDocument
from core.store import FeedbackStore


def document(name: str, sha: str, *texts: str) -> NewDocument:
    chunks = tuple(
        NewChunk(text, f"{name} > part {n}", np.full(4, n + 0.5, dtype=np.float32)) for n, text in enumerate(texts)
    )
    return NewDocument(name, sha, " ".join(texts), chunks)


@pytest.fixture
def store(tmp_path: Path) -> KnowledgeStore:
    opened = KnowledgeStore(f"sqlite:///{tmp_path / 'app.db'}")
    yield opened
    opened.close()


def test_each_write_bumps_the_version_once_and_an_unchanged_document_not_at_all(store: KnowledgeStore) -> None:
    assert store.version() == 0
    assert store.put([document("a.md", "1", "alpha"), document("b.md", "2", "beta")]) == ["a.md", "b.md"]
    assert store.version() == 1
    assert store.put([document("a.md", "1", "alpha")]) == []
    assert store.version() == 1
    assert store.put([document("a.md", "3", "alpha two", "alpha three")]) == ["a.md"]
    assert store.version() == 2


def test_a_replaced_document_gets_a_new_id_and_leaves_no_chunk_behind(store: KnowledgeStore) -> None:
    store.put([document("a.md", "1", "old one", "old two")])
    (old,) = store.documents()
    store.put([document("a.md", "2", "new")])
    (new,) = store.documents()
    assert new.id > old.id and (new.sha256, new.chunks) == ("2", 1)
    changes = store.changes({})
    assert [(c.document, c.position, c.text, c.heading) for c in changes.chunks] == [
        ("a.md", 0, "new", "a.md > part 0")
    ]
    np.testing.assert_array_equal(changes.chunks[0].vector, np.full(4, 0.5, dtype=np.float32))


def test_changes_read_only_the_chunks_of_documents_not_known_as_they_are(store: KnowledgeStore) -> None:
    store.put([document("a.md", "1", "alpha"), document("b.md", "2", "beta")])
    a, b = store.documents()
    assert [c.text for c in store.changes({a.id: "1"}).chunks] == ["beta"]
    assert [c.text for c in store.changes({a.id: "1", b.id: "2"}).chunks] == []
    assert [c.text for c in store.changes({a.id: "1", b.id: "stale"}).chunks] == ["beta"]
    assert [d.name for d in store.changes({a.id: "1"}).documents] == ["a.md", "b.md"]


def test_delete_removes_documents_with_their_chunks_in_one_version_bump(store: KnowledgeStore) -> None:
    store.put([document("a.md", "1", "alpha", "alpha two"), document("b.md", "2", "beta")])
    assert store.delete(["a.md", "missing.md"]) == ["a.md"]
    assert store.version() == 2
    assert [c.text for c in store.changes({}).chunks] == ["beta"]
    assert store.delete(["missing.md"]) == [] and store.version() == 2


def test_a_put_without_replace_keeps_the_stored_document_and_its_time(store: KnowledgeStore) -> None:
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    store.put([document("a.md", "new", "newer text")])
    old = NewDocument("a.md", "old", None, (NewChunk("older", "", np.ones(4)),), added_at=when)
    migrated = NewDocument("b.md", "old", None, (NewChunk("other", "", np.ones(4)),), added_at=when)
    assert store.put([old, migrated], replace=False) == ["b.md"]
    assert [(d.name, d.sha256) for d in store.documents()] == [("a.md", "new"), ("b.md", "old")]
    assert store.documents()[1].added_at == when


def test_the_knowledge_base_and_the_feedback_store_share_one_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    feedback, knowledge = FeedbackStore(url), KnowledgeStore(url)
    knowledge.put([document("a.md", "1", "alpha")])
    assert feedback.check_integrity() and feedback.counts()["turns"] == 0
    assert KnowledgeStore(url).version() == 1, "opening it again keeps the version row"
    feedback.close()
    knowledge.close()
