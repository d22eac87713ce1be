"""The nightly retrain: users' ratings, corrections and routing labels become candidate adapters, promoted only if
no worse.

    python -m training.retrain --data ../shared/data                     # once, now
    python -m training.retrain --data ../shared/data --every-night 03:00 # in-process schedule (APScheduler)
    python -m training.retrain --data ../shared/data --cron "0 3 * * *"

For each skill with feedback newer than every version trained so far, and the request model with newer routing
labels (a clarifying question's choice, "wrong skill": `training.routing_feedback`; never the answering skill's):
1. the labelled examples split by a hash of their input into a training part and a fixed held-out part
   (`training.replay.Labels`);
2. a candidate is trained from the current adapter on the training part plus a replay sample of the model's original
   training data (`replay_ratio` per example; the request model's: `<data>/requests/`, from training.request_data);
   a candidate of a calibrated version (`training.calibrate`) is calibrated the same way;
3. the gate scores current and candidate on the selection split (never the report split; the request model's is the
   hand-written dev set) and on the held-out labels: promoted only if the selection score drops by at most `margin`
   points and the held-out score rises (routing labels, which may confirm what the current version read: does not
   fall). Either way the candidate is kept in the registry with its scores and the reason.
A skill with no adapter to start from (none released or current: a deployment without the request model) or no data
folder is skipped with the reason. A lock keeps two retrains apart; a run killed at any point leaves `current` as it
was (core/registry.py); the app swaps a promoted version in before its next turn (chatbot/adapters.py).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import shlex
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.config import AppConfig
from core.registry import AdapterRegistry, VersionRecord, now_iso, version_number
from core.store import FeedbackStore
from skills.encoder import BundleInfo, SharedEncoder
from skills.registry import get_skill, skill_names
from training import data as datasets
from training.calibrate import calibrate
from training.checkpoint import CHECKPOINT_DIR
from training.evaluate import adapter_logits_fn, evaluate, headline
from training.example_index import extend_index
from training.feedback import SILVER_WEIGHT, FeedbackConfig, FeedbackDataset
from training.feedback_export import load_feedback
from training.lock import RunLock
from training.model_card import write_retrained_card
from training.options import add_config_arguments, config_values
from training.replay import Labels, feedback_labels, mix_examples
from training.routing_feedback import MODEL as ROUTED_MODEL
from training.routing_feedback import routing_labels
from training.schedule import run_on_schedule, schedule_trigger
from training.train import TrainConfig, TrainingExamples, bundle_info, prepare_run, run_epochs

log = logging.getLogger(__name__)

LOCK_FILE = "retrain.lock"

# Settings a skill may set apart from the others (`--skill-settings`): how much a candidate trains and how much
# benchmark it may give up. NER and sentiment forget differently (docs/LEARNING.md); feedback rules stay shared.
PER_SKILL_SETTINGS = ("margin", "replay_ratio", "min_replay", "epochs", "learning_rate", "batch_size", "distill_weight")


def _app_default(name: str):
    return lambda: getattr(AppConfig.from_env(), name)


@dataclass
class RetrainConfig:
    data: Path = field(metadata={"help": "benchmark root: conll2003/, sst2/, squad-v1.1/, requests/ (replay, gate)"})
    db_url: str = field(default_factory=_app_default("db_url"), metadata={"help": "feedback database URL"})
    registry: Path = field(default_factory=_app_default("registry"), metadata={"help": "adapter registry folder"})
    adapters: Path = field(
        default_factory=lambda: Path(AppConfig.from_env().adapters),
        metadata={"help": "released adapters, the first version of each skill"},
    )
    skills: str = field(
        default_factory=lambda: ",".join(skill_names(trainable=True, serving=None)),
        metadata={"help": "comma-separated skills (and the request model) to consider"},
    )
    margin: float = field(default=0.5, metadata={"help": "largest benchmark drop (points) a promotion may cost"})
    # replay 1:1, silver at a quarter weight, 2 epochs at 3e-4: chosen on held-out feedback and CoNLL testa from
    # 300 simulated corrections (docs/LEARNING.md); 2:1 replay or half-weight silver learned the corrections less.
    replay_ratio: float = field(default=1.0, metadata={"help": "original training examples per feedback example"})
    min_replay: int = field(default=200, metadata={"help": "replay at least this many original examples"})
    heldout_fraction: float = field(default=0.2, metadata={"help": "share of feedback inputs kept for the gate"})
    epochs: int = field(default=2, metadata={"help": "passes over feedback + replay (the last one is kept)"})
    learning_rate: float = field(default=3e-4, metadata={"help": "peak AdamW learning rate"})
    batch_size: int = field(default=16, metadata={"help": "examples per step"})
    per_session_cap: int = field(default=50, metadata={"help": "most examples one session contributes"})
    silver_weight: float = field(default=SILVER_WEIGHT, metadata={"help": "loss weight of 👍-confirmed model outputs"})
    distill_weight: float = field(
        default=0.0,
        metadata={"help": "keep the candidate's outputs on replayed examples close to the current version's (KL)"},
    )
    gate_limit: int | None = field(default=None, metadata={"help": "score only N selection examples (tests)"})
    seed: int = field(default=13, metadata={"help": "random seed for replay sampling and training"})
    force: bool = field(default=False, metadata={"help": "retrain even without new feedback"})
    skill_settings: str = field(
        default="",
        metadata={"help": 'JSON: settings one skill uses instead of the options above, {"ner": {"epochs": 3}}'},
    )

    def __post_init__(self) -> None:
        self.data, self.registry, self.adapters = Path(self.data), Path(self.registry), Path(self.adapters)
        self.skill_overrides = parse_skill_settings(self.skill_settings)
        known = skill_names(trainable=True, serving=None)
        unknown = set(self.skill_list) - set(known)
        if unknown or not self.skill_list:
            raise ValueError(f"unknown skills {sorted(unknown)}; choose from {', '.join(known)}")
        if self.margin < 0 or self.replay_ratio < 0 or self.min_replay < 0:
            raise ValueError(f"margin, replay_ratio and min_replay must be >= 0: {self.margin=}, {self.replay_ratio=}")
        if not 0.0 < self.heldout_fraction < 1.0:
            raise ValueError(f"heldout_fraction must be between 0 and 1, got {self.heldout_fraction}")
        for skill in self.skill_list:  # a model that serves no user is optional: retrain() skips it without data
            if get_skill(skill).spec.serves and not (self.data / datasets.data_spec(skill).folder).is_dir():
                raise ValueError(f"no {skill} benchmark folder {self.data / datasets.data_spec(skill).folder}")

    @property
    def skill_list(self) -> list[str]:
        return [s.strip() for s in self.skills.split(",") if s.strip()]

    def for_skill(self, skill: str) -> RetrainConfig:
        """The configuration one skill's retrain runs with: this one, for `skill` alone, with its own settings."""
        return dataclasses.replace(self, skills=skill, skill_settings="", **self.skill_overrides.get(skill, {}))


