"""config/anova-mqtt-bridge.service, and the daemon speaking sd_notify as that unit expects.

The unit's promises (Type=notify, watchdog, no crash loop on a bad config)
only hold if the real executable sends READY=1 and WATCHDOG=1 and exits 2 on
a bad config, so those are checked by running it with a fake NOTIFY_SOCKET.
"""

from __future__ import annotations

import asyncio
import shutil
import signal
import socket
import subprocess
import uuid
from pathlib import Path

import pytest

from bridge.simulator import DEMO_TOKEN, CloudSimulator, SimClock
from tests.packaging.dockerfile import REPO
from tests.support.broker import MosquittoBroker
from tests.support.daemon import EXE, ensure_stopped, spawn_daemon, write_daemon_config
from tests.support.waiting import async_wait_until

UNIT = REPO / "config" / "anova-mqtt-bridge.service"


def unit_entries(text: str) -> dict[str, dict[str, list[str]]]:
    """Section → key → every value (systemd allows repeated keys)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


@pytest.fixture(scope="module")
def service() -> dict[str, list[str]]:
    return unit_entries(UNIT.read_text())["Service"]


def test_unit_is_type_notify_with_a_watchdog(service: dict[str, list[str]]) -> None:
    assert service["Type"] == ["notify"]
    assert service["NotifyAccess"] == ["main"]
    assert service["WatchdogSec"] == ["30"]


def test_a_bad_config_does_not_crash_loop(service: dict[str, list[str]]) -> None:
    assert service["Restart"] == ["on-failure"]
    assert service["RestartPreventExitStatus"] == ["2"]


def test_unit_runs_the_daemon_unprivileged_and_reads_secrets_from_a_file(
    service: dict[str, list[str]],
) -> None:
    assert service["ExecStart"][0].split()[1] == "run"
    assert service.get("DynamicUser") == ["yes"] or service.get("User", ["root"]) != ["root"]
    assert service["ProtectSystem"] == ["strict"]
    assert service["NoNewPrivileges"] == ["yes"]
    assert service["EnvironmentFile"][0].endswith(".env")
    assert "ANOVA_BRIDGE_LOG__FORMAT=json" in service["Environment"][0].split()


@pytest.fixture
def verifiable_unit(tmp_path: Path) -> Path:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    text = UNIT.read_text().replace("/opt/anova-mqtt-bridge/bin/anova-mqtt-bridge", EXE)
    path = tmp_path / UNIT.name
    path.write_text(text)
    return path


def test_systemd_accepts_every_key_and_rates_the_sandbox_ok(verifiable_unit: Path) -> None:
    verify = subprocess.run(
        ["systemd-analyze", "verify", str(verifiable_unit)],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert verify.returncode == 0, verify.stderr
    assert not verify.stderr.strip(), f"systemd ignored or rejected something: {verify.stderr}"
    # Exposure 0.0 (locked down) … 10.0 (unsafe); systemd calls ≤ 2.0 "OK".
    security = subprocess.run(
        ["systemd-analyze", "security", "--offline=yes", "--threshold=20", str(verifiable_unit)],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert security.returncode == 0, security.stdout[-1500:]


# ------------------------------------------------------------ sd_notify for real
class NotifySocket:
    """A datagram socket standing in for systemd's NOTIFY_SOCKET (abstract namespace)."""

    def __init__(self) -> None:
        self.name = f"@anova-bridge-test-{uuid.uuid4().hex[:12]}"
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind("\0" + self.name[1:])
        self.sock.setblocking(False)
        self.messages: list[str] = []

    def poll(self) -> list[str]:
        while True:
            try:
                self.messages.append(self.sock.recv(4096).decode())
            except BlockingIOError:
                return self.messages

    def saw(self, text: str) -> bool:
        return any(text in message for message in self.poll())


async def test_daemon_notifies_ready_watchdog_and_stopping(tmp_path: Path) -> None:
    broker = MosquittoBroker(tmp_path)
    broker.start()
    sim = CloudSimulator(token=DEMO_TOKEN, cookers=1, types=["a7"], clock=SimClock())
    await sim.start()
    config = write_daemon_config(
        tmp_path,
        mqtt_url=broker.url,
        anova_url=sim.ws_url,
        token=DEMO_TOKEN,
        client_id="notify-test",
    )
    notify = NotifySocket()
    env = {"NOTIFY_SOCKET": notify.name, "WATCHDOG_USEC": "1000000", "PATH": "/usr/bin:/bin"}
    proc = await spawn_daemon(
        config, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
    )
    try:
        await async_wait_until(lambda: notify.saw("READY=1"), timeout=20, what="READY=1")
        await async_wait_until(
            lambda: sum("WATCHDOG=1" in m for m in notify.poll()) >= 2,
            timeout=5, what="repeated WATCHDOG=1 at half of WATCHDOG_USEC",
        )  # fmt: skip
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 20) == 0
        assert notify.saw("STOPPING=1")
    finally:
        await ensure_stopped(proc)
        notify.sock.close()
        await sim.stop()
        broker.stop()


def test_bad_config_exits_2_which_the_unit_does_not_restart(tmp_path: Path) -> None:
    config = tmp_path / "bridge.yaml"
    config.write_text("mqtt: {url: 'http://nope'}\nanova: {token: anova-x}\n")
    result = subprocess.run(
        [EXE, "run", "--config", str(config)], capture_output=True, text=True, timeout=30,
        check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "mqtt.url" in result.stderr
    restart_prevented = unit_entries(UNIT.read_text())["Service"]["RestartPreventExitStatus"]
    assert str(result.returncode) in restart_prevented
