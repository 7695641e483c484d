"""An oven beside a cooker, the whole chain: Home Assistant ⇄ MQTT ⇄ the daemon ⇄ the cloud.

The daemon runs as a real process against the in-process simulator, which
pairs one cooker, a Precision Oven 2.0 and a Precision Oven (v1) to the account; Home Assistant
is the session's real Core (each supported version). What is checked is
what a Home Assistant user does and sees: the oven's thermostat and buttons
run a cook the oven really starts, the cooker beside it keeps working, and
Assist sets, starts and stops the oven.
"""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bridge.simulator import CloudSimulator, SimClock
from tests.ha.harness import HomeAssistantCore
from tests.ha.test_bridge_e2e import TOKEN, live_online, until
from tests.ha.test_oven_e2e import documented_sentences
from tests.support.broker import MosquittoBroker
from tests.support.daemon import EXE
from tests.support.probe import MqttProbe

pytestmark = pytest.mark.ha

BASE = "kitchen"  # its own base topic and bridge device
# Names and a seed of their own: Home Assistant's registry keeps the entity ids
# of devices that other tests in the session made ("Oven", the seedless ids).
OVEN, WALL_OVEN, COOKER = "Kitchen oven", "Wall oven", "Bath"
SEED = "kitchen"
THERMOSTAT, EVENTS = "climate.kitchen_oven", "event.kitchen_oven_cook_event"


@dataclass
class Kitchen:
    """What a test drives: HA, the simulator and the bridge's topics."""

    ha: HomeAssistantCore
    sim: CloudSimulator
    probe: MqttProbe
    oven_id: str
    cooker_id: str
    wall_oven_id: str

    def oven_plans(self, oven_id: str | None = None) -> list[dict[str, Any]]:
        """The plans an oven (the kitchen oven by default) was sent, newest last."""
        wanted = oven_id or self.oven_id
        return [
            c.payload["payload"]
            for c in self.sim.received_commands
            if c.command == "CMD_APO_START" and c.payload["id"] == wanted
        ]

    def oven_cooking_at(self, celsius: float, oven_id: str | None = None) -> bool:
        """The oven runs a plan the bridge sent, whose cook stage holds ``celsius``."""
        wanted = oven_id or self.oven_id
        plans = self.oven_plans(wanted)
        if not plans or not self.sim.oven(wanted).cooking:
            return False
        cook = [stage.get("do", stage) for stage in plans[-1]["stages"]]  # v2 nests in "do"
        bulbs = next(stage for stage in cook if stage["type"] == "cook")["temperatureBulbs"]
        return bool(bulbs[bulbs["mode"]]["setpoint"]["celsius"] == celsius)


def write_config(path: Path, broker: MosquittoBroker, sim: CloudSimulator) -> Path:
    oven_id, wall_oven_id = (oven.cooker_id for oven in sim.ovens)
    cooker_id = sim.cookers[0].cooker_id
    config = {
        "mqtt": {"url": broker.url, "base_topic": BASE, "client_id": "ha-oven-bridge"},
        "anova": {"token": TOKEN, "url": sim.ws_url},
        "devices": {
            oven_id: {"name": OVEN, "topic_id": "oven"},
            wall_oven_id: {"name": WALL_OVEN, "topic_id": "wall_oven"},
            cooker_id: {"name": COOKER, "topic_id": "bath"},
        },
        "homeassistant": {"enabled": True, "discovery_prefix": "homeassistant"},
        "health": {"port": 0},
        "log": {"format": "json"},
    }
    path.write_text(json.dumps(config))  # JSON is YAML
    return path


@pytest.fixture
async def kitchen(
    home_assistant: HomeAssistantCore, ha_broker: MosquittoBroker, tmp_path: Path
) -> AsyncIterator[Kitchen]:
    """Simulator + daemon running, the oven's and the cooker's thermostats available in HA."""
    sim = CloudSimulator(
        token=TOKEN,
        cookers=1,
        types=["a7"],
        ovens=["oven_v2", "oven_v1"],
        clock=SimClock(speed=1),
        seed=SEED,
    )
    await sim.start()
    probe = MqttProbe(ha_broker.port)
    probe.subscribe(f"{BASE}/#")
    probe.publish(f"{BASE}/fence", "fence")  # back once the subscription is in place
    await probe.until(f"{BASE}/fence")
    config = write_config(tmp_path / "bridge.yaml", ha_broker, sim)
    with (tmp_path / "bridge.log").open("ab") as log:
        proc = await asyncio.create_subprocess_exec(
            str(EXE), "run", "--config", str(config), stdout=log, stderr=log
        )
    ha = home_assistant
    try:
        await until(lambda: live_online(probe, f"{BASE}/bridge/availability"), "bridge online")
        for topic_id in ("oven", "wall_oven", "bath"):
            topic = f"{BASE}/{topic_id}/availability"
            await until(functools.partial(live_online, probe, topic), f"{topic_id} online")
        for entity in (THERMOSTAT, "climate.wall_oven", "climate.bath"):
            await until(functools.partial(available, ha, entity), f"{entity} in HA", timeout=30)
        oven_id, wall_oven_id = (oven.cooker_id for oven in sim.ovens)
        yield Kitchen(ha, sim, probe, oven_id, sim.cookers[0].cooker_id, wall_oven_id)
    finally:
        if proc.returncode is None:
            proc.terminate()
            await asyncio.wait_for(proc.wait(), 20)
        await until(lambda: ha.state(THERMOSTAT)["state"] == "unavailable", "oven gone")
        probe.close()
        await sim.stop()


