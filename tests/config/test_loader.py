"""load_settings: layering file < env < CLI, secrets from files, default paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.config_loader import load_settings, resolve_config_path
from bridge.errors import ConfigError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINIMAL = FIXTURES / "config-minimal.yaml"


def test_minimal_contract_config_loads() -> None:
    settings = load_settings(MINIMAL, env={})
    assert settings.mqtt.url == "mqtt://127.0.0.1:1883"
    assert settings.anova.token is not None
    assert settings.anova.token.get_secret_value() == "anova-from-file"
    assert settings.health.port == 9780
    assert settings.units == "C"


def test_precedence_file_then_env_then_cli() -> None:
    env = {
        "ANOVA_BRIDGE_MQTT__URL": "mqtt://env-host:1883",
        "ANOVA_BRIDGE_MQTT__BASE_TOPIC": "from-env",
        "ANOVA_BRIDGE_HEALTH__PORT": "9000",
        "UNRELATED": "ignored",
    }
    settings = load_settings(MINIMAL, env=env, overrides={"mqtt.url": "mqtt://cli-host:1883"})
    assert settings.mqtt.url == "mqtt://cli-host:1883"  # CLI beats env and file
    assert settings.mqtt.base_topic == "from-env"  # env beats file
    assert settings.health.port == 9000
    assert settings.homeassistant.discovery_prefix == "homeassistant"  # file kept
    assert settings.anova.token is not None
    assert settings.anova.token.get_secret_value() == "anova-from-file"


def test_env_only_without_a_file() -> None:
    env = {
        "ANOVA_BRIDGE_ANOVA__TOKEN": "anova-env",
        "ANOVA_BRIDGE_UNITS": "F",
        "ANOVA_BRIDGE_SAFETY__POLICY": "warn",
        "ANOVA_BRIDGE_HOMEASSISTANT__ENABLED": "false",
        "ANOVA_BRIDGE_MQTT__PROTOCOL": "5",
        "ANOVA_BRIDGE_MQTT__PASSWORD": "123456",
        "ANOVA_BRIDGE_MQTT__KEEPALIVE": "15",
        "ANOVA_BRIDGE_STATE_INTERVAL": "30",
        "ANOVA_BRIDGE_DEVICES__ABC123__TOPIC_ID": "kitchen",
    }
    settings = load_settings(None, env=env, search_paths=())
    assert settings.units == "F"
    assert settings.safety.policy == "warn"
    assert settings.homeassistant.enabled is False
    assert settings.mqtt.protocol == "5"
    assert settings.mqtt.password is not None
    assert settings.mqtt.password.get_secret_value() == "123456"  # stays text
    assert settings.mqtt.keepalive == 15
    assert settings.state_interval == 30.0
    assert settings.devices["abc123"].topic_id == "kitchen"


def test_yaml_protocol_number_is_accepted(tmp_path: Path) -> None:
    config = tmp_path / "b.yaml"
    config.write_text("mqtt: {protocol: 5}\nanova: {token: anova-x}\n")
    assert load_settings(config, env={}).mqtt.protocol == "5"


def test_secret_from_file_in_env(tmp_path: Path) -> None:
    secret = tmp_path / "token"
    secret.write_text("anova-secret-from-file\n")
    env = {"ANOVA_BRIDGE_ANOVA__TOKEN_FILE": str(secret)}
    settings = load_settings(MINIMAL, env=env)
    assert settings.anova.token is not None
    assert settings.anova.token.get_secret_value() == "anova-secret-from-file"


def test_secret_files_in_yaml(tmp_path: Path) -> None:
    (tmp_path / "pw").write_text("mqtt-pass\r\n")
    (tmp_path / "anova").write_text("hunter2")
    config = tmp_path / "bridge.yaml"
    config.write_text(
        f"mqtt:\n  password_file: {tmp_path / 'pw'}\n"
        f"anova:\n  email: cook@example.com\n  password_file: {tmp_path / 'anova'}\n"
    )
    settings = load_settings(config, env={})
    assert settings.mqtt.password is not None
    assert settings.mqtt.password.get_secret_value() == "mqtt-pass"
    assert settings.anova.password is not None
    assert settings.anova.password.get_secret_value() == "hunter2"


def test_missing_secret_file_names_the_key(tmp_path: Path) -> None:
    env = {"ANOVA_BRIDGE_ANOVA__TOKEN_FILE": str(tmp_path / "absent")}
    with pytest.raises(ConfigError, match=r"anova\.token_file.*ANOVA_BRIDGE_ANOVA__TOKEN_FILE"):
        load_settings(MINIMAL, env=env)


def test_value_and_file_in_one_layer_is_refused(tmp_path: Path) -> None:
    (tmp_path / "t").write_text("anova-x")
    config = tmp_path / "bridge.yaml"
    config.write_text(f"anova:\n  token: anova-y\n  token_file: {tmp_path / 't'}\n")
    with pytest.raises(ConfigError, match="not both"):
        load_settings(config, env={})


def test_tls_file_keys_are_not_mistaken_for_secret_files() -> None:
    env = {"ANOVA_BRIDGE_MQTT__CA_FILE": "/etc/ssl/ca.pem"}
    assert load_settings(MINIMAL, env=env).mqtt.ca_file == "/etc/ssl/ca.pem"


def test_default_path_search(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    fallback = tmp_path / "config" / "bridge.yaml"
    fallback.parent.mkdir()
    fallback.write_text("anova: {token: anova-fallback}\n")
    search = (Path("bridge.yaml"), fallback)
    assert resolve_config_path(None, search) == fallback
    Path("bridge.yaml").write_text("anova: {token: anova-local}\n")
    assert resolve_config_path(None, search) == Path("bridge.yaml")
    settings = load_settings(None, env={}, search_paths=search)
    assert settings.anova.token is not None
    assert settings.anova.token.get_secret_value() == "anova-local"
    assert resolve_config_path(None, ()) is None


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.yaml", env={})


def test_empty_file_means_defaults(tmp_path: Path) -> None:
    config = tmp_path / "empty.yaml"
    config.write_text("# nothing yet\n")
    settings = load_settings(config, env={"ANOVA_BRIDGE_ANOVA__TOKEN": "anova-x"})
    assert settings.mqtt.base_topic == "anova"
