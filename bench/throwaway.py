"""An `Assistant` on a throw-away home, for benchmarks that send messages through the app's own path and keep
nothing: its database, registry and knowledge base live in a temporary folder removed afterwards."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chatbot.assistant import Assistant


@contextmanager
def throwaway_assistant(**config: Any) -> Iterator[Assistant]:
    """`Assistant.from_config` on a temporary home (`config`: AppConfig fields, e.g. torch_threads=1), closed and
    removed on exit."""
    from chatbot.assistant import Assistant
    from core.config import AppConfig

    with tempfile.TemporaryDirectory() as home:
        assistant = Assistant.from_config(AppConfig.from_env(home=Path(home), **config))
        try:
            yield assistant
        finally:
            assistant.close()
