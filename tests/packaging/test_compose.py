"""config/docker-compose.yml and config/mosquitto.conf: the bundled set-up is safe and works.

The mosquitto.conf shipped for compose is started for real (port and paths
moved into a temp dir) to prove mosquitto accepts it and refuses anonymous
clients, while the bridge's own credentials, read exactly as the compose
file passes them, get in.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bridge.config_loader import load_settings
from tests.packaging.dockerfile import REPO
from tests.support.broker import free_port, mosquitto_binary
from tests.support.credentials import connack, set_password
from tests.support.waiting import wait_until

CONFIG = REPO / "config"
LOOPBACK = {"127.0.0.1", "::1", "localhost"}
BRIDGE_PASSWORD = "compose-test-pw"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((CONFIG / "docker-compose.yml").read_text())
    return document


def public_anonymous_listeners(conf: str) -> list[str]:
    """Listeners reachable beyond loopback on which anonymous clients are allowed."""
    global_anonymous, per_listener = False, False  # mosquitto 2 defaults
    listeners: list[dict[str, Any]] = []
    for raw in conf.splitlines():
        words = raw.split("#", 1)[0].split()
        if not words:
            continue
        key, values = words[0], words[1:]
        if key == "per_listener_settings":
            per_listener = values == ["true"]
        elif key == "listener":
            listeners.append({"port": values[0], "bind": values[1] if len(values) > 1 else None})
        elif key == "allow_anonymous":
            if per_listener and listeners:
                listeners[-1]["anonymous"] = values == ["true"]
            else:
                global_anonymous = values == ["true"]
    return [
        f"listener {lst['port']} {lst['bind'] or '(all interfaces)'}"
        for lst in listeners
        if lst["bind"] not in LOOPBACK and lst.get("anonymous", global_anonymous)
    ]


def test_the_checker_catches_an_open_broker() -> None:
    assert public_anonymous_listeners("listener 1883\nallow_anonymous true\n")
    assert not public_anonymous_listeners("listener 1883 127.0.0.1\nallow_anonymous true\n")
    per_listener = "per_listener_settings true\nlistener 1883\nallow_anonymous true\n"
    assert public_anonymous_listeners(per_listener)


def test_shipped_mosquitto_conf_allows_no_anonymous_clients_on_the_network() -> None:
    conf = (CONFIG / "mosquitto.conf").read_text()
    assert re.search(r"^listener\s+1883\s*$", conf, re.MULTILINE), "compose publishes 1883"
    assert public_anonymous_listeners(conf) == []
    assert re.search(r"^password_file\s+\S+", conf, re.MULTILINE)


def test_compose_runs_mosquitto_and_the_bridge_with_secrets(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"mosquitto", "bridge"}
    mounts = services["mosquitto"]["volumes"]
    assert "./mosquitto.conf:/mosquitto/config/mosquitto.conf:ro" in mounts
    bridge = services["bridge"]
    assert "./bridge.yaml:/config/bridge.yaml:ro" in bridge["volumes"]
    context = (CONFIG / bridge["build"]["context"]).resolve()
    assert context == REPO
    assert (context / bridge["build"]["dockerfile"]).exists()
    assert set(bridge["secrets"]) <= set(compose["secrets"])
    for value in bridge["environment"].values():
        assert "anova-" not in str(value), "no credential inline in the compose file"


def _bridge_settings(compose: dict[str, Any], secrets_dir: Path) -> Any:
    """Load settings exactly as the container would: example YAML + compose env + secrets."""
    (secrets_dir / "anova_token").write_text("anova-compose-test\n")
    (secrets_dir / "mqtt_password").write_text(BRIDGE_PASSWORD + "\n")
    env = {
        name: str(value).replace("/run/secrets/", f"{secrets_dir}/")
        for name, value in compose["services"]["bridge"]["environment"].items()
    }
    return load_settings(CONFIG / "bridge.example.yaml", env=env)


def test_compose_environment_names_real_config_keys(
    compose: dict[str, Any], tmp_path: Path
) -> None:
    settings = _bridge_settings(compose, tmp_path)
    assert settings.mqtt.host == "mosquitto"
    assert settings.mqtt.credentials() == ("bridge", BRIDGE_PASSWORD)
    assert settings.anova.token is not None
    assert settings.anova.token.get_secret_value() == "anova-compose-test"


# ------------------------------------------------------------- real mosquitto
@pytest.fixture
def shipped_broker(tmp_path: Path) -> Iterator[int]:
    """mosquitto running config/mosquitto.conf, moved to a free loopback port and temp paths."""
    passwd_tool = shutil.which("mosquitto_passwd")
    if passwd_tool is None:
        pytest.skip("mosquitto_passwd is not installed")
    passwd = tmp_path / "passwd"
    set_password(passwd, "bridge", BRIDGE_PASSWORD)
    port = free_port()
    conf = (CONFIG / "mosquitto.conf").read_text()
    conf = re.sub(r"^listener 1883$", f"listener {port} 127.0.0.1", conf, flags=re.MULTILINE)
    conf = conf.replace("/mosquitto/config/passwd", str(passwd))
    conf = conf.replace("/mosquitto/data/", f"{tmp_path}/")
    if os.geteuid() == 0:  # as root mosquitto drops to its own user, which cannot read tmp_path
        conf = "user root\n" + conf
    (tmp_path / "mosquitto.conf").write_text(conf)
    with (tmp_path / "mosquitto.log").open("wb") as log:
        process = subprocess.Popen(
            [mosquitto_binary(), "-c", str(tmp_path / "mosquitto.conf")],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until(lambda: _answers(port, process, tmp_path), timeout=10, what="mosquitto")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _answers(port: int, process: subprocess.Popen[bytes], workdir: Path) -> bool:
    if process.poll() is not None:
        raise AssertionError(
            "mosquitto rejected the config:\n" + (workdir / "mosquitto.log").read_text()
        )
    try:
        return connack(port, None, None) is not None
    except OSError:
        return False


def test_shipped_mosquitto_refuses_anonymous_and_admits_the_bridge(
    shipped_broker: int, compose: dict[str, Any], tmp_path: Path
) -> None:
    assert connack(shipped_broker, None, None).is_failure, "anonymous client got in"
    assert connack(shipped_broker, "bridge", "wrong").is_failure, "wrong password got in"
    user, password = _bridge_settings(compose, tmp_path).mqtt.credentials()
    assert not connack(shipped_broker, user, password).is_failure
