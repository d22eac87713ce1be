"""Shared fixtures: the real packaged encoder with the committed adapters, on a temporary home folder.

The app's knowledge base starts empty; the shared assistant's is given the made-up documents of a user in
`tests/fixtures/kb/` (a bike rental's rules, a shop's returns policy, an office handbook), explicitly.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
if os.environ.get("PYTEST_XDIST_WORKER"):
    # pytest-xdist runs one worker per core: each worker's torch on one thread, or the two oversubscribe the cores
    # and spin (two 2-thread torch processes on 2 cores ran about 10x slower).
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("MKL_NUM_THREADS", "1")

FIXTURE_DOCUMENTS = Path(__file__).resolve().parent / "fixtures" / "kb"


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    from chatbot.assistant import Assistant
    from core.config import AppConfig

    home = tmp_path_factory.mktemp("home")
    config = AppConfig.from_env(home=home, default_docs=FIXTURE_DOCUMENTS)
    built = Assistant.from_config(config)
    yield built
    built.store.close()


@pytest.fixture(scope="session")
def app_url(assistant):
    """The real Gradio app over the shared assistant, launched on a free local port."""
    from chatbot.ui import build_demo

    demo = build_demo(assistant)
    demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=None, quiet=True)
    yield demo.local_url
    demo.close()


@pytest.fixture(scope="module")
def one_thread():
    """One torch thread for a module: two threads on shared, busy cores can be many times slower (spinning)."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def skills():
    """The skills on their own encoder with the released adapters (tests that change weights use this one)."""
    from core.config import REPO_ROOT
    from skills import build_skills
    from skills.encoder import SharedEncoder
    from skills.registry import skill_names

    adapters = REPO_ROOT / "adapters"
    return build_skills(SharedEncoder(), {name: adapters / name for name in skill_names(trainable=True)})


UNSURE_REVIEW = "the staff were lovely but the room smelled of smoke"


class UnsureReader:
    """Stands in for the request model: reads every message the same unsure way (sentiment 45%, names 35%, a
    knowledge-base question 15%), with UNSURE_REVIEW as the text where the message holds it."""

    def read(self, message, context):
        from skills.request.spec import Understanding

        start = message.find(UNSURE_REVIEW)
        spans = {"TEXT": (start, start + len(UNSURE_REVIEW))} if start >= 0 else {}
        intents = {"sentiment/new_text": 0.45, "ner/new_text": 0.35, "qa/kb_question": 0.15, "help/help": 0.05}
        return Understanding("sentiment", "new_text", 0.45, intents, spans)

    def similar_examples(self, query, k=3):
        return None  # a stand-in has no training requests


@pytest.fixture
def unsure_review() -> str:
    """The text UnsureReader reads as the text to analyse."""
    return UNSURE_REVIEW


@pytest.fixture
def own_store(assistant, tmp_path):
    """Builds assistants that share the shared assistant's models and knowledge base but keep their own store (and
    memory) in tmp_path: `own_store(request_model=..., memory=lambda config: ..., **settings)`, the settings as
    `AppConfig.from_env` takes them. Closes what it built, never the shared parts."""
    from chatbot.assistant import Assistant
    from core.config import AppConfig
    from core.store import FeedbackStore

    built = []

    def build(request_model=assistant.request_model, memory=None, **settings):
        config = AppConfig.from_env(environ={}, home=tmp_path, **settings)
        made = Assistant(
            assistant.skills,
            assistant.router,
            FeedbackStore(config.db_url),
            assistant.knowledge,
            config,
            request_model=request_model,
            memory=memory(config) if memory else None,
        )
        built.append(made)
        return made

    yield build
    for made in built:
        made.stop_purging()
        made.store.close()
        if made.memory is not None:
            made.memory.close()


@pytest.fixture
def unsure(own_store):
    """The shared assistant's skills with an unsure request model that asks below 60%, on its own store."""
    return own_store(request_model=UnsureReader(), request_threshold=0.6)
