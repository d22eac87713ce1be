"""Distillation from a teacher adapter on another encoder (Hinton, Vinyals and Dean 2015, "Distilling the Knowledge
in a Neural Network"): the teacher's soft targets, computed once into a file, are mixed with the gold loss.

    python -m training.teacher --skill sentiment --data ../shared/data/sst2 --teacher adapters-accurate/sentiment \\
        --out runs/teacher-sentiment.pt
    python -m training.train --skill sentiment --data ../shared/data/sst2 --out runs/sentiment-distilled \\
        --teacher-targets runs/teacher-sentiment.pt --teacher-weight 0.5 --teacher-temperature 2

Teacher and student read text through different tokenizers, so targets are stored in the text's own terms, keyed by
the input each row was tokenized from: a distribution per text (sequence heads), per word (token heads: the word's
first sub-token, as the gold labels), and for span heads the start/end logits of each context token with its
character span. A student window receives the teacher's start (end) probability of every teacher token whose first
(last) character falls in one of its tokens, and the mass outside the window at [CLS], as the gold labels mark a
window without the answer. The loss is (1 - w) * gold + w * T² * KL(teacher_T || student_T).

Rows are matched to their input by `RecordingTokenizer`, which sees every call the skill's own `features` makes, so
no skill needs to know about distillation. A long teacher run saves what it has every few hundred batches and
continues with `--resume`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from tqdm import tqdm

from skills.encoder import BundleInfo, SharedEncoder
from skills.registry import get_skill, skill_names
from training import data as datasets
from training.features import collate

log = logging.getLogger(__name__)
NO_WORD = -1  # a token's word id where it has none ([CLS]: the request model's intent)


@dataclass
class Row:
    """What the tokenizer said about one encoded row: the input it came from and each token's coordinates."""

    key: str
    sequence_ids: list[int | None]
    word_ids: list[int | None]
    offsets: list[tuple[int, int]] | None


def input_key(text: Any, pair: Any) -> str:
    return hashlib.sha1(json.dumps([text, pair], ensure_ascii=False).encode()).hexdigest()


class RecordingTokenizer:
    """A tokenizer that notes every row it encodes (`rows`, in order), for features built one row per encoded row."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer
        self.rows: list[Row] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tokenizer, name)

    def __call__(self, text: Any = None, text_pair: Any = None, **options: Any) -> Any:
        enc = self.tokenizer(text, text_pair, **options)
        split = options.get("is_split_into_words", False)
        batched = isinstance(text, list) and (not split or (bool(text) and isinstance(text[0], list)))
        texts = text if batched else [text]
        pairs = text_pair if batched and text_pair is not None else [text_pair] * len(texts)
        ids = enc["input_ids"]
        rows_of_lists = bool(ids) and isinstance(ids[0], list)
        n_rows = len(ids) if rows_of_lists else 1
        samples = enc.get("overflow_to_sample_mapping") or list(range(n_rows))
        offsets = enc.get("offset_mapping")
        for row in range(n_rows):
            row_offsets = offsets[row] if offsets is not None and rows_of_lists else offsets
            self.rows.append(
                Row(
                    key=input_key(texts[samples[row]], pairs[samples[row]]),
                    sequence_ids=enc.sequence_ids(row),
                    word_ids=enc.word_ids(row),
                    offsets=None if row_offsets is None else [tuple(o) for o in row_offsets],
                )
            )
        return enc


def recorded_features(build: Callable, examples: list, tokenizer: Any, max_length: int, weights=None):
    """(features, rows): the skill's features and the row each one was encoded from."""
    recorder = RecordingTokenizer(tokenizer)
    features = build(examples, recorder, max_length, weights)
    if len(recorder.rows) != len(features):
        raise ValueError(f"{len(features)} features from {len(recorder.rows)} encoded rows: cannot match them")
    return features, recorder.rows


@dataclass
class SoftTargets:
    """A teacher's logits for a skill's training inputs, in tokenizer-free terms (module docstring)."""

    skill: str
    kind: str
    labels: list[str]
    teacher: dict[str, Any]
    targets: dict[str, Any] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".tmp")
        torch.save(self.__dict__, partial)
        partial.replace(path)

    @classmethod
    def load(cls, path: Path, skill: str | None = None) -> SoftTargets:
        loaded = cls(**torch.load(path, weights_only=True))
        if skill is not None:
            labels = list(get_skill(skill).spec.head_labels)
            if (loaded.skill, loaded.labels) != (skill, labels):
                raise ValueError(f"{path} holds {loaded.skill} targets over {loaded.labels}, not {skill} over {labels}")
        return loaded


def coordinate(row: Row, position: int) -> list[int]:
    """A token's place in tokenizer-free terms: (which text of the pair, which word), or NO_WORD twice ([CLS])."""
    word = row.word_ids[position]
    return [NO_WORD, NO_WORD] if word is None else [row.sequence_ids[position], word]