def parse_skill_settings(text: str) -> dict[str, dict[str, float | int]]:
    """`{"skill": {"setting": number}}` from `--skill-settings`, checked against the trainable skills and
    PER_SKILL_SETTINGS."""
    if not text.strip():
        return {}
    try:
        settings = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"skill_settings is not valid JSON ({error}): {text!r}") from None
    if not isinstance(settings, dict) or not all(isinstance(v, dict) for v in settings.values()):
        raise ValueError(f'skill_settings must map skills to settings, like {{"ner": {{"epochs": 3}}}}: {text!r}')
    types = {f.name: f.type for f in dataclasses.fields(RetrainConfig)}
    known = skill_names(trainable=True, serving=None)
    for skill, values in settings.items():
        if skill not in known:
            raise ValueError(f"skill_settings names an unknown skill {skill!r}; choose from {', '.join(known)}")
        for name, value in values.items():
            if name not in PER_SKILL_SETTINGS:
                raise ValueError(f"{name!r} cannot be set per skill; these can: {', '.join(PER_SKILL_SETTINGS)}")
            number = (int,) if types[name] == "int" else (int, float)
            least = 1 if name in ("epochs", "batch_size") else 0
            if isinstance(value, bool) or not isinstance(value, number) or value < least:
                raise ValueError(
                    f"skill_settings {skill}.{name} must be a number >= {least} ({types[name]}), got {value!r}"
                )
    return settings


