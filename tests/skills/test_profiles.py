"""Model profiles: EXCHAT_PROFILE picks the base encoder, the released adapters and the registry; an adapter records
the encoder it was trained on and refuses to load on another one. Encoders here are tiny random BERTs built in the
test (tests/tiny_models.py); the accurate profile's mpnet is a fake split package holding one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.config import REPO_ROOT, AppConfig
from skills import packaged
from skills.encoder import (
    BundleInfo,
    EncoderMismatch,
    SharedEncoder,
    portable_base_model,
)
from skills.packaged import MPNET
from tests.tiny_models import adapter_bundle, folder_files, install_split_model, tiny_encoder, zipped

MINILM = "sentence-transformers/all-MiniLM-L6-v2"


def test_the_fast_profile_is_minilm_with_the_released_adapters():
    config = AppConfig.from_env(environ={}, home=Path("/tmp/x"))
    assert (config.profile, config.base_model) == ("fast", MINILM)
    assert (Path(config.adapters), config.registry) == (REPO_ROOT / "adapters", Path("/tmp/x/registry"))


def test_the_accurate_profile_is_mpnet_with_its_own_adapters_and_registry():
    config = AppConfig.from_env(environ={"EXCHAT_PROFILE": "accurate", "EXCHAT_HOME": "/tmp/y"})
    assert config.base_model == "sentence-transformers/all-mpnet-base-v2"
    assert Path(config.adapters) == REPO_ROOT / "adapters-accurate"
    assert config.registry == Path("/tmp/y/registry-accurate")


def test_settings_given_explicitly_win_over_the_profile(tmp_path):
    environ = {"EXCHAT_PROFILE": "accurate", "EXCHAT_BASE_MODEL": str(tmp_path), "EXCHAT_ADAPTERS": "mine"}
    config = AppConfig.from_env(environ=environ, registry=tmp_path / "r")
    assert (config.base_model, config.adapters, config.registry) == (str(tmp_path), "mine", tmp_path / "r")


def test_an_unknown_profile_is_refused_naming_the_choices():
    with pytest.raises(ValueError, match="profile must be one of fast, accurate, got 'turbo'"):
        AppConfig.from_env(environ={"EXCHAT_PROFILE": "turbo"})


def test_an_adapter_loads_on_its_encoder_and_a_copy_of_it_and_refuses_another(tmp_path):
    small, wide = tiny_encoder(tmp_path / "small", hidden_size=32), tiny_encoder(tmp_path / "wide", hidden_size=48)
    bundle = adapter_bundle(small, tmp_path / "bundle")
    assert SharedEncoder(str(small)).load_adapter("sentiment", bundle).encoder["hidden_size"] == 32
    copied = Path(shutil.copytree(small, tmp_path / "copy"))  # the same model under another name
    assert SharedEncoder(str(copied)).load_adapter("sentiment", bundle).version == "v1"
    encoder = SharedEncoder(str(wide))
    with pytest.raises(EncoderMismatch, match=rf"trained on the encoder {small} .*'hidden_size': 32.* on {wide} "):
        encoder.load_adapter("sentiment", bundle)
    assert "sentiment" not in encoder.heads


def test_training_from_an_adapter_of_another_encoder_is_refused(tmp_path):
    from training.train import TrainConfig, build_model

    small, wide = tiny_encoder(tmp_path / "small", hidden_size=32), tiny_encoder(tmp_path / "wide", hidden_size=48)
    bundle = adapter_bundle(small, tmp_path / "bundle")
    config = TrainConfig(skill="sentiment", data=str(tmp_path), out=tmp_path / "out", base_model=str(wide))
    config.init_adapter = bundle
    with pytest.raises(EncoderMismatch, match="cannot run on"):
        build_model(config)


def test_an_old_bundle_of_one_profile_is_refused_by_the_other_profiles_encoder(tmp_path):
    info = BundleInfo.read(REPO_ROOT / "adapters" / "sentiment")  # released before bundles recorded a signature
    assert info.base_model == MINILM and not info.encoder
    signature = {"model_type": "mpnet", "hidden_size": 768, "num_hidden_layers": 12, "vocab_size": 30527}
    with pytest.raises(EncoderMismatch, match=r"no signature recorded.*use EXCHAT_PROFILE=fast, or set"):
        info.check_encoder(tmp_path, MPNET.name, signature)
    info.check_encoder(tmp_path, "/models/my-minilm-copy", signature)  # an unknown folder: PEFT's own checks decide


def test_the_accurate_profile_loads_the_assembled_encoder_and_refuses_the_fast_adapters(tmp_path, monkeypatch):
    # the accurate profile's encoder: a tiny BERT published as a fake split package under mpnet's name
    tiny = tiny_encoder(tmp_path / "tiny")
    whole = zipped(folder_files(tiny, MPNET.folder))
    model = install_split_model(tmp_path / "site", MPNET.name, MPNET.folder, whole, stem="all-mpnet-base-v2")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setitem(packaged.SPLIT_MODELS, MPNET.name, model)
    monkeypatch.setenv(packaged.MODEL_CACHE_ENV, str(tmp_path / "cache"))
    encoder = SharedEncoder(AppConfig.from_env(environ={"EXCHAT_PROFILE": "accurate"}).base_model)
    assert encoder.base_model_name == str(tmp_path / "cache" / MPNET.folder)
    assert portable_base_model(encoder.base_model_name) == MPNET.name
    with pytest.raises(EncoderMismatch, match=f"encoder {MINILM} .*cannot run on {MPNET.name} .*EXCHAT_PROFILE=fast"):
        encoder.load_adapter("sentiment", REPO_ROOT / "adapters" / "sentiment")