def row_payload(kind: str, row: Row, feature: dict, logits: torch.Tensor) -> Any:
    """One row's teacher logits in tokenizer-free terms: [C] (sequence), (coordinates [n, 2], logits [n, C]) of the
    labelled tokens (token), (character spans [n, 2], start/end logits [n, 2]) of the context tokens (span)."""
    if kind == "sequence":
        return logits.float().clone()
    if kind == "token":
        keep = [p for p, label in enumerate(feature["labels"]) if label != -100]
        coords = [
            [NO_WORD, NO_WORD] if row.word_ids[p] is None else [row.sequence_ids[p], row.word_ids[p]] for p in keep
        ]
        return torch.tensor(coords, dtype=torch.int32), logits[keep].float().clone()
    context = [p for p, sequence in enumerate(row.sequence_ids) if sequence == 1]
    spans = torch.tensor([row.offsets[p] for p in context], dtype=torch.int32)
    return spans, logits[context].float().clone()


def merged_windows(windows: list[tuple[torch.Tensor, torch.Tensor]]) -> tuple[torch.Tensor, torch.Tensor]:
    """One example's span logits from all its windows: a token in two windows gets their mean."""
    spans, logits = torch.cat([w[0] for w in windows]), torch.cat([w[1] for w in windows])
    unique, index = torch.unique(spans, dim=0, return_inverse=True)
    sums = torch.zeros(len(unique), logits.shape[1]).index_add_(0, index, logits)
    counts = torch.zeros(len(unique)).index_add_(0, index, torch.ones(len(index)))
    return unique, sums / counts.unsqueeze(1)


def feature_targets(kind: str, row: Row, feature: dict, payload: Any, temperature: float):
    """(target probabilities, mask) for one student feature; (None, empty mask) for a row the teacher never saw."""
    width = len(feature["input_ids"])
    if payload is None:
        return None, torch.tensor(False) if kind == "sequence" else torch.zeros(width, dtype=torch.bool)
    if kind == "sequence":
        return (payload / temperature).softmax(-1), torch.tensor(True)
    if kind == "token":
        coords, logits = payload
        by_coord = {tuple(c): i for i, c in enumerate(coords.tolist())}
        target, mask = torch.zeros(width, logits.shape[1]), torch.zeros(width, dtype=torch.bool)
        for p, label in enumerate(feature["labels"]):
            coord = tuple(coordinate(row, p))
            if label != -100 and coord in by_coord:
                target[p], mask[p] = (logits[by_coord[coord]] / temperature).softmax(-1), True
        return target, mask
    return span_targets(row, width, payload, temperature)


def span_targets(row: Row, width: int, payload: Any, temperature: float) -> tuple[torch.Tensor, torch.Tensor]:
    """Start/end probabilities over one window: each teacher token's mass at the window token holding its first
    (start) or last (end) character, and the mass of tokens outside the window at [CLS] (position 0)."""
    spans, logits = payload
    probabilities = (logits / temperature).softmax(0)  # over all the example's context tokens
    context = torch.tensor([p for p, sequence in enumerate(row.sequence_ids) if sequence == 1])
    starts = torch.tensor([row.offsets[p][0] for p in context.tolist()])
    ends = torch.tensor([row.offsets[p][1] for p in context.tolist()])
    target, mask = torch.zeros(width, 2), torch.zeros(width, dtype=torch.bool)
    mask[0] = True
    mask[context] = True
    for channel, char in ((0, spans[:, 0].long()), (1, spans[:, 1].long() - 1)):
        holder = (torch.searchsorted(starts, char, right=True) - 1).clamp(min=0)  # the last token starting at or before
        inside = (char >= starts[holder]) & (char < ends[holder])
        positions = torch.where(inside, context[holder], torch.zeros_like(holder))  # outside the window: [CLS]
        target[:, channel].index_add_(0, positions, probabilities[:, channel])
    return target, mask


def with_soft_targets(build: Callable, targets: SoftTargets, temperature: float) -> Callable:
    """The skill's `features` function, each feature given the teacher's `teacher` probabilities and `teacher_mask`."""

    def features(examples: list, tokenizer: Any, max_length: int, weights=None) -> list[dict]:
        built, rows = recorded_features(build, examples, tokenizer, max_length, weights)
        found = 0
        for feature, row in zip(built, rows, strict=True):
            payload = targets.targets.get(row.key)
            found += payload is not None
            target, mask = feature_targets(targets.kind, row, feature, payload, temperature)
            if target is None:  # no targets: zeros of the right shape, masked out
                shape = (len(targets.labels),) if targets.kind == "sequence" else (len(mask), len(targets.labels))
                target = torch.zeros(shape)
            feature["teacher"], feature["teacher_mask"] = target, mask
        log.info("teacher targets for %d of %d features (%s)", found, len(built), targets.teacher.get("folder"))
        return built

    return features


