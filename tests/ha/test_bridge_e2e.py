"""The whole chain: Home Assistant ⇄ MQTT ⇄ the bridge daemon ⇄ the simulated Anova cloud.

The daemon runs as a real process (``anova-mqtt-bridge run --config FILE``)
against the in-process :class:`CloudSimulator`; Home Assistant is the
session's real Core. Skipped, with the reason, until ``bridge.service`` (the
daemon) and the simulator can be imported.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.ha.harness import HomeAssistantCore
from tests.support.broker import MosquittoBroker
from tests.support.daemon import EXE
from tests.support.probe import MqttProbe
from tests.support.waiting import async_wait_until

try:
    import bridge.service  # noqa: F401 - only checks that the daemon exists
    from bridge.simulator import CloudSimulator, SimClock
except ImportError as err:  # pragma: no cover - depends on what is written yet
    pytest.skip(f"the bridge daemon is not available yet ({err})", allow_module_level=True)

pytestmark = pytest.mark.ha

TOKEN = "anova-demo"
BASE = "e2e"  # its own base topic, so its bridge device and stale-config scan are its own
NAME = "Water bath"
LATE_TOPIC = "homeassistant/sensor/sent_after_restart/config"
LATE = {"name": "Sent after restart", "state_topic": "e2e/late", "unique_id": "e2e_late_sensor"}


@dataclass
class Rig:
    """What a test drives: HA, the simulated cooker, and the bridge's topics."""

    ha: HomeAssistantCore
    sim: CloudSimulator
    cooker_id: str
    topic_id: str
    climate: str
    probe: MqttProbe

    @property
    def cooker(self) -> Any:
        return self.sim.cooker(self.cooker_id)


async def until(predicate: Callable[[], Any], what: str, timeout: float = 20.0) -> Any:
    """Poll without blocking the loop: the simulator runs on this test's event loop."""
    return await async_wait_until(predicate, timeout=timeout, what=what)


def write_config(path: Path, broker: MosquittoBroker, sim: CloudSimulator, cooker_id: str) -> Path:
    config = {
        "mqtt": {"url": broker.url, "base_topic": BASE, "client_id": "ha-e2e-bridge"},
        "anova": {"token": TOKEN, "url": sim.ws_url},
        "devices": {cooker_id: {"name": NAME, "topic_id": "water_bath"}},
        "homeassistant": {"enabled": True, "discovery_prefix": "homeassistant"},
        "health": {"port": 0},
        "log": {"format": "json"},
    }
    path.write_text(json.dumps(config))  # JSON is YAML
    return path


@pytest.fixture
async def rig(
    home_assistant: HomeAssistantCore, ha_broker: MosquittoBroker, tmp_path: Path
) -> AsyncIterator[Rig]:
    """Simulator + daemon running, the cooker's climate entity available in HA."""
    sim = CloudSimulator(
        token=TOKEN, cookers=1, types=["a7"], clock=SimClock(speed=60), port=0, http_port=0
    )
    await sim.start()
    cooker_id = sim.cookers[0].cooker_id
    probe = MqttProbe(ha_broker.port)
    probe.subscribe(f"{BASE}/#", f"homeassistant/device/{cooker_id}/config")
    probe.publish(f"{BASE}/fence", "fence")  # back once the subscriptions are in place
    await probe.until(f"{BASE}/fence")
    config = write_config(tmp_path / "bridge.yaml", ha_broker, sim, cooker_id)
    with (tmp_path / "bridge.log").open("ab") as log:
        proc = await asyncio.create_subprocess_exec(
            str(EXE), "run", "--config", str(config), stdout=log, stderr=log
        )
    rig: Rig | None = None
    try:
        rig = await discovered_rig(home_assistant, sim, cooker_id, probe)
        yield rig
    finally:
        if proc.returncode is None:
            proc.terminate()
            await asyncio.wait_for(proc.wait(), 20)
        if rig is not None:  # leave HA as the next test expects: the cooker unavailable
            await until(
                lambda: home_assistant.state(rig.climate)["state"] == "unavailable", "offline"
            )
        probe.close()
        await sim.stop()


async def discovered_rig(
    ha: HomeAssistantCore, sim: CloudSimulator, cooker_id: str, probe: MqttProbe
) -> Rig:
    """Read the daemon's discovery to learn topics and the climate entity HA made.

    Waits for this daemon's own live ``online`` (not a retained one left by an
    earlier run) before trusting HA's view, so no command is sent too early.
    """
    await until(lambda: live_online(probe, f"{BASE}/bridge/availability"), "the bridge online")
    config_topic = f"homeassistant/device/{cooker_id}/config"
    found = await until(lambda: probe.last(config_topic), "the daemon's discovery")
    payload = found.json()
    assert payload["device"]["name"] == NAME
    topic_id = payload["components"]["climate"]["mode_command_topic"].split("/")[-3]
    await until(lambda: live_online(probe, f"{BASE}/{topic_id}/availability"), "the cooker online")

    def climate() -> str | None:
        for entity_id, state in ha.states().items():
            named = state["attributes"].get("friendly_name") == NAME
            if entity_id.startswith("climate.") and named and state["state"] != "unavailable":
                return entity_id
        return None

    entity = await until(climate, "the climate entity to be available in HA", timeout=30)
    return Rig(ha, sim, cooker_id, topic_id, entity, probe)