def available(ha: HomeAssistantCore, entity_id: str) -> bool:
    """The entity exists in Home Assistant and is not unavailable."""
    return (ha.find_state(entity_id) or {}).get("state") not in (None, "unavailable")


async def test_the_oven_thermostat_and_buttons_run_a_cook_beside_the_cooker(
    kitchen: Kitchen,
) -> None:
    ha, since = kitchen.ha, kitchen.ha.log_offset()
    assert ha.state(THERMOSTAT)["attributes"]["max_temp"] == 250
    ha.call("climate", "set_temperature", entity_id=THERMOSTAT, temperature=200)
    ha.call("climate", "set_hvac_mode", entity_id=THERMOSTAT, hvac_mode="heat")
    await until(lambda: kitchen.oven_cooking_at(200), "the oven to start at 200 °C")
    await until(
        lambda: (
            ha.state(THERMOSTAT)["state"] == "heat"
            and ha.state(THERMOSTAT)["attributes"]["temperature"] == 200
        ),
        "HA to show the oven heating to 200",
    )
    await until(lambda: ha.state("sensor.kitchen_oven_stage")["state"] == "1 of 1", "stage 1 of 1")
    assert ha.state("select.kitchen_oven_oven_mode")["state"] == "dry"

    ha.call("climate", "set_temperature", entity_id="climate.bath", temperature=60)
    ha.call("climate", "set_hvac_mode", entity_id="climate.bath", hvac_mode="heat")
    await until(lambda: kitchen.sim.cooker(kitchen.cooker_id).cooking, "the cooker to start")

    ha.call("climate", "set_temperature", entity_id="climate.wall_oven", temperature=180)
    ha.call("climate", "set_hvac_mode", entity_id="climate.wall_oven", hvac_mode="heat")
    wall = kitchen.wall_oven_id
    await until(lambda: kitchen.oven_cooking_at(180, wall), "the v1 oven to start at 180 °C")
    await until(lambda: ha.state("climate.wall_oven")["state"] == "heat", "the v1 oven on")

    ha.call("button", "press", entity_id="button.kitchen_oven_stop_cook")
    await until(lambda: not kitchen.sim.oven(kitchen.oven_id).cooking, "the oven to stop")
    await until(lambda: ha.state(THERMOSTAT)["state"] == "off", "HA to show the oven off")
    assert kitchen.sim.cooker(kitchen.cooker_id).cooking, "the cooker was not touched"
    assert kitchen.sim.oven(wall).cooking, "nor the other oven"
    ha.call("climate", "set_hvac_mode", entity_id="climate.wall_oven", hvac_mode="off")
    await until(lambda: not kitchen.sim.oven(wall).cooking, "the v1 oven to stop")
    assert ha.log_problems(since) == []


async def test_an_unsafe_oven_setting_is_refused_and_home_assistant_hears_why(
    kitchen: Kitchen,
) -> None:
    ha, since = kitchen.ha, kitchen.ha.log_offset()
    ha.call("text", "set_value", entity_id="text.kitchen_oven_food", value="chicken")
    ha.call("number", "set_value", entity_id="number.kitchen_oven_probe_target", value=65)
    ha.call("climate", "set_temperature", entity_id=THERMOSTAT, temperature=190)
    ha.call("climate", "set_hvac_mode", entity_id=THERMOSTAT, hvac_mode="heat")

    def refusal() -> dict[str, Any] | None:
        seen = [m.json() for m in kitchen.probe.on(f"{BASE}/oven/event")]
        return next((e for e in seen if e["event"] == "command_refused"), None)

    event = await until(refusal, "the refusal event")
    assert event["code"] == "POULTRY_TEMP_UNSAFE"
    assert kitchen.oven_plans() == [], "nothing reached the oven"
    await until(
        lambda: ha.state(EVENTS)["attributes"].get("event_type") == "command_refused",
        "HA's event entity to show the refusal",
    )
    assert ha.state(THERMOSTAT)["state"] == "off"
    assert ha.log_problems(since) == []


async def test_assist_sets_the_oven_to_200_degrees_starts_and_stops_it(kitchen: Kitchen) -> None:
    ha, since = kitchen.ha, kitchen.ha.log_offset()
    folder = ha.config_dir / "custom_sentences" / "en"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "oven.yaml").write_text(documented_sentences())  # as the guide has it
    try:
        ha.call("conversation", "reload")
        answer = ha.converse("set the kitchen oven to 200 degrees")
        assert answer["response_type"] == "action_done", answer
        await until(
            lambda: ha.state(THERMOSTAT)["attributes"]["temperature"] == 200,
            "kept at 200",
        )
        assert ha.converse("turn on the kitchen oven")["response_type"] == "action_done"
        await until(lambda: kitchen.oven_cooking_at(200), "the oven to start at 200 °C")
        assert ha.converse("turn off the kitchen oven")["response_type"] == "action_done"
        await until(lambda: not kitchen.sim.oven(kitchen.oven_id).cooking, "the oven to stop")
    finally:
        (folder / "oven.yaml").unlink()
        ha.call("conversation", "reload")
    assert ha.log_problems(since) == []
