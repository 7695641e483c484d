"""Discovery clean-up works even when the broker comes up after the bridge."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from pathlib import Path

import pytest

from bridge.anova.device import CookerInfo
from bridge.hass.planner import CookerEntry, DiscoveryOptions, DiscoveryPlanner
from bridge.service.app import BridgeService
from bridge.simulator import DEMO_TOKEN, CloudSimulator, SimClock
from tests.e2e.conftest import BROKERS, BrokerKind, running_stack, stack_settings
from tests.support.broker import MosquittoBroker
from tests.support.probe import MqttProbe
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.integration
GONE = CookerInfo(cooker_id="gonecooker0000000000000", name="Old cooker", type="a7")


def leave_stale_config(broker: MosquittoBroker) -> str:
    """A config this bridge published for a cooker that has since left the account."""
    (message,) = DiscoveryPlanner(DiscoveryOptions()).messages_for(CookerEntry(GONE, "old"))
    probe = MqttProbe(broker.port)
    probe.publish(message.topic, message.payload, retain=True)
    probe.close()
    return message.topic


async def test_stale_config_is_cleared_when_the_broker_starts_after_the_bridge(
    tmp_path: Path,
) -> None:
    # Mosquitto only: the stale config must survive the broker's restart, and
    # amqtt keeps no retained messages across one (docs/operations.md, "Brokers").
    broker = MosquittoBroker(tmp_path, persistent=True)
    broker.start()
    stale_topic = leave_stale_config(broker)
    broker.stop()  # down when the bridge starts
    sim = CloudSimulator(token=DEMO_TOKEN, cookers=1, types=["a7"], clock=SimClock())
    await sim.start()
    service = BridgeService(stack_settings(broker, sim))
    stop = asyncio.Event()
    runner = asyncio.create_task(service.run(stop))
    try:
        await async_wait_until(lambda: service.client.connected, timeout=10, what="cloud up")
        await async_wait_until(
            lambda: service.mqtt.stats.connect_failures >= 4,
            timeout=15,
            what="the bridge retrying a broker that is still down",
        )
        broker.start()
        late = MqttProbe(broker.port)
        late.subscribe(stale_topic)
        await late.until(stale_topic, lambda body: body is None, timeout=15)  # emptied
        last = late.last(stale_topic)
        assert last is not None
        assert last.payload == b""

        # The scan is over: other integrations' discovery no longer reaches the bridge.
        late.subscribe("anova/bridge/response/health_check")
        received = service.mqtt.stats.received
        for n in range(20):
            late.publish(f"homeassistant/device/other{n}/config", json.dumps({"n": n}))
        late.publish("anova/bridge/request/health_check", {"transaction": "t"})
        await late.until("anova/bridge/response/health_check", timeout=10)
        assert service.mqtt.stats.received == received + 1
        late.close()
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(runner, 15)
        await sim.stop()
        broker.stop()


@BROKERS
async def test_home_assistant_birth_brings_discovery_then_states_after_a_short_delay(
    tmp_path: Path, broker_kind: BrokerKind
) -> None:
    async with running_stack(tmp_path, cookers=1, types=("a7",), broker_kind=broker_kind) as stack:
        cooker_id = stack.sim.cookers[0].cooker_id
        config_topic = f"homeassistant/device/{cooker_id}/config"
        state_topic = stack.topic(0, "state")
        stack.probe.subscribe("homeassistant/device/+/config")
        await stack.probe.until(config_topic, lambda body: isinstance(body, dict))
        stack.probe.clear()

        born = time.monotonic()
        stack.probe.publish("homeassistant/status", "online")
        await stack.probe.until(config_topic, lambda body: isinstance(body, dict), timeout=10)
        waited = time.monotonic() - born
        await stack.probe.until(state_topic, timeout=5)
        order = [m.topic for m in stack.probe.messages if m.topic in {config_topic, state_topic}]
        assert order[0] == config_topic, "discovery comes before the states"
        assert 1.0 <= waited <= 5.5, f"republished after {waited:.2f} s, not 1-5 s"
