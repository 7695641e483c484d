"""The real executables: `run` stops cleanly on SIGTERM; `demo` works with nothing set up."""

from __future__ import annotations

import asyncio
import os
import re
import signal
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest

from bridge.simulator import DEMO_TOKEN, CloudSimulator, SimClock
from tests.support.broker import MosquittoBroker
from tests.support.daemon import EXE, ensure_stopped, spawn_daemon, write_daemon_config
from tests.support.probe import MqttProbe
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.integration


async def test_sigterm_finishes_the_command_in_flight_then_exits_zero(tmp_path: Path) -> None:
    broker = MosquittoBroker(tmp_path)
    broker.start()
    sim = CloudSimulator(token=DEMO_TOKEN, cookers=1, types=["a7"], clock=SimClock())
    await sim.start()
    config = write_daemon_config(
        tmp_path,
        mqtt_url=broker.url,
        anova_url=sim.ws_url,
        token=DEMO_TOKEN,
        client_id="sigterm-test",
        anova_extra=", command_timeout: 5",
    )
    probe = MqttProbe(broker.port)
    probe.subscribe("anova/#")
    proc = await spawn_daemon(
        config, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    try:
        await probe.until("anova/sous_vide_1/state", timeout=15)
        sim.faults.response_delay = 1.5
        probe.publish(
            "anova/sous_vide_1/set",
            {"action": "start", "temperature": 60, "request_id": "inflight"},
        )
        await async_wait_until(
            lambda: sim.received_commands, timeout=10, what="start reached the cloud"
        )
        proc.send_signal(signal.SIGTERM)
        response = await probe.until("anova/sous_vide_1/response", timeout=10)
        assert response.json()["status"] == "ok"
        assert await asyncio.wait_for(proc.wait(), 15) == 0
        assert probe.last("anova/bridge/availability").payload == b"offline"
    finally:
        await ensure_stopped(proc)
        probe.close()
        await sim.stop()
        broker.stop()


async def test_demo_with_embedded_broker_runs_a_cook_from_the_printed_lines() -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = await asyncio.create_subprocess_exec(
        EXE, "demo", "--embedded-broker", "--cookers", "1", "--types", "a7", "--speed", "60",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, env=env,
    )  # fmt: skip
    assert proc.stdout is not None
    lines: list[str] = []
    try:
        while not any("mosquitto_pub" in line for line in lines):
            line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode()
            assert line, "demo exited early:\n" + "".join(lines)
            lines.append(line)
        text = "".join(lines)
        port = int(re.search(r"mqtt://127\.0\.0\.1:(\d+)", text).group(1))
        pub = next(line for line in lines if "mosquitto_pub" in line and "set'" in line)
        topic = re.search(r"-t '([^']+)'", pub).group(1)
        payload = re.search(r"-m '([^']+)'", pub).group(1)
        probe = MqttProbe(port, protocol=mqtt.MQTTv311)
        probe.subscribe("anova/#")
        probe.publish(topic, payload)
        base = topic.rsplit("/", 1)[0]
        response = await probe.until(f"{base}/response", timeout=15)
        assert response.json()["status"] == "ok", response.json()
        await probe.until(
            f"{base}/state", lambda b: b and b.get("state") in {"preheating", "cooking"}
        )
        probe.close()
    finally:
        proc.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(proc.wait(), 20) == 0
