"""Topic injection and the health server's binding, on the running daemon.

(Secrets in logs, ``bridge/info``, ``check-config`` and ``/healthz`` are
covered by ``tests/packaging``; the credential test in
``test_broker_access.py`` also checks the MQTT password never reaches a log.)
"""

from __future__ import annotations

import dataclasses
import socket
from pathlib import Path

import pytest
from pydantic import ValidationError

from bridge.settings import DeviceSettings
from bridge.simulator import SimCooker
from tests.e2e.conftest import Stack
from tests.reliability.conftest import Broker, bridge_running, simulator
from tests.support.waiting import async_wait_until

pytestmark = [pytest.mark.integration, pytest.mark.slow]

HOSTILE_NAME = "a/b+c#d\x00e"


def topics_seen(stack: Stack) -> set[str]:
    return {m.topic for m in stack.probe.messages}


def assert_no_injection(topics: set[str], device_ids: set[str]) -> None:
    """Every published topic is one of ours, with the device id as exactly one level."""
    for topic in topics:
        assert not {"+", "#", "\x00"} & set(topic), topic
        levels = topic.split("/")
        if levels[0] == "anova":
            assert levels[1] in device_ids | {"bridge"}, topic
            assert len(levels) <= 4, topic


@pytest.mark.parametrize("topic_id", ["a/b", "a+", "#", "bridge", "a\x00b", "", "UPPER"])
def test_configured_topic_ids_cannot_carry_levels_or_wildcards(topic_id: str) -> None:
    with pytest.raises(ValidationError):
        DeviceSettings(topic_id=topic_id)


async def test_a_hostile_cooker_name_is_slugged_into_one_safe_level(tmp_path: Path) -> None:
    broker = Broker(tmp_path)
    broker.start()
    sim = simulator(cookers=2, types=("a7", "a5"))
    await sim.start()
    hostile = sim.cookers[0].cooker_id
    devices = {hostile: {"name": HOSTILE_NAME}}
    try:
        async with bridge_running(
            broker, sim, devices=devices, homeassistant=True, watch=("#",)
        ) as stack:
            record = stack.service.cookers[hostile]
            assert record.topic_id == "abcde"
            assert record.info.name == HOSTILE_NAME  # shown as configured, only the id is slugged
            response = await stack.command(0, {"action": "stop", "request_id": "x"})
            assert response["error"]["code"] == "NO_ACTIVE_COOK"  # addressable by its slug
            await stack.probe.until(f"homeassistant/device/{hostile}/config")
            ids = {c.topic_id for c in stack.service.cookers.values()}
            assert_no_injection(topics_seen(stack), ids)
    finally:
        await sim.stop()
        broker.stop()


async def test_a_command_to_the_reserved_bridge_level_is_ignored(tmp_path: Path) -> None:
    broker = Broker(tmp_path)
    broker.start()
    sim = simulator()
    await sim.start()
    try:
        async with bridge_running(broker, sim) as stack:
            received = stack.service.mqtt.stats.received
            stack.probe.publish("anova/bridge/set", {"action": "start", "temperature": 60})
            await async_wait_until(
                lambda: stack.service.mqtt.stats.received > received, what="delivered"
            )
            assert not stack.probe.on("anova/bridge/response")
            assert stack.sim.received_commands == []
    finally:
        await sim.stop()
        broker.stop()


def listening_addresses(port: int) -> set[str]:
    """Addresses with a socket listening on ``port``, from the kernel's own table."""
    found = set()
    for table, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", socket.AF_INET6)):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                raw = bytes.fromhex(address)
                if family == socket.AF_INET:
                    raw = raw[::-1]
                else:  # four little-endian 32-bit words
                    raw = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
                found.add(socket.inet_ntop(family, raw))
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc/net/tcp")
@pytest.mark.parametrize(
    ("health", "expected"),
    [({"port": 0}, {"127.0.0.1"}), ({"port": 0, "host": "0.0.0.0"}, {"0.0.0.0"})],
    ids=["default-loopback", "configured-all-interfaces"],
)
async def test_the_health_server_binds_loopback_unless_configured(
    tmp_path: Path, health: dict[str, object], expected: set[str]
) -> None:
    broker = Broker(tmp_path)
    broker.start()
    sim = simulator()
    await sim.start()
    try:
        async with bridge_running(broker, sim, health=health) as stack:
            assert stack.service.health is not None
            assert listening_addresses(stack.service.health.port) == expected
    finally:
        await sim.stop()
        broker.stop()


async def test_a_cooker_id_from_the_cloud_cannot_inject_discovery_topics(tmp_path: Path) -> None:
    broker = Broker(tmp_path)
    broker.start()
    sim = simulator(cookers=2, types=("a7", "a5"))
    honest, evil = sim.cookers
    evil_id = "x/#/y+"
    identity = dataclasses.replace(evil.identity, cooker_id=evil_id)
    sim._cookers = {honest.cooker_id: honest, evil_id: SimCooker(identity, evil.now)}
    await sim.start()
    try:
        async with bridge_running(
            broker, sim, homeassistant=True, watch=("#",), ready=False
        ) as stack:
            await async_wait_until(lambda: honest.cooker_id in stack.service.cookers)
            await stack.probe.until(f"homeassistant/device/{honest.cooker_id}/config")
            ids = {c.topic_id for c in stack.service.cookers.values()}
            assert_no_injection(topics_seen(stack), ids)
            assert evil_id not in stack.service.cookers
            assert not stack.runner.done()
    finally:
        await sim.stop()
        broker.stop()
