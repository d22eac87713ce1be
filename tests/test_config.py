from __future__ import annotations

from pathlib import Path

import pytest

from chatbot.config import AppConfig
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
    [({"EXCHAT_PORT": "eighty"}, "EXCHAT_PORT='eighty'"), ({"EXCHAT_ROUTER_THRESHOLD": "2"}, "router_threshold")],
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
