"""Secrets stay secret, and every command can be followed through the logs.

One real stack: a mosquitto that checks passwords, the cloud simulator
accepting a distinctive token, and the service logging JSON (as in a
container) into a buffer. The MQTT password and the Anova token must not
appear in the logs, ``bridge/info``, ``bridge/health``, a ``health_check``
answer, ``/healthz``, ``/metrics`` or ``check-config`` output; and every log
line about a command carries that command's ``request_id`` and cooker id.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import subprocess
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
import structlog
from pydantic import SecretStr

from bridge.logs import configure_logging
from bridge.service.app import BridgeService
from bridge.simulator import CloudSimulator, SimClock
from tests.e2e.conftest import stack_settings
from tests.support.broker import MosquittoBroker
from tests.support.credentials import connack, set_password
from tests.support.daemon import EXE
from tests.support.probe import MqttProbe
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.integration

TOKEN = "anova-Tok3n-must-never-leak"
MQTT_USER = "bridge"
MQTT_PASSWORD = "s3cret-mqtt-pw"
SECRETS = (TOKEN, MQTT_PASSWORD, "Tok3n", "s3cret")


def assert_no_secret(where: str, text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked in {where}"


@pytest.fixture
def json_logs() -> Iterator[io.StringIO]:
    """The service's real log output, JSON as in a container; restored afterwards."""
    saved = structlog.get_config()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    stream = io.StringIO()
    configure_logging("debug", json=True, stream=stream)
    yield stream
    structlog.configure(**saved)
    root.handlers[:] = handlers
    root.setLevel(level)


def password_broker(workdir: Path) -> MosquittoBroker:
    """Anonymous clients (the probe) may connect; a client that logs in must be right."""
    passwd = workdir / "passwd"
    set_password(passwd, MQTT_USER, MQTT_PASSWORD)
    return MosquittoBroker(workdir, extra_config=f"password_file {passwd}")


@dataclass
class SecretStack:
    broker: MosquittoBroker
    service: BridgeService
    probe: MqttProbe
    url: str

    @property
    def topic_id(self) -> str:
        return next(iter(self.service.cookers.values())).topic_id

    @property
    def cooker_id(self) -> str:
        return next(iter(self.service.cookers))

    async def command(self, payload: dict[str, Any]) -> Any:
        topic = f"anova/{self.topic_id}/response"
        self.probe.publish(f"anova/{self.topic_id}/set", payload)
        message = await self.probe.until(
            topic, lambda body: body["request_id"] == payload["request_id"], timeout=20
        )
        return message.json()


@contextlib.asynccontextmanager
async def secret_stack(tmp_path: Path) -> AsyncIterator[SecretStack]:
    broker = password_broker(tmp_path)
    broker.start()
    sim = CloudSimulator(token=TOKEN, cookers=1, types=["a7"], clock=SimClock(), push_interval=0.5)
    await sim.start()
    url = f"mqtt://{MQTT_USER}:{MQTT_PASSWORD}@127.0.0.1:{broker.port}"
    broker_at_url = cast(MosquittoBroker, SimpleNamespace(url=url))  # only .url is read
    settings = stack_settings(broker_at_url, sim, anova={"token": SecretStr(TOKEN)})
    service = BridgeService(settings)
    probe = MqttProbe(broker.port)
    probe.subscribe("anova/#")
    stop = asyncio.Event()
    runner = asyncio.create_task(service.run(stop))
    try:
        await async_wait_until(lambda: service.ready and service.cookers, timeout=15)
        stack = SecretStack(broker, service, probe, url)
        await probe.until(f"anova/{stack.topic_id}/state", timeout=15)
        yield stack
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(runner, 15)
        probe.close()
        await sim.stop()
        broker.stop()


def http_get(port: int, path: str) -> str:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return str(response.read().decode())
    except urllib.error.HTTPError as err:
        return str(err.read().decode())


def log_lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.startswith("{")]