def soft_target_loss(
    student: torch.Tensor, target: torch.Tensor, mask: torch.Tensor, kind: str, temperature: float
) -> torch.Tensor:
    """T² * mean KL(target || softmax(student / T)) over the masked texts (sequence), tokens (token) or windows
    (span: over the masked positions, for start and end)."""
    scaled = student / temperature
    if kind == "span":
        scaled = scaled.masked_fill(~mask.unsqueeze(-1), -1e4)
        divergence = (torch.xlogy(target, target) - target * scaled.log_softmax(dim=1)).sum(dim=1).mean(dim=-1)
        rows = mask.any(dim=1)
    else:
        divergence = (torch.xlogy(target, target) - target * scaled.log_softmax(dim=-1)).sum(dim=-1)
        rows = mask
    rows = rows.to(divergence.dtype)
    return temperature**2 * (divergence * rows).sum() / rows.sum().clamp(min=1.0)


def mixed_loss(gold: torch.Tensor, logits: torch.Tensor, tensors: dict, kind: str, weight: float, temperature: float):
    """(1 - weight) * gold + weight * the soft-target loss."""
    soft = soft_target_loss(logits, tensors["teacher"], tensors["teacher_mask"], kind, temperature)
    return (1.0 - weight) * gold + weight * soft


def compute_targets(
    skill: str,
    examples: list,
    encoder: SharedEncoder,
    teacher: Path,
    batch_size: int = 32,
    done: SoftTargets | None = None,
    save: Callable[[SoftTargets], None] | None = None,
    save_every: float = 600.0,
) -> SoftTargets:
    """The teacher bundle's logits for `examples`, through the app's loading path; continues `done` when given,
    calling `save` with what is complete every `save_every` seconds."""
    info = encoder.load_adapter("teacher", teacher)
    kind = info.head.kind
    record = {"folder": str(teacher), "version": info.version, "base_model": info.base_model, "encoder": info.encoder}
    if done is not None and (done.teacher["folder"], done.teacher["version"]) != (str(teacher), info.version):
        raise ValueError(f"the targets to continue came from {done.teacher}, not {teacher} {info.version}")
    out = done or SoftTargets(skill, kind, list(info.head.labels), record)
    build = get_skill(skill).data.features
    features, rows = recorded_features(build, examples, encoder.tokenizer, info.max_length)
    todo = [i for i, row in enumerate(rows) if row.key not in out.targets]
    remaining: dict[str, int] = {}
    for i in todo:
        remaining[rows[i].key] = remaining.get(rows[i].key, 0) + 1
    windows: dict[str, list] = {}
    saved_at = time.monotonic()
    for start in tqdm(range(0, len(todo), batch_size), desc=f"teacher {skill}"):
        batch = todo[start : start + batch_size]
        tensors = collate([features[i] for i in batch], kind)
        with torch.inference_mode(), encoder.adapter("teacher") as head:
            logits = encoder.logits(
                head,
                tensors["input_ids"],
                tensors["attention_mask"],
                tensors.get("shape_ids"),
                tensors["token_type_ids"],
            )
        for j, i in enumerate(batch):
            row = rows[i]
            own = logits[j] if kind == "sequence" else logits[j][: len(features[i]["input_ids"])]
            payload = row_payload(kind, row, features[i], own)
            windows.setdefault(row.key, []).append(payload)
            remaining[row.key] -= 1
            if remaining[row.key] == 0:
                parts = windows.pop(row.key)
                out.targets[row.key] = merged_windows(parts) if kind == "span" else parts[0]
        if save is not None and time.monotonic() - saved_at > save_every:
            save(out)
            saved_at = time.monotonic()
    return out


def main(argv: list[str] | None = None) -> SoftTargets:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skill", required=True, choices=skill_names(trainable=True, serving=None))
    parser.add_argument("--data", required=True, help="benchmark folder: its training split is labelled")
    parser.add_argument("--teacher", required=True, type=Path, help="the teacher's adapter bundle")
    parser.add_argument("--out", required=True, type=Path, help="file for the soft targets (torch.save)")
    parser.add_argument("--limit", type=int, help="only the first N training examples (as training.train --limit)")
    parser.add_argument("--extra-train", type=Path, help="also the extra training examples training.train reads")
    parser.add_argument("--seed", type=int, default=13, help="the seed training.train holds out selection with")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--resume", action="store_true", help="continue from the targets already in OUT")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    examples = datasets.training_examples(args.skill, args.data, args.seed)[: args.limit]
    if args.extra_train is not None:
        examples += datasets.extra_training_examples(args.skill, args.extra_train, args.data, args.seed)
    done = SoftTargets.load(args.out, args.skill) if args.resume and args.out.is_file() else None
    encoder = SharedEncoder(BundleInfo.read(args.teacher).base_model)
    targets = compute_targets(
        args.skill, examples, encoder, args.teacher, args.batch_size, done, save=lambda t: t.save(args.out)
    )
    targets.teacher.update({"data": str(args.data), "examples": len(examples), "limit": args.limit})
    targets.save(args.out)
    log.info("wrote %d %s targets to %s", len(targets.targets), args.skill, args.out)
    return targets


if __name__ == "__main__":
    main()
