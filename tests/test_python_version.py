"""Nothing in the project needs a newer Python than `requires-python` says (3.10): vermin reads every module and
knows which version each language feature and standard-library member arrived in (`datetime.UTC`: 3.11)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from core.config import REPO_ROOT

pytest.importorskip("vermin", reason="vermin is in the dev extra")


def minimum_python() -> str:
    text = (REPO_ROOT / "pyproject.toml").read_text()  # tomllib is 3.11+: read the one line
    return re.search(r'^requires-python = ">=(\d+\.\d+)"$', text, re.M).group(1)


def vermin(*paths: str) -> subprocess.CompletedProcess:
    run_vermin = "import sys; from vermin.main import main; sys.exit(main())"
    command = [sys.executable, "-c", run_vermin, f"-t={minimum_python()}-", "--violations", "--no-tips", *paths]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT)


def test_the_project_runs_on_the_python_it_claims():
    done = vermin("app.py", "core", "chatbot", "skills", "training", "bench", "tests")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_check_catches_a_standard_library_name_from_a_newer_python(tmp_path):
    newer = tmp_path / "newer.py"
    newer.write_text("from datetime import UTC, datetime\n\nprint(datetime.now(UTC))\n")
    done = vermin(str(newer))
    assert done.returncode != 0 and "datetime.UTC" in done.stdout