async def test_home_assistant_runs_a_cook_through_the_bridge(rig: Rig) -> None:
    ha, since = rig.ha, rig.ha.log_offset()
    ha.call("climate", "set_temperature", entity_id=rig.climate, temperature=60)
    ha.call("climate", "set_hvac_mode", entity_id=rig.climate, hvac_mode="heat")
    await until(lambda: rig.cooker.cooking and rig.cooker.setpoint_c == 60.0, "the cook to start")

    def heating() -> bool:
        state = ha.state(rig.climate)
        return bool(state["state"] == "heat" and state["attributes"]["temperature"] == 60.0)

    await until(heating, "HA to show the cook")
    assert ha.state(rig.climate)["attributes"]["hvac_action"] == "heating"

    ha.call("climate", "set_temperature", entity_id=rig.climate, temperature=30)
    refusal = await until(
        lambda: refused(rig.probe, f"{BASE}/{rig.topic_id}/response"), "the refusal"
    )
    assert refusal["error"]["code"] == "TEMPERATURE_TOO_LOW"
    assert rig.cooker.setpoint_c == 60.0
    await until(lambda: ha.state(rig.climate)["attributes"]["temperature"] == 60.0, "HA at 60")
    assert ha.log_problems(since) == []


async def test_voice_runs_the_cooker(rig: Rig) -> None:
    ha, since = rig.ha, rig.ha.log_offset()
    assert ha.converse(f"set {NAME} to 61 degrees")["response_type"] == "action_done"
    assert ha.converse(f"turn on {NAME}")["response_type"] == "action_done"
    await until(lambda: rig.cooker.cooking and rig.cooker.setpoint_c == 61.0, "voice start")
    answer = ha.converse(f"what is the temperature of {NAME}")
    assert answer["response_type"] == "query_answer", answer
    assert ha.converse(f"turn off {NAME}")["response_type"] == "action_done"
    await until(lambda: not rig.cooker.cooking, "voice stop")
    assert ha.log_problems(since) == []


async def test_entities_come_back_after_home_assistant_restarts(rig: Rig) -> None:
    ha = rig.ha
    await asyncio.to_thread(ha.restart)
    since = 0  # a fresh log after the restart
    # Handed back only once HA's MQTT client listens: what is sent now is not lost.
    rig.probe.publish(LATE_TOPIC, json.dumps(LATE))
    await until(lambda: ha.find_state("sensor.sent_after_restart"), "a config sent right after")
    await until(
        lambda: (ha.find_state(rig.climate) or {}).get("state") not in (None, "unavailable"),
        "the climate entity back and available",
        timeout=40,
    )
    assert ha.log_problems(since) == []


def live_online(probe: MqttProbe, topic: str) -> bool:
    """True once ``online`` arrived live on ``topic`` (retained copies replay old runs)."""
    return any(m.payload == b"online" and not m.retain for m in probe.on(topic))


def refused(probe: MqttProbe, topic: str) -> dict[str, Any] | None:
    for message in reversed(probe.on(topic)):
        body = message.json()
        if body.get("status") == "error":
            return dict(body)
    return None


async def test_an_alarm_mid_cook_keeps_the_card_on_heat_and_off_still_stops(rig: Rig) -> None:
    ha, since = rig.ha, rig.ha.log_offset()
    ha.call("climate", "set_temperature", entity_id=rig.climate, temperature=60)
    ha.call("climate", "set_hvac_mode", entity_id=rig.climate, hvac_mode="heat")
    await until(lambda: rig.cooker.cooking, "the cook to start")
    await until(lambda: ha.state(rig.climate)["state"] == "heat", "HA to show the cook")
    status = rig.climate.replace("climate.", "sensor.") + "_status"
    cooking = rig.climate.replace("climate.", "binary_sensor.") + "_cooking"

    rig.sim.set_low_water(rig.cooker_id, True)
    await until(lambda: ha.state(status)["state"] == "alarm", "HA to show the alarm")
    assert ha.state(rig.climate)["state"] == "heat"
    assert ha.state(cooking)["state"] == "on"

    ha.call("climate", "set_hvac_mode", entity_id=rig.climate, hvac_mode="off")
    await until(lambda: not rig.cooker.cooking, "the card's off to stop the cook")
    await until(lambda: ha.state(rig.climate)["state"] == "off", "HA to show it stopped")
    rig.sim.set_low_water(rig.cooker_id, False)
    assert ha.log_problems(since) == []