async def test_secrets_never_leave_the_bridge(tmp_path: Path, json_logs: io.StringIO) -> None:
    async with secret_stack(tmp_path) as stack:
        assert connack(stack.broker.port, MQTT_USER, "wrong").is_failure, (
            "broker must check the password"
        )
        await stack.command({"action": "start", "temperature": 58, "request_id": "leak-1"})
        stack.probe.publish("anova/bridge/request/health_check", {"transaction": "t-1"})
        answer = await stack.probe.until("anova/bridge/response/health_check", timeout=10)
        await stack.probe.until("anova/bridge/info", timeout=10)
        port = stack.service.health.port if stack.service.health else 0
        surfaces = {
            "bridge/info": stack.probe.last("anova/bridge/info").payload.decode(),  # type: ignore[union-attr]
            "health_check answer": answer.payload.decode(),
            "/healthz": await asyncio.to_thread(http_get, port, "/healthz"),
            "/metrics": await asyncio.to_thread(http_get, port, "/metrics"),
        }
        info = json.loads(surfaces["bridge/info"])
        assert info["mqtt"]["url"] == f"mqtt://{MQTT_USER}@127.0.0.1:{stack.broker.port}"
    surfaces["logs"] = json_logs.getvalue()
    assert "anova_connected" in surfaces["logs"], "the logs were captured"
    for where, text in surfaces.items():
        assert_no_secret(where, text)


def test_check_config_masks_the_token_and_the_url_password(tmp_path: Path) -> None:
    config = tmp_path / "bridge.yaml"
    config.write_text(
        f"mqtt: {{url: 'mqtt://{MQTT_USER}:{MQTT_PASSWORD}@broker:1883',"
        f" password: x{MQTT_PASSWORD}}}\n"
        f"anova: {{token: {TOKEN}}}\n"
    )
    result = subprocess.run(
        [EXE, "check-config", "--config", str(config)],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"mqtt://{MQTT_USER}:***@broker:1883" in result.stdout
    assert_no_secret("check-config", result.stdout + result.stderr)


async def test_each_command_outcome_is_logged_with_its_request_and_cooker(
    tmp_path: Path, json_logs: io.StringIO
) -> None:
    async with secret_stack(tmp_path) as stack:
        done = await stack.command({"action": "start", "temperature": 58, "request_id": "trace-ok"})
        hot = {"action": "set_temperature", "temperature": 120, "request_id": "trace-hot"}
        refused = await stack.command(hot)
        cooker_id = stack.cooker_id
    assert done["status"] == "ok"
    assert refused["error"]["code"] == "TEMPERATURE_TOO_HIGH"
    lines = log_lines(json_logs)
    for request_id, outcome in (("trace-ok", "command_done"), ("trace-hot", "command_refused")):
        mine = [line for line in lines if line.get("request_id") == request_id]
        assert outcome in {line["event"] for line in mine}, mine
        for line in mine:
            assert line.get("cooker_id") == cooker_id, line


async def test_every_log_line_of_a_command_names_its_request_and_cooker(
    tmp_path: Path, json_logs: io.StringIO
) -> None:
    async with secret_stack(tmp_path) as stack:
        await stack.command({"action": "start", "temperature": 58, "request_id": "trace-all"})
        await stack.command({"action": "start", "temperature": "hot", "request_id": "trace-bad"})
        cooker_id = stack.cooker_id
    lines = log_lines(json_logs)
    cloud = [line for line in lines if line.get("command") == "CMD_APC_START"]
    cloud = [line for line in cloud if line.get("component") != "simulator"]
    assert cloud, "the cloud round trip is logged"
    for line in cloud:
        assert "trace-all" in line.values(), line
    (bad,) = [line for line in lines if line.get("request_id") == "trace-bad"]
    assert bad.get("cooker_id") == cooker_id, bad


async def test_a_burst_of_refusals_is_answered_in_full_but_logged_once_with_a_count(
    tmp_path: Path, json_logs: io.StringIO
) -> None:
    async with secret_stack(tmp_path) as stack:
        for n in range(30):
            stack.probe.publish(
                f"anova/{stack.topic_id}/set", {"action": "fly", "request_id": f"burst-{n}"}
            )
        answers = await stack.probe.until(
            f"anova/{stack.topic_id}/response",
            lambda body: body["request_id"] == "burst-29",
            timeout=20,
        )
        assert answers.json()["error"]["code"] == "UNKNOWN_ACTION"
        responses = stack.probe.on(f"anova/{stack.topic_id}/response")
        assert len([r for r in responses if r.json()["request_id"].startswith("burst-")]) == 30
        port = stack.service.health.port if stack.service.health else 0
        metrics = await asyncio.to_thread(http_get, port, "/metrics")
    refused = [line for line in log_lines(json_logs) if line["event"] == "command_refused"]
    assert [line["request_id"] for line in refused] == ["burst-0"], refused
    assert refused[0]["cooker_id"] == stack.cooker_id
    assert 'anova_bridge_commands_refused_total{code="UNKNOWN_ACTION"} 30.0' in metrics
