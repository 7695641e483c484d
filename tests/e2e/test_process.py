"""The real executables: `run` stops cleanly on SIGTERM; `demo` works with nothing set up."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from bridge.simulator import DEMO_TOKEN, CloudSimulator, SimClock
from tests.support.broker import MosquittoBroker
from tests.support.daemon import EXE, ensure_stopped, spawn_daemon, write_daemon_config
from tests.support.probe import MqttProbe
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.integration

BURST = 5_000


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
        last = probe.last("anova/bridge/availability")
        assert last is not None
        assert last.payload == b"offline"
    finally:
        await ensure_stopped(proc)
        probe.close()
        await sim.stop()
        broker.stop()


async def test_sigterm_during_a_burst_answers_every_command_once_across_a_restart(
    tmp_path: Path,
) -> None:
    """What the bridge read before SIGTERM it answers before it goes; the rest waits for its return.

    Every command read was acknowledged to the broker, which will not
    deliver it again, so it must be answered before the disconnect; what
    was not read yet stays in the bridge's persistent session.
    """
    broker = MosquittoBroker(tmp_path)
    broker.start()
    sim = CloudSimulator(token=DEMO_TOKEN, cookers=1, types=["a7"], clock=SimClock())
    await sim.start()
    config = write_daemon_config(
        tmp_path, mqtt_url=broker.url, anova_url=sim.ws_url, token=DEMO_TOKEN,
        client_id="burst-sigterm",
    )  # fmt: skip
    probe = MqttProbe(broker.port)
    probe.subscribe("anova/sous_vide_1/state", "anova/sous_vide_1/response")
    publisher = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2)
    publisher.max_inflight_messages_set(0)  # the whole burst at once
    publisher.connect("127.0.0.1", broker.port)
    publisher.loop_start()
    quiet = {"stdout": asyncio.subprocess.DEVNULL, "stderr": asyncio.subprocess.DEVNULL}
    with (tmp_path / "first.log").open("wb") as log:
        first = await spawn_daemon(config, stdout=log, stderr=log)
    second: asyncio.subprocess.Process | None = None

    def answers() -> list[str]:
        return [m.json()["request_id"] for m in probe.on("anova/sous_vide_1/response")]

    try:
        await probe.until("anova/sous_vide_1/state", timeout=15)
        burst = [f"b{n}" for n in range(BURST)]
        sent = [
            publisher.publish(
                "anova/sous_vide_1/set", json.dumps({"action": "explode", "request_id": rid}), qos=1
            )
            for rid in burst
        ]

        def all_published() -> None:
            for info in sent:
                info.wait_for_publish(30)

        await asyncio.to_thread(all_published)
        first.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(first.wait(), 30) == 0
        by_first = len(answers())

        second = await spawn_daemon(config, **quiet)
        await probe.until("anova/sous_vide_1/state", timeout=15)
        # Answered in arrival order on one topic: once the marker's answer
        # is back, every burst command's answer is too, and any repeat.
        publisher.publish(
            "anova/sous_vide_1/set",
            json.dumps({"action": "explode", "request_id": "marker"}),
            qos=1,
        )
        await async_wait_until(lambda: "marker" in answers(), timeout=60, what="the marker")
        stopping = next(
            json.loads(line)
            for line in (tmp_path / "first.log").read_text().splitlines()
            if "stopping_finishing_commands" in line
        )
        print(
            f"\nat SIGTERM {stopping['pending']} commands were waiting; {by_first} of {BURST} "
            "were answered by the first run, the rest by the second"
        )
        got = [rid for rid in answers() if rid != "marker"]
        assert sorted(got) == sorted(burst), "every command answered exactly once"
        assert sim.received_commands == [], "refused commands never reach the cloud"
    finally:
        publisher.disconnect()
        publisher.loop_stop()
        await ensure_stopped(first)
        if second is not None:
            await ensure_stopped(second)
        probe.close()
        await sim.stop()
        broker.stop()


def first_group(pattern: str, text: str) -> str:
    """The first group of ``pattern`` in ``text``; fails naming the pattern when it is absent."""
    found = re.search(pattern, text)
    assert found is not None, f"{pattern!r} not in {text!r}"
    return found.group(1)


async def test_demo_with_embedded_broker_runs_a_cook_from_the_printed_lines() -> None:
    """The first cooker line and the first oven line the demo prints each start a cook."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = await asyncio.create_subprocess_exec(
        EXE, "demo", "--embedded-broker", "--cookers", "1", "--types", "a7", "--speed", "60",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, env=env,
    )  # fmt: skip
    assert proc.stdout is not None
    lines: list[str] = []
    try:
        while not any("/stop' -m ''" in line for line in lines[-1:]) or not any(
            "And for the oven" in line for line in lines
        ):
            line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode()
            assert line, "demo exited early:\n" + "".join(lines)
            lines.append(line)
        text = "".join(lines)
        port = int(first_group(r"mqtt://127\.0\.0\.1:(\d+)", text))
        probe = MqttProbe(port, protocol=mqtt.MQTTv311)
        probe.subscribe("anova/#")
        oven_from = lines.index(next(line for line in lines if "And for the oven" in line))
        cooker_line = next(line for line in lines if "mosquitto_pub" in line and "set'" in line)
        oven_line = next(line for line in lines[oven_from:] if "set'" in line)
        for pub in (cooker_line, oven_line):
            topic = first_group(r"-t '([^']+)'", pub)
            payload = first_group(r"-m '([^']+)'", pub)
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
