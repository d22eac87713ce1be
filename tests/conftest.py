"""Shared fixtures: the real packaged encoder with the committed adapters, on a temporary home folder."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    from chatbot.assistant import Assistant
    from core.config import AppConfig

    home = tmp_path_factory.mktemp("home")
    config = AppConfig.from_env(home=home)
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
