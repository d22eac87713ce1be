"""The knowledge base: decoding uploads, then ingest, search and the database behind it (hashed-word vectors for the
mechanics, the real packaged encoder for what is found), the `python -m chatbot kb` command line, moving a folder
of an earlier version into the database, and seeding an empty knowledge base with an operator's documents (here the
user documents of `tests/fixtures/kb/`; the app seeds nothing by default)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import faiss
import numpy as np
import pytest

from chatbot.knowledge import KnowledgeBase, decode_document, ensure_default_documents
from chatbot.knowledge_folder import CHUNKS_FILE, INDEX_FILE, MANIFEST_FILE
from core.config import REPO_ROOT, AppConfig
from core.errors import InputError

FIXTURE_DOCUMENTS = Path(__file__).resolve().parent / "fixtures" / "kb"

CATS = (
    b"Cats are small domesticated felines. A cat purrs when it is content and hunts mice at night.\n\n"
    b"Most cats sleep for twelve to sixteen hours a day."
)
ROCKETS = (
    b"# Rockets\n\nA rocket engine burns fuel with an oxidiser and pushes hot gas out of a nozzle. "
    b"Rockets carry satellites into orbit around the Earth."
)
BINARY = b"\x00\x01\xff"
LIMIT = AppConfig.from_env(environ={}).max_upload_bytes  # 2,000,000: the app's default


def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'app.db'}"


def hashed_words_embed(texts: list[str]) -> np.ndarray:
    """A stand-in encoder for mechanics tests: each word hashed into one of 64 dimensions, normalised."""
    vectors = np.zeros((len(texts), 64), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in re.findall(r"\w+", text.lower()):
            vectors[row, sum(map(ord, word)) % 64] += 1.0
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


def counting(embed, calls: list[list[str]]):
    def wrapped(texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        return embed(texts)

    return wrapped


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("blob.txt", BINARY, "blob.txt is not a UTF-8 text file"),
        ("latin.md", "café".encode("latin-1"), "latin.md is not a UTF-8 text file"),
        ("nul.txt", b"valid\x00utf8", "nul.txt is not a UTF-8 text file"),
        ("empty.txt", b"", "empty.txt is empty"),
        ("blank.md", b" \n\t\r\n", "blank.md is empty"),
        ("invisible.md", "\u200b\x01\x07\n\u2060".encode(), "invisible.md is empty"),
        ("big.txt", b"a" * 11, "the limit is 10 bytes"),
        ("report.pdf", b"%PDF-1.4 text", "report.pdf: unsupported file type; add .txt, .md or .markdown"),
        ("noextension", b"text", "unsupported file type"),
    ],
)
def test_decode_document_rejects_bad_documents_with_a_clear_message(name: str, data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        decode_document(name, data, max_bytes=10)


def test_decode_document_strips_bom_and_normalises_line_ends() -> None:
    data = "\ufeffline one\r\nline two\rline three".encode()
    assert decode_document("NOTES.MD", data, max_bytes=1000) == "line one\nline two\nline three"


def test_empty_knowledge_base_searches_to_nothing_without_embedding(tmp_path: Path) -> None:
    def refuse(texts: list[str]) -> np.ndarray:
        raise AssertionError("an empty knowledge base must not embed anything")

    kb = KnowledgeBase(database(tmp_path), refuse)
    assert kb.search("anything at all") == []
    assert len(kb) == 0 and kb.documents() == []


def test_chunks_are_stored_with_heading_offsets_and_the_heading_is_embedded(tmp_path: Path) -> None:
    from core.knowledge_store import KnowledgeStore

    text = "# House rules\n\nBe quiet after ten.\n\n## Parking\n\nUse bay 4."
    embedded: list[list[str]] = []
    kb = KnowledgeBase(database(tmp_path), counting(hashed_words_embed, embedded))
    assert kb.add_document("house.md", text.encode()) == 2
    assert embedded == [
        ["House rules\n\n# House rules\n\nBe quiet after ten.", "House rules > Parking\n\n## Parking\n\nUse bay 4."]
    ]
    chunks = KnowledgeStore(database(tmp_path)).changes({}).chunks
    assert [(c.heading, c.text, text[c.start : c.end]) for c in chunks] == [
        ("House rules", "# House rules\n\nBe quiet after ten.", "# House rules\n\nBe quiet after ten."),
        ("House rules > Parking", "## Parking\n\nUse bay 4.", "## Parking\n\nUse bay 4."),
    ]
    assert kb.search("parking bay", k=1)[0].text == "## Parking\n\nUse bay 4.", "the evidence is the document's text"
    np.testing.assert_allclose(chunks[1].vector, hashed_words_embed([embedded[0][1]])[0], rtol=1e-6)


def test_concurrent_adds_lose_no_document(tmp_path: Path) -> None:
    kb = KnowledgeBase(database(tmp_path), hashed_words_embed)
    names = [f"doc{n}.txt" for n in range(8)]
    threads = [
        threading.Thread(target=kb.add_document, args=(name, f"Document {name} talks about topic {name}.".encode()))
        for name in names
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(d["name"] for d in kb.documents()) == names
    assert len(kb) == 8
    assert len(KnowledgeBase(database(tmp_path), hashed_words_embed)) == 8


def test_a_document_added_by_another_instance_is_searched_after_the_next_version_check(tmp_path: Path) -> None:
    writer = KnowledgeBase(database(tmp_path), hashed_words_embed)
    reader = KnowledgeBase(database(tmp_path), hashed_words_embed, refresh_seconds=3600)
    version_reads: list[int] = []
    read_version = reader.store.version
    reader.store.version = lambda: version_reads.append(1) or read_version()  # type: ignore[method-assign]
    assert reader.search("cats mice") == []
    writer.add_document("cats.txt", CATS)
    for _ in range(20):
        assert reader.search("cats mice") == [], "within refresh_seconds the cached index answers"
    assert version_reads == [], "and the version is not read again"
    reader.refresh_seconds = 0.0
    assert reader.search("cats mice", k=1)[0].source == "kb:cats.txt"
    assert len(version_reads) == 1
    writer.add_document("cats.txt", b"Cats changed their mind about mice.")
    assert [p.text for p in reader.search("cats mice", k=3)] == ["Cats changed their mind about mice."]
    assert [(d["name"], d["chunks"]) for d in reader.documents()] == [("cats.txt", 1)]


def test_removing_documents_is_all_or_nothing_and_reaches_other_instances(tmp_path: Path) -> None:
    kb = KnowledgeBase(database(tmp_path), hashed_words_embed)
    other = KnowledgeBase(database(tmp_path), hashed_words_embed, refresh_seconds=0)
    kb.add_document("cats.txt", CATS)
    kb.add_document("rockets.md", ROCKETS)
    assert len(other) == 2
    with pytest.raises(InputError, match=r"no document named dogs\.txt in the knowledge base"):
        kb.remove_documents(["cats.txt", "dogs.txt"])
    assert len(kb.documents()) == 2
    assert kb.remove_documents(["cats.txt"]) == ["cats.txt"]
    assert [d["name"] for d in other.documents()] == ["rockets.md"]
    assert {p.source for p in other.search("cats mice", k=3)} == {"kb:rockets.md"}


def test_a_2_mb_document_is_refused_with_the_limit_and_one_just_under_is_added(tmp_path: Path) -> None:
    kb = KnowledgeBase(database(tmp_path), hashed_words_embed, max_document_bytes=LIMIT)
    paragraph = b"The ferry to Orkney leaves at nine and returns at six, weather allowing.\n\n"
    under = (paragraph * (LIMIT // len(paragraph)))[: LIMIT - 1]
    under = under[: under.rfind(b" ")] + b" end."
    over = paragraph * (LIMIT // len(paragraph) + 1)
    assert len(under) < LIMIT < len(over) <= 2 * 1024 * 1024
    with pytest.raises(InputError, match=f"big.txt is {len(over):,} bytes; the limit is {LIMIT:,} bytes per document"):
        kb.add_document("big.txt", over)
    assert kb.documents() == []
    chunks = kb.add_document("big.txt", under)
    assert chunks > 1000 and len(kb) == chunks
    assert kb.search("Orkney ferry", k=1)[0].source == "kb:big.txt"


def test_a_document_name_too_long_for_the_database_is_refused_clearly(tmp_path: Path) -> None:
    kb = KnowledgeBase(database(tmp_path), hashed_words_embed)
    with pytest.raises(InputError, match="a document name is at most 512 characters"):
        kb.add_document("n" * 510 + ".txt", CATS)
    assert kb.add_document("n" * 508 + ".txt", CATS) == 1


def test_default_documents_are_not_added_to_a_knowledge_base_with_documents(tmp_path: Path) -> None:
    kb = KnowledgeBase(database(tmp_path), hashed_words_embed)
    kb.add_document("cats.txt", CATS)
    assert ensure_default_documents(kb, FIXTURE_DOCUMENTS) == 0
    assert [d["name"] for d in kb.documents()] == ["cats.txt"]


def test_the_app_seeds_no_documents_by_default(tmp_path: Path) -> None:
    assert AppConfig.from_env(environ={}).default_docs is None
    assert AppConfig.from_env(environ={"EXCHAT_DEFAULT_DOCS": str(FIXTURE_DOCUMENTS)}).default_docs == FIXTURE_DOCUMENTS
    kb = KnowledgeBase(database(tmp_path), hashed_words_embed)
    assert ensure_default_documents(kb, None) == 0
    assert kb.documents() == [] and len(kb) == 0


def write_old_folder(folder: Path, documents: dict[str, list[str]], embed) -> None:
    """A knowledge-base folder as earlier versions saved it: chunks.jsonl, index.faiss and manifest.json."""
    rows = [
        {
            "document": name,
            "position": n,
            "text": text,
            "sha256": f"sha-of-{name}",
            "added_at": "2026-01-02T03:04:05+00:00",
        }
        for name, texts in documents.items()
        for n, text in enumerate(texts)
    ]
    index = faiss.IndexFlatIP(64)
    index.add(embed([row["text"] for row in rows]))
    index_bytes = faiss.serialize_index(index).tobytes()
    chunks_bytes = "".join(json.dumps(row) + "\n" for row in rows).encode()
    folder.mkdir(parents=True)
    (folder / INDEX_FILE).write_bytes(index_bytes)
    (folder / CHUNKS_FILE).write_bytes(chunks_bytes)
    manifest = {
        "index_sha256": hashlib.sha256(index_bytes).hexdigest(),
        "chunks_sha256": hashlib.sha256(chunks_bytes).hexdigest(),
    }
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest))


OLD_DOCUMENTS = {"cats.txt": [CATS.decode()], "rockets.md": ["# Rockets", "Rockets carry satellites into orbit."]}


def test_an_old_knowledge_base_folder_moves_into_the_database_once(tmp_path: Path, caplog) -> None:
    folder = tmp_path / "kb"
    write_old_folder(folder, OLD_DOCUMENTS, hashed_words_embed)
    embedded: list[list[str]] = []
    with caplog.at_level(logging.WARNING, logger="chatbot.knowledge_folder"):
        kb = KnowledgeBase(database(tmp_path), counting(hashed_words_embed, embedded), legacy_folder=folder)
    assert embedded == [], "the saved vectors are moved, not computed again"
    assert [(d["name"], d["chunks"], d["sha256"], d["added_at"]) for d in kb.documents()] == [
        ("cats.txt", 1, "sha-of-cats.txt", "2026-01-02T03:04:05+00:00"),
        ("rockets.md", 2, "sha-of-rockets.md", "2026-01-02T03:04:05+00:00"),
    ]
    assert kb.search("satellites orbit", k=1)[0].text == "Rockets carry satellites into orbit."
    assert not folder.exists() and (tmp_path / "kb.migrated" / CHUNKS_FILE).is_file(), "renamed, not deleted"
    assert f"moved 2 documents of {folder} into the database" in caplog.text
    assert f"the folder is kept, renamed to {tmp_path / 'kb.migrated'}" in caplog.text
    embedded.clear()
    again = KnowledgeBase(database(tmp_path), counting(hashed_words_embed, embedded), legacy_folder=folder)
    assert embedded == [] and again.documents() == kb.documents()


def test_an_interrupted_old_save_is_embedded_again_and_never_overwrites_a_newer_document(tmp_path: Path) -> None:
    kb = KnowledgeBase(database(tmp_path), hashed_words_embed)
    kb.add_document("cats.txt", b"Cats, the new version, added to the database first.")
    folder = tmp_path / "kb"
    write_old_folder(folder, OLD_DOCUMENTS, hashed_words_embed)
    (folder / INDEX_FILE).write_bytes(b"half written")  # a crash between two replaces: the index no longer matches
    embedded: list[list[str]] = []
    migrated = KnowledgeBase(database(tmp_path), counting(hashed_words_embed, embedded), legacy_folder=folder)
    assert embedded == [[CATS.decode(), "# Rockets", "Rockets carry satellites into orbit."]]
    assert [d["name"] for d in migrated.documents()] == ["cats.txt", "rockets.md"]
    assert migrated.search("new version", k=1)[0].text == "Cats, the new version, added to the database first."
    assert (tmp_path / "kb.migrated").is_dir()


@pytest.fixture(scope="module")
def encoder():
    from skills.encoder import SharedEncoder

    return SharedEncoder()


@pytest.fixture
def kb(tmp_path: Path, encoder) -> KnowledgeBase:
    return KnowledgeBase(database(tmp_path), encoder.embed, max_document_bytes=10_000)


@pytest.mark.slow
def test_search_returns_the_matching_document_first(kb: KnowledgeBase) -> None:
    assert kb.add_document("cats.txt", CATS) == 1
    assert kb.add_document("rockets.md", ROCKETS) == 1
    for query, source in [
        ("Which animal purrs?", "kb:cats.txt"),
        ("How do satellites reach orbit?", "kb:rockets.md"),
    ]:
        passages = kb.search(query, k=2)
        assert passages[0].source == source
        assert 0.0 < passages[0].retrieval_score <= 1.0
        assert passages[0].retrieval_score == round(passages[0].retrieval_score, 4)
        assert passages[0].retrieval_score > passages[1].retrieval_score
    assert kb.search("Which animal purrs?")[0].text == CATS.decode()


@pytest.mark.slow
def test_a_new_instance_on_the_same_database_finds_the_same_results(kb: KnowledgeBase, encoder, tmp_path) -> None:
    kb.add_document("cats.txt", CATS)
    kb.add_document("rockets.md", ROCKETS)
    calls: list[list[str]] = []
    reopened = KnowledgeBase(database(tmp_path), counting(encoder.embed, calls))
    assert calls == [], "opening the stored knowledge base must not embed again"
    assert reopened.documents() == kb.documents()
    assert len(reopened) == len(kb) == 2
    assert reopened.search("rocket fuel", k=2) == kb.search("rocket fuel", k=2)


@pytest.mark.slow
def test_replacing_a_document_does_not_duplicate_its_chunks(kb: KnowledgeBase, tmp_path) -> None:
    kb.add_document("cats.txt", CATS)
    kb.add_document("rockets.md", ROCKETS)
    first_sha = kb.documents()[0]["sha256"]
    assert kb.add_document("cats.txt", CATS) == 0, "same content under the same name is a no-op"
    new_cats = b"Cats are independent pets.\n\n# Diet\n\nCats eat meat and drink water."
    assert kb.add_document("cats.txt", new_cats) == 2
    assert len(kb) == 3
    documents = {d["name"]: d for d in kb.documents()}
    assert list(documents) == ["rockets.md", "cats.txt"], "a replaced document counts as added last"
    assert documents["cats.txt"]["chunks"] == 2 and documents["cats.txt"]["sha256"] != first_sha
    texts = [p.text for p in kb.search("What do cats eat?", k=3)]
    assert "# Diet\n\nCats eat meat and drink water." in texts
    assert CATS.decode() not in texts
    assert len(KnowledgeBase(database(tmp_path), kb.embed)) == 3


@pytest.mark.slow
def test_binary_or_empty_document_is_rejected_and_the_stored_documents_stay(kb: KnowledgeBase, tmp_path) -> None:
    kb.add_document("cats.txt", CATS)
    with pytest.raises(InputError, match=r"evil\.txt is not a UTF-8 text file"):
        kb.add_document("evil.txt", BINARY)
    with pytest.raises(InputError, match=r"blank\.md is empty; there is no readable text to add"):
        kb.add_document("blank.md", b"\n \t\n")
    for store in (kb, KnowledgeBase(database(tmp_path), kb.embed)):
        assert [d["name"] for d in store.documents()] == ["cats.txt"]
        assert store.search("purring pets", k=1)[0].source == "kb:cats.txt"


@pytest.mark.slow
def test_add_paths_takes_text_files_of_a_folder_recursively_in_order(kb: KnowledgeBase, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "space").mkdir(parents=True)
    (docs / "cats.txt").write_bytes(CATS)
    (docs / "space" / "rockets.md").write_bytes(ROCKETS)
    (docs / "picture.png").write_bytes(BINARY)
    (docs / ".hidden.md").write_text("not a document")
    assert kb.add_paths([docs]) == [("cats.txt", 1), ("space/rockets.md", 1)]
    assert kb.search("rocket nozzle", k=1)[0].source == "kb:space/rockets.md"
    (docs / "space" / "broken.md").write_bytes(BINARY)
    (docs / "new.txt").write_text("A new note about gardening and tomatoes.")
    with pytest.raises(InputError, match=r"broken\.md is not a UTF-8 text file"):
        kb.add_paths([docs])
    assert [d["name"] for d in kb.documents()] == ["cats.txt", "space/rockets.md"], "a bad file adds nothing"
    with pytest.raises(InputError, match="no such file or folder"):
        kb.add_paths([tmp_path / "missing.txt"])


def run_cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "EXCHAT_HOME": str(home)}
    env.pop("EXCHAT_DB_URL", None)
    env.pop("EXCHAT_KB_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "chatbot", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


@pytest.mark.slow
def test_cli_adds_lists_removes_and_rejects_binary_files(tmp_path: Path) -> None:
    doc = tmp_path / "cats.txt"
    doc.write_bytes(CATS)
    added = run_cli("kb", "add", str(doc), home=tmp_path)
    assert added.returncode == 0, added.stderr
    assert "cats.txt: 1 chunks added" in added.stdout
    assert f"knowledge base: sqlite:///{tmp_path / 'feedback.db'}" in added.stdout
    listed = run_cli("kb", "list", home=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert re.search(r"cats\.txt\s+1 chunks", listed.stdout)
    bad = tmp_path / "photo.txt"
    bad.write_bytes(BINARY)
    rejected = run_cli("kb", "add", str(bad), home=tmp_path)
    assert rejected.returncode == 2
    assert "photo.txt is not a UTF-8 text file" in rejected.stderr
    assert "Traceback" not in rejected.stderr
    config = AppConfig.from_env(environ={}, home=tmp_path)
    assert [d["name"] for d in KnowledgeBase.from_config(config, hashed_words_embed).documents()] == ["cats.txt"]
    unknown = run_cli("kb", "remove", "cats.txt", "dogs.txt", home=tmp_path)
    assert unknown.returncode == 2 and "no document named dogs.txt" in unknown.stderr
    removed = run_cli("kb", "remove", "cats.txt", home=tmp_path)
    assert removed.returncode == 0, removed.stderr
    assert "cats.txt: removed" in removed.stdout and "(0 documents left)" in removed.stdout


@pytest.mark.slow
def test_seeded_documents_answer_questions_about_themselves(kb: KnowledgeBase) -> None:
    folder = FIXTURE_DOCUMENTS
    added = ensure_default_documents(kb, folder)
    names = sorted(path.name for path in folder.glob("*.md"))
    assert 3 <= len(names) <= 5
    assert sorted(d["name"] for d in kb.documents()) == names
    assert added == len(kb) > len(names)
    assert ensure_default_documents(kb, folder) == 0, "a knowledge base with documents is left alone"
    assert kb.search("how do I return a damaged item")[0].source == "kb:returns-policy.md"
    assert kb.search("how do I book a meeting room?")[0].source == "kb:office-handbook.md"


def test_the_knowledge_match_is_none_while_empty_then_the_closest_chunks_cosine(tmp_path: Path) -> None:
    kb = KnowledgeBase(database(tmp_path), hashed_words_embed)
    message = hashed_words_embed(["which animal purrs at night"])[0]
    assert kb.closest_cosine(message) is None
    kb.add_document("cats.txt", CATS)
    kb.add_document("rockets.md", ROCKETS)
    every_chunk = kb.search("which animal purrs at night", k=len(kb))
    assert kb.closest_cosine(message) == pytest.approx(max(p.retrieval_score for p in every_chunk), abs=1e-4)
    assert every_chunk[0].source == "kb:cats.txt"


def test_training_requests_get_the_knowledge_match_the_app_computes(tmp_path: Path) -> None:
    from training.request_data import knowledge_scores

    kb = KnowledgeBase(database(tmp_path), hashed_words_embed)
    kb.add_document("cats.txt", CATS)
    kb.add_document("rockets.md", ROCKETS)
    messages = [
        "which animal purrs at night",
        "# Rockets",
        "how much is a ticket to the zoo",
        "which animal purrs at night",
    ]
    scores = knowledge_scores(messages, [CATS.decode(), ROCKETS.decode()], hashed_words_embed, batch=2)
    assert sorted(scores) == sorted(set(messages))
    for message in messages:
        assert scores[message] == pytest.approx(kb.closest_cosine(hashed_words_embed([message])[0]), abs=1e-6)
    assert scores["which animal purrs at night"] > scores["how much is a ticket to the zoo"]


def test_a_search_with_the_querys_vector_given_finds_the_same_without_embedding_it_again(tmp_path: Path) -> None:
    kb = KnowledgeBase(database(tmp_path), hashed_words_embed)
    kb.add_document("cats.txt", CATS)
    kb.add_document("rockets.md", ROCKETS)
    query = "which animal purrs at night"
    vector = hashed_words_embed([query])[0]
    kb.embed = lambda texts: pytest.fail(f"embedded {texts} although the vector was given")
    assert kb.search(query, k=2, vector=vector) == KnowledgeBase(database(tmp_path), hashed_words_embed).search(
        query, k=2
    )
