"""One knowledge base for every replica: a document added by `python -m chatbot kb add` in another process answers in a
running Assistant without a restart, and two knowledge bases (two replicas) on one real PostgreSQL database (a
throw-away server from Debian's binaries; skipped only where they are not installed) see each other's documents."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import numpy as np
import pytest

from bench.server import PostgresServer, postgres_bindir
from chatbot.knowledge import KnowledgeBase
from core.config import REPO_ROOT, AppConfig
from core.store import FeedbackStore

LIGHTHOUSE = "# Brightwater lighthouse\n\nThe Brightwater lighthouse was designed by Elena Vasquez in 1887.\n"
QUESTION = "Who designed the Brightwater lighthouse?"
WAIT_S = 5.0  # a replica checks the stored version at most once a second


def eventually(check, timeout: float = WAIT_S):
    """`check()` once it is truthy, polling; its last value after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


@pytest.mark.slow
def test_a_document_added_by_the_cli_answers_in_a_running_assistant_without_restart(assistant, tmp_path: Path) -> None:
    from chatbot.assistant import Assistant

    config = AppConfig.from_env(environ={}, home=tmp_path)
    knowledge = KnowledgeBase.from_config(config, assistant.knowledge.embed)
    running = Assistant(
        assistant.skills,
        assistant.router,
        FeedbackStore(config.db_url),
        knowledge,
        config,
        request_model=assistant.request_model,
    )
    try:
        before = running.reply(QUESTION, uuid.uuid4().hex)
        assert before.skill == "help", "an empty knowledge base answers nothing"
        document = tmp_path / "lighthouse.md"
        document.write_text(LIGHTHOUSE)
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "EXCHAT_HOME": str(tmp_path)}
        env.pop("EXCHAT_DB_URL", None)
        added = subprocess.run(
            [sys.executable, "-m", "chatbot", "kb", "add", str(document)],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
        assert added.returncode == 0, added.stderr
        reply = eventually(lambda: (r := running.reply(QUESTION, uuid.uuid4().hex)).skill == "qa" and r)
        assert reply, "the running assistant never used the document the CLI added"
        assert reply.data["source"] == "kb:lighthouse.md" and "Vasquez" in reply.data["answer"]
        assert [d["name"] for d in running.knowledge.documents()] == ["lighthouse.md"]
    finally:
        running.close()


@pytest.fixture(scope="module")
def postgres():
    bindir = postgres_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server installed (/usr/lib/postgresql/*/bin); Debian: apt-get install postgresql")
    with PostgresServer(bindir) as server:
        yield server


@pytest.fixture(scope="module")
def embed():
    from skills.encoder import SharedEncoder

    return SharedEncoder().embed


def sources(kb: KnowledgeBase, query: str) -> list[str]:
    return [passage.source for passage in kb.search(query, k=3)]


@pytest.mark.slow
def test_two_replicas_on_one_postgresql_database_see_each_others_documents(postgres, embed) -> None:
    url = postgres.create_database("kb_replicas")
    first, second = KnowledgeBase(url, embed), KnowledgeBase(url, embed)
    assert first.add_document("lighthouse.md", LIGHTHOUSE.encode()) == 1
    assert eventually(lambda: second.documents()) == first.documents()
    assert sources(second, QUESTION)[0] == "kb:lighthouse.md"
    moved = "# Brightwater lighthouse\n\nThe Brightwater lighthouse was rebuilt by Tomas Lind in 1932.\n"
    assert second.add_document("lighthouse.md", moved.encode()) == 1
    assert eventually(lambda: "Tomas Lind" in first.search(QUESTION, k=1)[0].text)
    assert len(first) == len(second) == 1, "the replaced document's old chunk is gone everywhere"
    third = KnowledgeBase(url, embed)
    assert third.documents() == first.documents() == second.documents()
    for kb in (first, second, third):
        kb.close()


def letters_embed(texts: list[str]) -> np.ndarray:
    """A stand-in encoder that takes no time, so that the replicas' transactions overlap: letter counts, normalised."""
    vectors = np.array([[text.lower().count(c) for c in "abcdefghijklmnopqrstuvwxyz0123456789"] for text in texts])
    return (vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)).astype(np.float32)


def test_replicas_writing_at_once_on_postgresql_lose_nothing_and_never_collide(postgres) -> None:
    url = postgres.create_database("kb_concurrent")
    replicas = [KnowledgeBase(url, letters_embed) for _ in range(4)]
    barrier, errors = threading.Barrier(len(replicas)), []

    def write(n: int, kb: KnowledgeBase) -> None:
        barrier.wait()
        try:
            kb.add_document(f"own-{n}.md", f"Replica {n} keeps note number {n}.".encode())
            for round_ in range(3):
                kb.add_document("shared.md", f"Every replica rewrites this note: replica {n}, round {round_}.".encode())
        except Exception as error:  # collected so that the test shows every replica's failure
            errors.append(f"{type(error).__name__}: {error}")

    threads = [threading.Thread(target=write, args=(n, kb)) for n, kb in enumerate(replicas)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    expected = sorted([*(f"own-{n}.md" for n in range(4)), "shared.md"])
    for kb in replicas:
        assert eventually(lambda kb=kb: sorted(d["name"] for d in kb.documents()) == expected)
        assert len(kb) == 5, "one chunk per document: no replaced chunk left behind"
        kb.close()
