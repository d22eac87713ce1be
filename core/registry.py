"""The adapter registry: every version of every skill's adapter in its own folder, and which one is current.

    python -m core.registry list [--skill ner]
    python -m core.registry promote ner/v4
    python -m core.registry rollback ner

On disk, under the registry root (`EXCHAT_REGISTRY`, default `$EXCHAT_HOME/registry`):

    ner/versions/v3/          an adapter bundle (see skills/encoder.py) plus record.json: status, metrics,
    ner/versions/v4/          parent version, training data summary and the feedback ids it used
    ner/CURRENT               {"version": "v4", ...}: the version the app serves, replaced atomically
    ner/history.jsonl         one line per promotion, rollback or rejection, append-only
    reports/, last_report.json   what each nightly retrain did (training/retrain.py)

A version folder appears by renaming a finished staging folder, and `CURRENT` by renaming a finished temporary
file, so a crash at any moment leaves either the old or the new state, never half of one. Standard library only:
the app reads the registry on every turn to pick up promoted versions without a restart.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import shutil
import sys
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from core.files import replace_atomically

log = logging.getLogger(__name__)

RECORD_FILE = "record.json"
CURRENT_FILE = "CURRENT"
HISTORY_FILE = "history.jsonl"
STAGING_PREFIX = ".staging-"
LAST_REPORT = "last_report.json"
STATUSES = ("shipped", "promoted", "rejected")


SHIPPED_WEIGHTS = ("adapter_model.safetensors", "head.safetensors")  # what makes a copy the released bundle


def _same_weights(copy: Path, bundle_folder: Path) -> bool:
    """Whether a registry copy holds the bundle's weights, byte for byte."""

    def read(path: Path) -> bytes | None:
        return path.read_bytes() if path.is_file() else None

    return (copy / SHIPPED_WEIGHTS[0]).is_file() and all(
        read(copy / name) == read(bundle_folder / name) for name in SHIPPED_WEIGHTS
    )


class RegistryError(ValueError):
    """A registry request that cannot be done (unknown version, nothing to roll back to); the message says why."""


@dataclass
class VersionRecord:
    """What `record.json` says about one version."""

    skill: str
    version: str
    status: str  # "shipped" (seeded from the released adapter), "promoted" or "rejected" by the gate
    created_at: str
    parent: str | None = None  # the version this one was trained from
    reason: str = ""  # why the gate promoted or rejected it
    metrics: dict[str, Any] = field(default_factory=dict)  # gate scores: benchmark selection split and feedback
    data: dict[str, Any] = field(default_factory=dict)  # training data summary
    feedback_rating_ids: list[int] = field(default_factory=list)  # the ratings whose examples trained it

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}; expected one of {STATUSES}")

    @classmethod
    def read(cls, folder: Path) -> VersionRecord:
        return cls(**json.loads((folder / RECORD_FILE).read_text()))

    def write(self, folder: Path) -> None:
        text = json.dumps(asdict(self), indent=2) + "\n"
        replace_atomically(folder / RECORD_FILE, lambda path: path.write_text(text))


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def version_number(version: str) -> int:
    """The number in a version name like "v12" (0 for other names), for ordering and for naming the next one."""
    match = re.fullmatch(r"v(\d+)", version)
    return int(match.group(1)) if match else 0


