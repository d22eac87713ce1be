from __future__ import annotations

from pathlib import Path

import pytest

from core.config import AppConfig
from skills.encoder import resolve_location


def test_defaults_put_state_under_home():
    config = AppConfig.from_env(environ={}, home=Path("/tmp/x"))
    assert config.db_url == "sqlite:////tmp/x/feedback.db"
    assert config.kb_dir == Path("/tmp/x/kb")
    assert Path(config.adapters).joinpath("ner", "bundle.json").is_file()


def test_environment_variables_override_defaults_and_keywords_override_both():
    environ = {"EXCHAT_DB_URL": "postgresql://db/x", "EXCHAT_PORT": "9000", "EXCHAT_ROUTER_THRESHOLD": "0.5"}
    config = AppConfig.from_env(environ=environ, port=9100)
    assert (config.db_url, config.port, config.router_threshold) == ("postgresql://db/x", 9100, 0.5)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"EXCHAT_PORT": "eighty"}, "EXCHAT_PORT='eighty'"),
        ({"EXCHAT_ROUTER_THRESHOLD": "2"}, "router_threshold"),
        ({"EXCHAT_KB_RESCUE_SCORE": "5"}, "kb_rescue_score must be a similarity"),
        ({"EXCHAT_PASSAGE_RESCUE_SCORE": "-2"}, "passage_rescue_score must be a similarity"),
        ({"EXCHAT_KB_PASSAGES": "0"}, "kb_passages must be at least 1, got 0"),
    ],
)
def test_bad_settings_are_refused_naming_the_value(environ, message):
    with pytest.raises(ValueError, match=message):
        AppConfig.from_env(environ=environ)


def test_local_folders_resolve_to_themselves(tmp_path):
    assert resolve_location(str(tmp_path)) == tmp_path


def test_hub_ids_are_fetched_through_the_hub_client_which_fails_clearly_offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(Exception, match=r"(?i)offline|cannot find|not found|connection"):
        resolve_location("someone/explainable-chat-adapters")


def test_retention_and_rating_limits_come_from_the_environment():
    defaults = AppConfig.from_env(environ={})
    assert (defaults.retention_days, defaults.ratings_per_minute, defaults.ratings_burst) == (0, 60, 30)
    environ = {"EXCHAT_RETENTION_DAYS": "30", "EXCHAT_RATINGS_PER_MINUTE": "10", "EXCHAT_RATINGS_BURST": "4"}
    config = AppConfig.from_env(environ=environ)
    assert (config.retention_days, config.ratings_per_minute, config.ratings_burst) == (30, 10, 4)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"EXCHAT_RETENTION_DAYS": "-1"}, "retention_days"),
        ({"EXCHAT_RETENTION_DAYS": "a month"}, "EXCHAT_RETENTION_DAYS='a month'"),
        ({"EXCHAT_RATINGS_PER_MINUTE": "0"}, "ratings_per_minute"),
        ({"EXCHAT_RATINGS_BURST": "0"}, "ratings_burst"),
    ],
)
def test_bad_retention_or_rating_limits_are_refused(environ, message):
    with pytest.raises(ValueError, match=message):
        AppConfig.from_env(environ=environ)


def test_torch_threads_default_to_torchs_own_and_refuse_negative_counts():
    assert AppConfig.from_env(environ={}).torch_threads == 0
    assert AppConfig.from_env(environ={"EXCHAT_TORCH_THREADS": "1"}).torch_threads == 1
    with pytest.raises(ValueError, match="torch_threads must be 0"):
        AppConfig.from_env(environ={"EXCHAT_TORCH_THREADS": "-2"})


def test_explanation_precision_is_bfloat16_only_where_the_cpu_multiplies_it_in_hardware():
    from skills.encoder import resolve_precision

    assert AppConfig.from_env(environ={}).explanation_precision == "auto"
    assert AppConfig.from_env(environ={"EXCHAT_EXPLANATION_PRECISION": "float32"}).explanation_precision == "float32"
    assert resolve_precision("auto", cpuinfo="flags : fpu sse2 avx512f amx_bf16 amx_tile") == "bfloat16"
    assert resolve_precision("auto", cpuinfo="flags : fpu sse2 avx2 avx512f") == "float32"
    assert resolve_precision("float32", cpuinfo="flags : amx_bf16") == "float32"
    assert resolve_precision("bfloat16", cpuinfo="flags : avx2") == "bfloat16"
    with pytest.raises(ValueError, match="'half'"):
        resolve_precision("half")


def test_media_settings_default_to_keeping_no_files_and_take_their_variables():
    default = AppConfig.from_env(environ={})
    assert (default.keep_media, default.speech_model, default.max_audio_seconds) == (False, "", 120.0)
    env = {"EXCHAT_KEEP_MEDIA": "yes", "EXCHAT_SPEECH_MODEL": "/models/base.en", "EXCHAT_MAX_AUDIO_SECONDS": "30"}
    config = AppConfig.from_env(environ=env)
    assert (config.keep_media, config.speech_model, config.max_audio_seconds) == (True, "/models/base.en", 30.0)
    assert AppConfig.from_env(environ={"EXCHAT_KEEP_MEDIA": "0"}).keep_media is False
    with pytest.raises(ValueError, match="EXCHAT_KEEP_MEDIA='maybe'"):
        AppConfig.from_env(environ={"EXCHAT_KEEP_MEDIA": "maybe"})
    with pytest.raises(ValueError, match="media limits must be positive"):
        AppConfig.from_env(environ={"EXCHAT_MAX_IMAGE_PIXELS": "0"})
