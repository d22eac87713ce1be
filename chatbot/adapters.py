"""Which adapter version each skill serves, and swapping in a newly promoted one while the app runs.

A skill serves the registry's current version (`core/registry.py`) when the registry has one, else the
released bundle in `adapters/`. `refresh` (called before each turn, at most every `check_every` seconds) reads the
registry's `CURRENT` files and loads any version that changed onto the shared encoder; the encoder swaps it in under
its lock, so a turn runs wholly on one version. A version that fails to load is logged and the old one keeps serving.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from core.registry import AdapterRegistry
from skills.encoder import SharedEncoder
from skills.examples import INDEX_FILE, RECORDS_FILE

log = logging.getLogger(__name__)


class AdapterSource:
    def __init__(
        self,
        encoder: SharedEncoder,
        released: Path,
        registry: AdapterRegistry,
        skills: Iterable[str],
        check_every: float = 2.0,
    ) -> None:
        self.encoder = encoder
        self.released = Path(released)
        self.registry = registry
        self.skills = tuple(skills)
        self.check_every = check_every
        self.loaded: dict[str, Path] = {}  # skill -> folder of the version in use
        self.failed: dict[str, str] = {}  # skill -> why the registry's current version could not be loaded
        self._checked_at = float("-inf")
        self._refresh_lock = threading.Lock()

    @property
    def lock(self) -> threading.RLock:
        """Held while a turn runs a skill and reads its version, so no swap falls in between."""
        return self.encoder.lock

    def complete_shipped_copies(self) -> dict[str, list[str]]:
        """Give the registry's copies of the released bundles the example indexes shipped since it was seeded (QA's
        came later), so an install that retrained before shows the same similar examples as a new one."""
        added = {}
        for skill in self.skills:
            names = self.registry.complete_shipped(skill, self.released / skill, (RECORDS_FILE, INDEX_FILE))
            if names:
                added[skill] = names
        return added

    def folders(self) -> dict[str, Path]:
        return {skill: self.folder(skill) for skill in self.skills}

    def folder(self, skill: str) -> Path:
        return self.registry.current_folder(skill) or self.released / skill

    def mark_loaded(self, folders: dict[str, Path]) -> None:
        self.loaded.update(folders)
        self._checked_at = time.monotonic()

    def refresh(self, force: bool = False) -> dict[str, str]:
        """Load every skill whose current version changed; returns {skill: version now served} for those."""
        if not force and time.monotonic() - self._checked_at < self.check_every:
            return {}
        swapped: dict[str, str] = {}
        with self._refresh_lock:
            self._checked_at = time.monotonic()
            for skill in self.skills:
                try:
                    folder = self.folder(skill)
                    if folder == self.loaded.get(skill):
                        continue
                    info = self.encoder.load_adapter(skill, folder)
                except Exception as error:  # the running version keeps serving; the error is logged and kept
                    reason = f"{type(error).__name__}: {error}"
                    if self.failed.get(skill) != reason:
                        log.error(
                            "%s: could not load the registry's current adapter, keeping the old one: %s", skill, reason
                        )
                    self.failed[skill] = reason
                    continue
                self.failed.pop(skill, None)
                self.loaded[skill] = folder
                swapped[skill] = info.version
                log.info("%s now serves adapter version %s from %s", skill, info.version, folder)
        return swapped