def gate(
    benchmark: tuple[float, float],
    feedback: tuple[float, float],
    margin: float,
    metric: str,
    must_improve: bool = True,
) -> tuple[bool, str]:
    """Promote or not, and why, from (current, candidate) benchmark and held-out feedback scores; the held-out
    score must rise, or with `must_improve=False` (routing labels) not fall."""
    (bench_now, bench_new), (fb_now, fb_new) = benchmark, feedback
    drop = bench_now - bench_new
    if drop > margin:
        return False, f"benchmark {metric} fell {drop:.2f} points ({bench_now:.2f} -> {bench_new:.2f}), over {margin}"
    if must_improve and fb_new <= fb_now:
        return False, f"held-out feedback {metric} did not improve ({fb_now:.2f} -> {fb_new:.2f})"
    if fb_new < fb_now:
        return False, f"held-out feedback {metric} fell ({fb_now:.2f} -> {fb_new:.2f})"
    return True, (
        f"held-out feedback {metric} {fb_now:.2f} -> {fb_new:.2f}; benchmark {bench_now:.2f} -> {bench_new:.2f}"
    )


class Scorer:
    """Scores adapter bundles through the app's own loading path (one encoder for the whole retrain)."""

    def __init__(self, base_model: str | None = None) -> None:
        self.encoder = SharedEncoder(base_model)
        self._loaded: dict[str, Path] = {}  # skill -> the bundle loaded for it now

    def score(self, skill: str, folder: Path, examples: list) -> float:
        name = f"{skill}-scored"
        if self._loaded.get(skill) != Path(folder):  # current and candidate are each scored on two sets
            self.encoder.load_adapter(name, folder)
            self._loaded[skill] = Path(folder)
        info = self.encoder.bundles[name]
        metrics = evaluate(
            skill, adapter_logits_fn(self.encoder, name), self.encoder.tokenizer, examples, info.max_length
        )
        return float(metrics[headline(skill)])


def unavailable(skill: str, config: RetrainConfig, registry: AdapterRegistry) -> str | None:
    """Why `skill` cannot be retrained here (no adapter to start from, no data folder), or None."""
    released = config.adapters / skill
    if registry.current(skill) is None and not released.is_dir():
        return f"no {skill} adapter to retrain: none released in {released}, none current in {config.registry}"
    data_dir = config.data / datasets.data_spec(skill).folder
    if not data_dir.is_dir():
        return f"no {skill} data folder {data_dir} to replay from and gate on"
    return None