class AdapterRegistry:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def skill_dir(self, skill: str) -> Path:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", skill):
            raise RegistryError(f"not a skill name: {skill!r}")
        return self.root / skill

    def folder(self, skill: str, version: str) -> Path:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", version):
            raise RegistryError(f"not a version name: {version!r}")
        return self.skill_dir(skill) / "versions" / version

    def skills(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if (p / "versions").is_dir())

    def versions(self, skill: str) -> list[VersionRecord]:
        """Every stored version of `skill`, oldest first."""
        versions_dir = self.skill_dir(skill) / "versions"
        if not versions_dir.is_dir():
            return []
        records = [VersionRecord.read(p) for p in versions_dir.iterdir() if (p / RECORD_FILE).is_file()]
        return sorted(records, key=lambda r: (version_number(r.version), r.created_at))

    def record(self, skill: str, version: str) -> VersionRecord:
        folder = self.folder(skill, version)
        if not (folder / RECORD_FILE).is_file():
            known = ", ".join(r.version for r in self.versions(skill)) or "none"
            raise RegistryError(f"{skill} has no version {version!r} (versions: {known})")
        return VersionRecord.read(folder)

    def current(self, skill: str) -> str | None:
        """The version the app should serve, or None when the registry has none for `skill` yet."""
        path = self.skill_dir(skill) / CURRENT_FILE
        if not path.is_file():
            return None
        return json.loads(path.read_text())["version"]

    def current_folder(self, skill: str) -> Path | None:
        version = self.current(skill)
        return None if version is None else self.folder(skill, version)

    def next_version(self, skill: str) -> str:
        numbers = [version_number(r.version) for r in self.versions(skill)]
        return f"v{max(numbers, default=0) + 1}"

    def seed(self, skill: str, bundle_folder: Path, version: str) -> str:
        """Make the released bundle the first version and current, unless the registry already has one."""
        current = self.current(skill)
        if current is not None:
            return current
        staging = self.staging(skill, version)
        shutil.copytree(bundle_folder, staging, dirs_exist_ok=True)
        record = VersionRecord(skill, version, "shipped", now_iso(), reason=f"released adapter from {bundle_folder}")
        self.add(staging, record)
        self.set_current(skill, version, "seed", f"released adapter from {bundle_folder}")
        return version

    def complete_shipped(self, skill: str, bundle_folder: Path, names: tuple[str, ...]) -> list[str]:
        """Copy into the registry's shipped copy of the released bundle the files `names` it lacks and the release
        now has (an example index shipped after the registry was seeded); only where the copy's weights are the
        release's, byte for byte. Returns the names copied."""
        shipped = [r for r in self.versions(skill) if r.status == "shipped"]
        if not shipped:
            return []
        copy, bundle_folder = self.folder(skill, shipped[0].version), Path(bundle_folder)
        missing = [n for n in names if not (copy / n).exists() and (bundle_folder / n).is_file()]
        if not missing or not _same_weights(copy, bundle_folder):  # the usual start, or a copy of another release
            return []
        for name in missing:
            replace_atomically(copy / name, lambda path, name=name: shutil.copyfile(bundle_folder / name, path))
            log.info("%s: added %s of the released bundle to the registry's shipped copy %s", skill, name, copy)
        return missing

    def staging(self, skill: str, version: str) -> Path:
        """An empty folder to build `version` in; `add` moves it into place when it is complete."""
        path = self.skill_dir(skill) / f"{STAGING_PREFIX}{version}"
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        return path

    def clean_staging(self) -> list[Path]:
        """Remove staging folders a killed run left behind."""
        leftovers = [p for skill in self._skill_dirs() for p in skill.glob(f"{STAGING_PREFIX}*")]
        for path in leftovers:
            log.warning("removing %s, left by an interrupted run", path)
            shutil.rmtree(path)
        return leftovers

    def add(self, staging: Path, record: VersionRecord) -> Path:
        """Write the record into a finished staging folder and move it into place as a new version."""
        target = self.folder(record.skill, record.version)
        if target.exists():
            raise RegistryError(f"{record.skill} already has a version {record.version}")
        if not (staging / "bundle.json").is_file():
            raise RegistryError(f"{staging} holds no adapter bundle (bundle.json missing)")
        record.write(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging.rename(target)
        return target

    def promote(self, skill: str, version: str, reason: str = "promoted by hand") -> None:
        record = self.record(skill, version)
        if record.version == self.current(skill):
            raise RegistryError(f"{skill} {version} is already current")
        self.set_current(skill, version, "promote", reason)

    def rollback(self, skill: str, reason: str = "rolled back by hand") -> str:
        """Make the version that was current before this one current again; returns it."""
        stack = self.current_stack(skill)
        if len(stack) < 2:
            raise RegistryError(f"{skill} has no earlier current version to roll back to")
        previous = stack[-2]
        self.set_current(skill, previous, "rollback", reason)
        return previous

    def set_current(self, skill: str, version: str, action: str, reason: str) -> None:
        self.record(skill, version)  # must exist
        previous = self.current(skill)
        event = {"time": now_iso(), "action": action, "version": version, "previous": previous, "reason": reason}
        text = json.dumps({"version": version, "since": event["time"], "action": action}) + "\n"
        replace_atomically(self.skill_dir(skill) / CURRENT_FILE, lambda path: path.write_text(text))
        self.log_event(skill, event)
        log.info("%s: current version %s -> %s (%s: %s)", skill, previous, version, action, reason)

    def log_event(self, skill: str, event: dict[str, Any]) -> None:
        with open(self.skill_dir(skill) / HISTORY_FILE, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(event) + "\n")

    def history(self, skill: str) -> list[dict[str, Any]]:
        path = self.skill_dir(skill) / HISTORY_FILE
        if not path.is_file():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def current_stack(self, skill: str) -> list[str]:
        """The versions made current, oldest first, with rolled-back ones taken off: the last is current."""
        stack: list[str] = []
        for event in self.history(skill):
            if event["action"] in ("seed", "promote"):
                stack.append(event["version"])
            elif event["action"] == "rollback":
                while stack and stack[-1] != event["version"]:
                    stack.pop()
        return stack

    def write_report(self, report: dict[str, Any]) -> None:
        """Keep a retrain's report: `reports/<start time>.json`, and `last_report.json` for the admin tab."""
        text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
        name = str(report["started"]).replace(":", "-")
        replace_atomically(self.root / "reports" / f"{name}.json", lambda path: path.write_text(text))
        replace_atomically(self.root / LAST_REPORT, lambda path: path.write_text(text))

    def last_report(self) -> dict[str, Any] | None:
        path = self.root / LAST_REPORT
        return json.loads(path.read_text()) if path.is_file() else None

    def _skill_dirs(self) -> list[Path]:
        return [p for p in self.root.iterdir() if p.is_dir()] if self.root.is_dir() else []


def default_root() -> Path:
    from core.config import AppConfig

    return AppConfig.from_env().registry


def versions_table(registry: AdapterRegistry, skills: list[str] | None = None) -> list[dict[str, Any]]:
    """One row per version: what `list` prints and the admin tab shows."""
    rows = []
    for skill in skills or registry.skills():
        current = registry.current(skill)
        for record in registry.versions(skill):
            rows.append(
                {
                    "skill": skill,
                    "version": record.version,
                    "current": record.version == current,
                    "status": record.status,
                    "created": record.created_at,
                    "parent": record.parent or "",
                    "benchmark": record.metrics.get("benchmark", {}).get("score"),
                    "feedback": record.metrics.get("feedback", {}).get("score"),
                    "feedback examples": record.data.get("feedback_examples"),
                    "reason": record.reason,
                }
            )
    return rows


def format_table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "no versions in the registry yet (the app serves the released adapters)"
    columns = list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        cells = [_cell(row[c]) for c in columns]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if value is True:
        return "yes"
    if value in (False, None):
        return ""
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def parse_version(text: str) -> tuple[str, str]:
    skill, _, version = text.partition("/")
    if not skill or not version:
        raise RegistryError(f"name a version as SKILL/VERSION, e.g. ner/v4; got {text!r}")
    return skill, version


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--registry", type=Path, help="registry root (default: $EXCHAT_REGISTRY or HOME/registry)")
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="every version with its status and gate scores")
    listing.add_argument("--skill", action="append", help="only this skill (repeatable)")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    promote = commands.add_parser("promote", help="make SKILL/VERSION current")
    promote.add_argument("version", help="SKILL/VERSION, e.g. ner/v4")
    promote.add_argument("--reason", default="promoted by hand")
    rollback = commands.add_parser("rollback", help="make the previously current version of SKILL current again")
    rollback.add_argument("skill")
    rollback.add_argument("--reason", default="rolled back by hand")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    registry = AdapterRegistry(args.registry or default_root())
    try:
        if args.command == "list":
            rows = versions_table(registry, args.skill)
            print(json.dumps(rows, indent=2) if args.json else format_table(rows))
        elif args.command == "promote":
            skill, version = parse_version(args.version)
            registry.promote(skill, version, args.reason)
            print(f"{skill}: {version} is current")
        else:
            print(f"{args.skill}: {registry.rollback(args.skill, args.reason)} is current")
    except RegistryError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
