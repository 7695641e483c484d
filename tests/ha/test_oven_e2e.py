"""An oven in a real Home Assistant: its entities, what they send, and Assist.

The test plays the bridge: it publishes the oven's discovery and state
documents and watches the shortcut topics, so what Home Assistant sends for
each entity is checked byte for byte (the oven's shortcut parser must take
exactly these payloads). Facts found here: Assist's "set oven to 90
degrees" (``HassClimateSetTemperature``, climate only) sends ``90.0`` to
``set/target_temperature``; its built-in sentences stop at 100 degrees, and
the custom sentence file of docs/home-assistant.md takes "set the oven to
200 degrees"; "turn on oven" sends ``heat`` to ``set/mode``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bridge.anova.device import CookerInfo
from bridge.anova.oven_model import HeatingElements, OvenMode, TimerStart
from bridge.commands.oven_models import NextStage
from bridge.hass import CookerEntry, DiscoveryOptions, DiscoveryPlanner
from bridge.hass.entities import BUILDERS
from bridge.hass.oven_entities import OVEN_ENTITIES
from bridge.kinds.kind import StateInputs
from bridge.kinds.oven.state import oven_document
from tests.ha.conftest import VERSION, mark_online, send
from tests.ha.harness import HomeAssistantCore
from tests.ha.install import HaInstall
from tests.kinds.oven_states import v1_idle, v2_cooking_with_probe
from tests.support.broker import MosquittoBroker
from tests.support.probe import MqttProbe

pytestmark = pytest.mark.ha

INFO = CookerInfo(cooker_id="0123456789abcdefe2", name="Oven", type="oven_v2", kind="oven")
OVEN = CookerEntry(INFO, "oven", "1.0.0")
SET = "anova/oven/set/"
SERVICES = {
    "select": "select_option",
    "number": "set_value",
    "climate": "set_temperature",
    "button": "press",
}
DOC = Path(__file__).parents[2] / "docs" / "home-assistant.md"
STATE = "anova/oven/state"
KEPT = NextStage(
    mode=OvenMode.STEAM,
    steam_percent=40,
    elements=HeatingElements(top=True, rear=True),
    timer_start=TimerStart.MANUAL,
)


def document(**inputs: Any) -> str:
    """The oven's state document as the bridge publishes it."""
    state = inputs.pop("state", v1_idle())
    return json.dumps(oven_document(StateInputs(INFO, state, "C", True, **inputs)))


@pytest.fixture
def oven(
    home_assistant: HomeAssistantCore, probe: MqttProbe, ha_broker: MosquittoBroker
) -> Iterator[MqttProbe]:
    """The "Oven" discovered, idle with kept settings; yields a probe on its command topics."""
    options = DiscoveryOptions(version=VERSION)
    planner = DiscoveryPlanner(options, {"sous_vide": BUILDERS, "oven": OVEN_ENTITIES})
    send(probe, planner.startup_messages({}, [OVEN]))
    mark_online(probe, OVEN.topic_id)
    probe.publish(STATE, document(stored_target_c=180.0, next_settings=KEPT), retain=True)
    home_assistant.wait_state("select.oven_oven_mode", lambda s: s["state"] == "steam")
    watcher = MqttProbe(ha_broker.port)
    watcher.subscribe(SET + "#")
    watcher.publish(SET + "fence", "fence")  # its SUBSCRIBE is in place once this comes back
    watcher.wait_for(SET + "fence")
    watcher.clear()
    yield watcher
    watcher.close()


def test_every_entity_appears_and_reads_the_idle_oven(
    home_assistant: HomeAssistantCore, oven: MqttProbe
) -> None:
    ha = home_assistant
    states = ha.wait_available(
        "climate.oven",
        "select.oven_heating_elements",
        "select.oven_timer_start",
        "number.oven_steam",
        "binary_sensor.oven_door",
        "sensor.oven_stage",
    )
    assert states["climate.oven"]["attributes"]["temperature"] == 180.0
    assert states["climate.oven"]["attributes"]["min_temp"] == 25.0
    assert states["select.oven_heating_elements"]["state"] == "top_rear"
    assert states["select.oven_timer_start"]["state"] == "manual"
    assert states["number.oven_steam"]["state"] == "40"
    assert states["binary_sensor.oven_door"]["state"] == "off"
    assert states["sensor.oven_stage"]["state"] == "unknown"