def retrain_skill(
    skill: str, labels: Labels, config: RetrainConfig, registry: AdapterRegistry, scorer: Scorer
) -> dict[str, Any]:
    """One skill's retrain; returns its outcome for the report (skipped, promoted or rejected, and why)."""
    outcome: dict[str, Any] = {"skill": skill, "current": registry.current(skill), "feedback_examples": labels.examples}
    missing = unavailable(skill, config, registry)
    if missing:
        log.warning("%s skipped: %s", skill, missing)
        return {**outcome, "action": "skipped", "reason": missing}
    released = config.adapters / skill
    current = registry.current(skill) or registry.seed(skill, released, BundleInfo.read(released).version)
    outcome["current"] = current
    trained_through = max((r.data.get("through_rating_id", 0) for r in registry.versions(skill)), default=0)
    if labels.newest_rating <= trained_through and not config.force:
        return {**outcome, "action": "skipped", "reason": f"no new feedback since rating {trained_through}"}
    if not labels.train or not labels.held_out:
        reason = f"{len(labels.train)} training and {len(labels.held_out)} held-out labelled examples: need one each"
        return {**outcome, "action": "skipped", "reason": reason}
    started = time.time()
    version = registry.next_version(skill)
    staging, info, mixed = train_candidate(skill, version, labels, config, registry, scorer)
    metrics = gate_scores(skill, current, staging, labels.held_out, config, registry, scorer)
    promote, reason = gate(
        (metrics["benchmark"]["current"], metrics["benchmark"]["score"]),
        (metrics["feedback"]["current"], metrics["feedback"]["score"]),
        config.margin,
        headline(skill),
        labels.must_improve,
    )
    data = {
        "feedback_examples": mixed.feedback_examples,
        "replay_examples": mixed.replay_examples,
        "held_out_examples": len(labels.held_out),
        "by_kind": labels.by_kind,
        "through_rating_id": labels.newest_rating,
    }
    info.metrics = metrics
    info.training.update(feedback=data, gate={"promoted": promote, "reason": reason})
    info.write(staging)
    write_retrained_card(staging, info)
    status = "promoted" if promote else "rejected"
    record = VersionRecord(skill, version, status, now_iso(), current, reason, metrics, data, list(labels.rating_ids))
    registry.add(staging, record)
    if promote:
        registry.promote(skill, version, reason)
    else:
        registry.log_event(skill, {"time": now_iso(), "action": "reject", "version": version, "reason": reason})
    log.info("%s %s %s: %s", skill, version, status, reason)
    return {
        **outcome,
        **{"action": status, "version": version, "reason": reason, "metrics": metrics, "data": data},
        "seconds": round(time.time() - started),
    }


def gate_scores(skill, current, candidate_folder, held_out, config, registry, scorer) -> dict[str, Any]:
    """Current and candidate on the benchmark's selection split and on the held-out labels."""
    benchmark = benchmark_scores(skill, current, candidate_folder, config, registry, scorer)
    candidate_score = scorer.score(skill, candidate_folder, held_out)  # still loaded from the benchmark
    current_score = scorer.score(skill, registry.folder(skill, current), held_out)
    return {
        "benchmark": {**benchmark, "score": benchmark["candidate"]},
        "feedback": {
            "metric": headline(skill),
            "examples": len(held_out),
            "current": current_score,
            "score": candidate_score,
        },
    }


def train_candidate(skill, version, labels: Labels, config, registry, scorer):
    """Train a candidate from the current adapter in a staging folder; returns (folder, bundle info, dataset)."""
    current_folder = registry.current_folder(skill)
    data_dir = config.data / datasets.data_spec(skill).folder
    # A different replay sample and batch order every night, the same for a rerun of the same night.
    seed = config.seed + version_number(version)
    pool = datasets.training_examples(skill, data_dir, config.seed)
    mixed = mix_examples(labels.train, labels.weights, pool, config.replay_ratio, config.min_replay, seed)
    staging = registry.staging(skill, version)
    train_config = TrainConfig(
        skill=skill,
        data=data_dir,
        out=staging,
        version=version,
        epochs=config.epochs,
        batch_size=config.batch_size,
        learning_rate=config.learning_rate,
        max_length=BundleInfo.read(current_folder).max_length,
        seed=seed,
        init_adapter=current_folder,
        distill_weight=config.distill_weight,
    )
    log.info("%s %s: %d feedback + %d replay examples", skill, version, mixed.feedback_examples, mixed.replay_examples)
    given = TrainingExamples(mixed.train, mixed.weights, select=[], replayed=mixed.replay_examples)
    run = prepare_run(train_config, given)
    state = run_epochs(run, staging, time.time())
    shutil.rmtree(staging / CHECKPOINT_DIR, ignore_errors=True)
    command = "python -m training.retrain " + shlex.join(_cli_args(config))
    info = bundle_info(run, state, command)
    # Its "similar examples": the parent's index plus what it learned from users.
    info.training["example_index"] = extend_index(current_folder, staging, labels.records, scorer.encoder.embed)
    info.write(staging)  # complete bundle, scored next; its metrics follow
    if "calibration" in BundleInfo.read(current_folder).training:  # its probabilities mean what the parent's did
        info.training["calibration"] = {**calibrate(staging, data_dir, scorer.encoder), "by": "training.retrain"}
        info.write(staging)
    return staging, info, mixed


