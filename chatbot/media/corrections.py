"""Corrections of what was heard or read: each turn answered again after the user edited the text of a recording or a
picture (`Assistant.correct_input`), as a pair of the recogniser's text and the user's, with the file where the
operator kept it: the data a later speech or text-recognition fine-tune starts from. Pure functions over stored
turns; `python -m chatbot media export` writes them.
"""

from __future__ import annotations

from typing import Any

from core.records import TurnOutput
from core.store import TurnRecord


def input_corrections(turns: list[TurnRecord]) -> list[dict[str, Any]]:
    """One row per corrected reading among `turns` (oldest first): the turn, the turn it corrects, the modality, what
    the recogniser got (`recognised`, with its words or lines) and the user's text (`corrected`), and the files kept
    with the corrected turn (names under HOME/media/; None when none were kept or they were deleted)."""
    media = {turn.id: turn.media for turn in turns}
    rows = []
    for turn in turns:
        output = TurnOutput.from_json(turn.output)
        reading = output.rationale.input if output.rationale else None
        if reading is None or reading.corrects is None:
            continue
        row: dict[str, Any] = {
            "turn_id": turn.id,
            "corrects": reading.corrects,
            "session_id": turn.session_id,
            "created_at": turn.created_at.isoformat(),
            "modality": reading.modality,
            "recognised": reading.original,
            "corrected": reading.text,
            "media": media.get(reading.corrects),
        }
        row["words" if reading.modality == "audio" else "lines"] = list(
            reading.words if reading.modality == "audio" else reading.lines
        )
        rows.append(row)
    return rows