def test_a_cooking_oven_shows_its_stage_and_probe(
    home_assistant: HomeAssistantCore, oven: MqttProbe, probe: MqttProbe
) -> None:
    ha = home_assistant
    since = ha.log_offset()
    probe.publish(STATE, document(state=v2_cooking_with_probe()), retain=True)
    ha.wait_state("sensor.oven_stage", lambda s: s["state"] == "2 of 3")
    assert ha.state("sensor.oven_stage")["attributes"]["kind"] == "cook"
    assert ha.state("sensor.oven_probe_temperature")["state"] == "41.3"
    assert ha.state("number.oven_probe_target")["state"] == "63.0"
    assert ha.state("climate.oven")["attributes"]["hvac_action"] == "heating"
    assert ha.state("binary_sensor.oven_preheated")["state"] == "on"
    assert ha.log_problems(since) == []


def test_settings_publish_plain_values_on_the_oven_shortcuts(
    home_assistant: HomeAssistantCore, oven: MqttProbe
) -> None:
    ha = home_assistant
    since = ha.log_offset()
    # (entity, service data, shortcut field, what HA publishes there)
    sent: list[tuple[str, dict[str, Any], str, bytes]] = [
        ("select.oven_oven_mode", {"option": "wet"}, "oven_mode", b"wet"),
        ("number.oven_steam", {"value": 30}, "steam_percent", b"30"),
        ("number.oven_probe_target", {"value": 57.5}, "probe_target", b"57.5"),
        ("select.oven_heating_elements", {"option": "bottom"}, "elements", b"bottom"),
        ("number.oven_fan_speed", {"value": 67}, "fan_speed", b"67"),
        ("select.oven_timer_start", {"option": "immediately"}, "timer_start", b"immediately"),
        ("number.oven_timer", {"value": 45}, "timer", b"45"),
        ("climate.oven", {"temperature": 200}, "target_temperature", b"200.0"),
        ("button.oven_start_cook", {}, "start", b"start"),
    ]
    for entity_id, data, field, payload in sent:
        domain = entity_id.split(".")[0]
        ha.call(domain, SERVICES[domain], entity_id=entity_id, **data)
        assert oven.wait_for(SET + field).payload == payload, field
    assert not any(m.retain for m in oven.messages), "commands must never be retained"
    assert ha.log_problems(since) == []


def test_assist_sets_starts_and_stops_the_oven(
    home_assistant: HomeAssistantCore, oven: MqttProbe, probe: MqttProbe
) -> None:
    ha = home_assistant
    answer = ha.converse("set oven to 90 degrees")
    assert answer["response_type"] == "action_done", answer
    assert oven.wait_for(SET + "target_temperature").payload == b"90.0"
    answer = ha.converse("turn on oven")
    assert answer["response_type"] == "action_done", answer
    assert oven.wait_for(SET + "mode").payload == b"heat"
    answer = ha.converse("what is the temperature of oven")
    assert answer["response_type"] == "query_answer", answer
    assert "170.1" in answer["speech"]["plain"]["speech"]
    probe.publish(STATE, document(state=v2_cooking_with_probe()), retain=True)
    ha.wait_state("climate.oven", lambda s: s["state"] == "heat")
    answer = ha.converse("turn off oven")
    assert answer["response_type"] == "action_done", answer
    oven.wait_for(SET + "mode", lambda _: oven.on(SET + "mode")[-1].payload == b"off")


def documented_sentences() -> str:
    blocks: list[str] = re.findall(r"```yaml\n(.*?)```", DOC.read_text(), flags=re.DOTALL)
    (sentences,) = [block for block in blocks if "HassClimateSetTemperature" in block]
    return sentences


def test_oven_temperatures_above_100_degrees(
    home_assistant: HomeAssistantCore, ha_install: HaInstall, oven: MqttProbe
) -> None:
    """2025.4's built-in sentences stop at 100 degrees; docs/home-assistant.md's file goes on."""
    ha = home_assistant
    answer = ha.converse("set oven to 200 degrees")
    if ha_install.version.startswith("2025."):
        assert answer["response_type"] == "error", answer
    else:
        assert answer["response_type"] == "action_done", answer
        assert oven.wait_for(SET + "target_temperature").payload == b"200.0"
        oven.clear()
    folder = ha.config_dir / "custom_sentences" / "en"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "oven.yaml").write_text(documented_sentences())
    try:
        ha.call("conversation", "reload")
        answer = ha.converse("set the oven to 200 degrees")
        assert answer["response_type"] == "action_done", answer
        assert oven.wait_for(SET + "target_temperature").payload == b"200.0"
    finally:
        (folder / "oven.yaml").unlink()
        ha.call("conversation", "reload")