def benchmark_scores(skill, current, candidate_folder, config, registry, scorer) -> dict[str, Any]:
    """Current and candidate on the selection split; the current version's score is kept in its record."""
    data_dir = config.data / datasets.data_spec(skill).folder
    # The part held out is in the key: a score cached on another slice (SST-2's phrases, before it selected on
    # whole sentences) must not stand in for the current version's score on this one.
    split = {"split": "select", **datasets.split_sources(skill, config.seed)["select"], "limit": config.gate_limit}
    examples = datasets.load_split(skill, data_dir, "select", config.seed)[: config.gate_limit]
    record = registry.record(skill, current)
    cached = record.metrics.get("benchmark", {})
    if all(cached.get(k) == v for k, v in split.items()) and "score" in cached:
        current_score = cached["score"]
    else:
        current_score = scorer.score(skill, registry.folder(skill, current), examples)
        record.metrics["benchmark"] = {**split, "metric": headline(skill), "score": current_score}
        record.write(registry.folder(skill, current))
    candidate_score = scorer.score(skill, candidate_folder, examples)
    return {**split, "metric": headline(skill), "current": current_score, "candidate": candidate_score}


def retrain(config: RetrainConfig) -> dict[str, Any]:
    """Run one retrain of every configured skill under the lock; returns the report (also written to disk)."""
    registry = AdapterRegistry(config.registry)
    started = time.time()
    with RunLock(config.registry / LOCK_FILE) as lock:
        registry.clean_staging()
        store = FeedbackStore(config.db_url)
        dataset = load_feedback(
            store, FeedbackConfig(silver_weight=config.silver_weight, per_session_cap=config.per_session_cap)
        )
        scorer = Scorer()
        outcomes = []
        for skill in config.skill_list:
            skill_config = config.for_skill(skill)
            labels = labels_for(skill, dataset, store, skill_config)
            outcomes.append(retrain_skill(skill, labels, skill_config, registry, scorer))
        report = {
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
            "seconds": round(time.time() - started),
            "feedback": dataset.summary(),
            "recovered_stale_lock": lock.recovered,
            "skills": outcomes,
        }
    registry.write_report(report)
    return report


def labels_for(skill: str, dataset: FeedbackDataset, store: FeedbackStore, config: RetrainConfig) -> Labels:
    """What `skill` learns from: users' routing labels for the model they teach, else its own feedback examples."""
    if skill == ROUTED_MODEL:
        ratings = store.ratings()  # before the turns, as load_feedback reads them: every rating has its turn
        return routing_labels(store.rated_turns(), ratings, config.heldout_fraction, config.per_session_cap)
    return feedback_labels(
        [e for e in dataset.examples if e.skill == skill], config.heldout_fraction, config.silver_weight
    )


def _cli_args(config: RetrainConfig) -> list[str]:
    defaults = {f.name: f.default for f in dataclasses.fields(RetrainConfig)}
    args = []
    for name, value in dataclasses.asdict(config).items():  # a skill's own settings are plain options here
        if name in ("db_url", "registry", "adapters") or value == defaults.get(name):
            continue
        option = "--" + name.replace("_", "-")
        args += [option] if value is True else [] if value is False else [option, str(value)]
    return args


def parse_args(argv: list[str]) -> tuple[RetrainConfig, argparse.Namespace]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_config_arguments(parser, RetrainConfig)
    schedule = parser.add_mutually_exclusive_group()
    schedule.add_argument("--every-night", metavar="HH:MM", help="stay running and retrain every day at this time")
    schedule.add_argument("--cron", metavar="EXPR", help='stay running and retrain on a crontab schedule, "0 3 * * *"')
    args = parser.parse_args(argv)
    return RetrainConfig(**config_values(args, RetrainConfig)), args


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    config, args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.every_night or args.cron:
        trigger = schedule_trigger(args.every_night, args.cron)
        run_on_schedule(lambda: print(json.dumps(retrain(config), indent=2, ensure_ascii=False)), trigger, "retrain")
        return 0
    print(json.dumps(retrain(config), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
