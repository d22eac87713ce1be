"""The knowledge base: chunking and decoding as pure functions, then ingest, search and persistence with the
real packaged encoder, the `python -m chatbot kb` command line, and seeding an empty knowledge base with an
operator's documents (here the user documents of `tests/fixtures/kb/`; the app seeds nothing by default)."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from chatbot.knowledge import (
    CHUNKS_FILE,
    INDEX_FILE,
    MANIFEST_FILE,
    KnowledgeBase,
    chunk_text,
    decode_document,
    ensure_default_documents,
)
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


def sentences(count: int, words_each: int = 6) -> str:
    """`count` sentences of `words_each` words: "S1 w1 w2 w3 w4 end1." ..."""
    return " ".join(f"S{i} " + " ".join(f"w{i}_{j}" for j in range(words_each - 2)) + f" end{i}." for i in range(count))


def words_of(text: str) -> list[str]:
    return text.split()


def test_short_text_is_one_chunk_equal_to_the_stripped_text() -> None:
    assert chunk_text("  Just one short line.\n") == ["Just one short line."]


def test_blank_text_has_no_chunks() -> None:
    assert chunk_text(" \n\n \t\n") == []


def test_paragraphs_that_fit_share_a_chunk_and_are_never_split() -> None:
    paragraphs = [f"Paragraph {n} has exactly six words." for n in range(3)]  # 6 words each
    chunks = chunk_text("\n\n".join(paragraphs), max_words=13, overlap_words=3)
    assert chunks == [paragraphs[0] + "\n\n" + paragraphs[1], paragraphs[2]]


def test_chunks_keep_the_original_whitespace_inside() -> None:
    text = "First line\nsecond line,   spaced.\n\nNext paragraph."
    assert chunk_text(text) == [text]


def test_long_paragraph_is_cut_into_overlapping_windows_at_sentence_ends() -> None:
    text = sentences(10)  # 60 words
    chunks = chunk_text(text, max_words=20, overlap_words=6)
    assert len(chunks) > 2
    assert all(chunk and chunk in text for chunk in chunks)
    assert all(len(words_of(chunk)) <= 20 for chunk in chunks)
    assert all(chunk.endswith(".") for chunk in chunks)
    for before, after in itertools.pairwise(chunks):
        overlap = max(m for m in range(7) if m == 0 or words_of(before)[-m:] == words_of(after)[:m])
        assert 1 <= overlap <= 6, f"consecutive windows must share 1..6 words: {before!r} / {after!r}"
    covered = [word for chunk in chunks for word in words_of(chunk)]
    assert set(covered) == set(words_of(text)), "every word is in some chunk"
    assert words_of(chunks[0])[0] == "S0" and words_of(chunks[-1])[-1] == "end9."


def test_overlap_zero_gives_disjoint_windows_covering_the_text() -> None:
    text = " ".join(f"w{i}" for i in range(50))  # no sentence ends: cut by word count
    chunks = chunk_text(text, max_words=20, overlap_words=0)
    assert [len(words_of(c)) for c in chunks] == [20, 20, 10]
    assert " ".join(chunks) == text


def test_window_overlap_is_exactly_the_requested_words_without_sentences() -> None:
    text = " ".join(f"w{i}" for i in range(50))
    chunks = chunk_text(text, max_words=20, overlap_words=5)
    assert words_of(chunks[1])[:5] == words_of(chunks[0])[-5:]
    assert words_of(chunks[0])[-1] == "w19" and words_of(chunks[-1])[-1] == "w49"


def test_markdown_heading_starts_a_chunk_with_the_paragraph_after_it() -> None:
    text = "Intro words here.\n\n## Setup\n\nInstall the package first.\n\n## Usage\n\nRun the command."
    assert chunk_text(text) == [
        "Intro words here.",
        "## Setup\n\nInstall the package first.",
        "## Usage\n\nRun the command.",
    ]


def test_heading_is_kept_with_the_first_window_of_a_long_paragraph() -> None:
    body = sentences(8)
    chunks = chunk_text("# Title\n\n" + body, max_words=20, overlap_words=4)
    assert chunks[0].startswith("# Title\n\nS0 ")
    assert not any(chunk.strip() == "# Title" for chunk in chunks)


@pytest.mark.parametrize(("max_words", "overlap_words"), [(1, 0), (10, 10), (10, -1)])
def test_chunk_text_rejects_bad_sizes(max_words: int, overlap_words: int) -> None:
    with pytest.raises(ValueError, match="overlap_words"):
        chunk_text("some text", max_words=max_words, overlap_words=overlap_words)


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


def hashed_words_embed(texts: list[str]) -> np.ndarray:
    """A stand-in encoder for mechanics tests: each word hashed into one of 64 dimensions, normalised."""
    vectors = np.zeros((len(texts), 64), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in re.findall(r"\w+", text.lower()):
            vectors[row, sum(map(ord, word)) % 64] += 1.0
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


def test_empty_knowledge_base_searches_to_nothing_without_embedding(tmp_path: Path) -> None:
    def refuse(texts: list[str]) -> np.ndarray:
        raise AssertionError("an empty knowledge base must not embed anything")

    kb = KnowledgeBase(tmp_path / "kb", refuse)
    assert kb.search("anything at all") == []
    assert len(kb) == 0 and kb.documents() == []


def test_concurrent_adds_lose_no_document(tmp_path: Path) -> None:
    kb = KnowledgeBase(tmp_path / "kb", hashed_words_embed)
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
    assert len(KnowledgeBase(tmp_path / "kb", hashed_words_embed)) == 8


def test_default_documents_are_not_added_to_a_knowledge_base_with_documents(tmp_path: Path) -> None:
    kb = KnowledgeBase(tmp_path / "kb", hashed_words_embed)
    kb.add_document("cats.txt", CATS)
    assert ensure_default_documents(kb, FIXTURE_DOCUMENTS) == 0
    assert [d["name"] for d in kb.documents()] == ["cats.txt"]


def test_the_app_seeds_no_documents_by_default(tmp_path: Path) -> None:
    assert AppConfig.from_env(environ={}).default_docs is None
    assert AppConfig.from_env(environ={"EXCHAT_DEFAULT_DOCS": str(FIXTURE_DOCUMENTS)}).default_docs == FIXTURE_DOCUMENTS
    kb = KnowledgeBase(tmp_path / "kb", hashed_words_embed)
    assert ensure_default_documents(kb, None) == 0
    assert kb.documents() == [] and len(kb) == 0


def test_interrupted_save_is_repaired_from_the_chunks(tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    kb = KnowledgeBase(folder, hashed_words_embed)
    kb.add_document("cats.txt", CATS)
    kb.add_document("rockets.md", ROCKETS)
    # A crash after the index was replaced but before the chunks were: the index no longer matches.
    (folder / INDEX_FILE).write_bytes(b"half written")
    reopened = KnowledgeBase(folder, hashed_words_embed)
    assert reopened.documents() == kb.documents()
    assert reopened.search("rocket engine nozzle", k=1)[0].source == "kb:rockets.md"
    embedded: list[str] = []
    repaired = KnowledgeBase(folder, lambda texts: embedded.extend(texts) or hashed_words_embed(texts))
    assert embedded == [], "the repair was saved: the next load does not embed again"
    assert repaired.search("cats mice", k=1)[0].source == "kb:cats.txt"


@pytest.fixture(scope="module")
def encoder():
    from skills.encoder import SharedEncoder

    return SharedEncoder()


@pytest.fixture
def kb(tmp_path: Path, encoder) -> KnowledgeBase:
    return KnowledgeBase(tmp_path / "kb", encoder.embed, max_document_bytes=10_000)


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
def test_a_new_instance_on_the_same_folder_finds_the_same_results(kb: KnowledgeBase, encoder) -> None:
    kb.add_document("cats.txt", CATS)
    kb.add_document("rockets.md", ROCKETS)
    assert all((kb.folder / name).is_file() for name in (INDEX_FILE, CHUNKS_FILE, MANIFEST_FILE))
    calls: list[list[str]] = []

    def counting_embed(texts: list[str]) -> np.ndarray:
        calls.append(texts)
        return encoder.embed(texts)

    reopened = KnowledgeBase(kb.folder, counting_embed)
    assert calls == [], "loading a saved index must not embed again"
    assert reopened.documents() == kb.documents()
    assert len(reopened) == len(kb) == 2
    assert reopened.search("rocket fuel", k=2) == kb.search("rocket fuel", k=2)


@pytest.mark.slow
def test_replacing_a_document_does_not_duplicate_its_chunks(kb: KnowledgeBase) -> None:
    kb.add_document("cats.txt", CATS)
    kb.add_document("rockets.md", ROCKETS)
    first_sha = kb.documents()[0]["sha256"]
    assert kb.add_document("cats.txt", CATS) == 0, "same content under the same name is a no-op"
    new_cats = b"Cats are independent pets.\n\n# Diet\n\nCats eat meat and drink water."
    assert kb.add_document("cats.txt", new_cats) == 2
    assert len(kb) == 3
    documents = {d["name"]: d for d in kb.documents()}
    assert sorted(documents) == ["cats.txt", "rockets.md"]
    assert documents["cats.txt"]["chunks"] == 2 and documents["cats.txt"]["sha256"] != first_sha
    texts = [p.text for p in kb.search("What do cats eat?", k=3)]
    assert "# Diet\n\nCats eat meat and drink water." in texts
    assert CATS.decode() not in texts
    assert len(KnowledgeBase(kb.folder, kb.embed)) == 3


@pytest.mark.slow
def test_binary_document_is_rejected_and_the_stored_documents_stay(kb: KnowledgeBase) -> None:
    kb.add_document("cats.txt", CATS)
    with pytest.raises(InputError, match=r"evil\.txt is not a UTF-8 text file"):
        kb.add_document("evil.txt", BINARY)
    for store in (kb, KnowledgeBase(kb.folder, kb.embed)):
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


def run_cli(*args: str, kb_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "EXCHAT_KB_DIR": str(kb_dir),
        "EXCHAT_HOME": str(kb_dir.parent),
    }
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
def test_cli_adds_lists_and_rejects_binary_files(tmp_path: Path) -> None:
    kb_dir = tmp_path / "kb"
    doc = tmp_path / "cats.txt"
    doc.write_bytes(CATS)
    added = run_cli("kb", "add", str(doc), kb_dir=kb_dir)
    assert added.returncode == 0, added.stderr
    assert "cats.txt: 1 chunks added" in added.stdout
    listed = run_cli("kb", "list", kb_dir=kb_dir)
    assert listed.returncode == 0, listed.stderr
    assert re.search(r"cats\.txt\s+1 chunks", listed.stdout)
    bad = tmp_path / "photo.txt"
    bad.write_bytes(BINARY)
    rejected = run_cli("kb", "add", str(bad), kb_dir=kb_dir)
    assert rejected.returncode == 2
    assert "photo.txt is not a UTF-8 text file" in rejected.stderr
    assert "Traceback" not in rejected.stderr
    assert [d["name"] for d in KnowledgeBase(kb_dir, hashed_words_embed).documents()] == ["cats.txt"]


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
