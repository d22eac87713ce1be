"""Help answers train nothing; a correction of one is kept as what the user expected, for people to read."""

from __future__ import annotations

from typing import Any

from core.errors import InputError


def parse_correction(correction: str, inputs: dict[str, str | None], data: dict[str, Any]) -> dict[str, Any]:
    if not correction.strip():
        raise InputError("write what you expected instead")
    return {"expected": correction.strip()[:2000]}
