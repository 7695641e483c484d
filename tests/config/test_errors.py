"""Configuration errors name the key, the reason and where the value came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.config_loader import load_settings
from bridge.errors import ConfigError, ErrorCode

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def error_for(config: Path | None, **kwargs: object) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_settings(config, **{"env": {}, **kwargs})  # type: ignore[arg-type]
    assert caught.value.code is ErrorCode.CONFIG_INVALID
    return caught.value


def test_yaml_syntax_error_gives_line_and_column() -> None:
    path = FIXTURES / "config-bad-syntax.yaml"
    err = error_for(path)
    assert f"{path}:4:6: invalid YAML" in err.message
    assert "flow sequence started at line 3, column 15" in err.message


def test_unknown_key_is_named_with_its_line() -> None:
    path = FIXTURES / "config-unknown-key.yaml"
    err = error_for(path)
    assert err.field == "mqtt.prot"
    assert "mqtt.prot: unknown key" in err.message
    assert f"{path}:4" in err.message


def test_wrong_type_names_key_reason_file_and_line() -> None:
    path = FIXTURES / "config-wrong-type.yaml"
    err = error_for(path)
    assert err.field == "mqtt.keepalive"
    assert "mqtt.keepalive: Input should be a valid integer" in err.message
    assert "'often'" in err.message
    assert f"{path}:5" in err.message


def test_error_from_env_names_the_variable() -> None:
    err = error_for(FIXTURES / "config-minimal.yaml", env={"ANOVA_BRIDGE_SAFETY__POLICY": "yolo"})
    assert err.field == "safety.policy"
    assert "environment ANOVA_BRIDGE_SAFETY__POLICY" in err.message


def test_unknown_env_key_is_refused() -> None:
    err = error_for(FIXTURES / "config-minimal.yaml", env={"ANOVA_BRIDGE_MQTT__HOSTNAME": "x"})
    assert "mqtt.hostname: unknown key" in err.message
    assert "ANOVA_BRIDGE_MQTT__HOSTNAME" in err.message


def test_error_from_cli_override() -> None:
    err = error_for(FIXTURES / "config-minimal.yaml", overrides={"mqtt.url": "http://x"})
    assert "mqtt.url: must start with mqtt:// or mqtts://" in err.message
    assert "command line" in err.message


def test_missing_credentials_point_at_the_anova_section(tmp_path: Path) -> None:
    config = tmp_path / "bridge.yaml"
    config.write_text("mqtt:\n  base_topic: anova\nanova:\n  email: cook@example.com\n")
    err = error_for(config)
    assert err.field == "anova"
    assert "set anova.token, or both anova.email and anova.password" in err.message
    assert f"{config}:4" in err.message


def test_no_anova_section_at_all(tmp_path: Path) -> None:
    err = error_for(None, search_paths=())
    assert "anova: required but not set" in err.message
    assert "no config file" in err.message


def test_string_expected_suggests_quoting(tmp_path: Path) -> None:
    config = tmp_path / "bridge.yaml"
    config.write_text("anova: {token: anova-x}\nmqtt:\n  password: 123456\n")
    err = error_for(config)
    assert "quote the value" in err.message
    assert "123456" not in err.message  # secrets are never echoed


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    config = tmp_path / "bridge.yaml"
    config.write_text("- just\n- a list\n")
    assert "top level must be a mapping" in error_for(config).message


def test_reserved_topic_id(tmp_path: Path) -> None:
    config = tmp_path / "bridge.yaml"
    config.write_text("anova: {token: anova-x}\ndevices:\n  abc:\n    topic_id: bridge\n")
    err = error_for(config)
    assert err.field == "devices.abc.topic_id"
    assert f"{config}:4" in err.message


@pytest.mark.parametrize("key", ["discovery_prefix", "status_topic"])
@pytest.mark.parametrize("value", ["home/+/assistant", "homeassistant/#", "home\\0assistant"])
def test_home_assistant_topics_refuse_wildcards_and_nul(
    tmp_path: Path, key: str, value: str
) -> None:
    config = tmp_path / "bridge.yaml"
    config.write_text(f'anova: {{token: anova-x}}\nhomeassistant:\n  {key}: "{value}"\n')
    err = error_for(config)
    assert err.field == f"homeassistant.{key}"
    assert "without +, #, NUL" in err.message
    assert f"{config}:3" in err.message


def test_home_assistant_topics_from_the_environment_are_checked_too() -> None:
    env = {"ANOVA_BRIDGE_HOMEASSISTANT__STATUS_TOPIC": "ha/#"}
    err = error_for(FIXTURES / "config-minimal.yaml", env=env)
    assert err.field == "homeassistant.status_topic"
    assert "environment ANOVA_BRIDGE_HOMEASSISTANT__STATUS_TOPIC" in err.message
