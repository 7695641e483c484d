"""What Home Assistant sends when a user acts: dashboard services and Assist sentences.

The test plays the bridge: it watches the shortcut command topics and
publishes state, so what HA publishes is checked byte for byte.
Facts found here (HA 2025.4.4): Assist turns "set <name> to 60 degrees" into
``60.0`` on the climate's temperature command topic, "turn on <name>" into
``heat`` on its mode command topic, and answers "what is the temperature of
<name>" with the current (bath) temperature.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bridge.anova.device import CookerInfo
from bridge.hass import CookerEntry
from tests.ha.conftest import mark_online, publish_discovery, state_json
from tests.ha.harness import HomeAssistantCore
from tests.support.broker import MosquittoBroker
from tests.support.probe import MqttProbe

pytestmark = pytest.mark.ha

SOUS_VIDE = CookerEntry(
    CookerInfo(cooker_id="v01ce00001", name="Sous vide", type="a7"), "sous_vide", "01.01.25"
)
SET = "anova/sous_vide/set/"


@pytest.fixture
def cooker(
    home_assistant: HomeAssistantCore, probe: MqttProbe, ha_broker: MosquittoBroker
) -> Iterator[MqttProbe]:
    """The "Sous vide" cooker discovered and idle; yields a probe on its command topics."""
    publish_discovery(probe, [SOUS_VIDE])
    mark_online(probe, SOUS_VIDE.topic_id)
    probe.publish("anova/sous_vide/state", state_json(SOUS_VIDE.info.cooker_id), retain=True)
    home_assistant.wait_state("climate.sous_vide", lambda s: s["state"] == "off")
    watcher = MqttProbe(ha_broker.port)
    watcher.subscribe(SET + "#")
    # Its SUBSCRIBE races the first service call: a fence coming back proves
    # it is in place (the broker handles one client's packets in order).
    watcher.publish(SET + "fence", "fence")
    watcher.wait_for(SET + "fence")
    watcher.clear()
    yield watcher
    watcher.close()


def payloads(watcher: MqttProbe, field: str) -> list[str]:
    return [m.payload.decode() for m in watcher.on(SET + field)]


def test_dashboard_services_publish_on_the_shortcut_topics(
    home_assistant: HomeAssistantCore, cooker: MqttProbe
) -> None:
    ha = home_assistant
    since = ha.log_offset()
    ha.call("climate", "set_temperature", entity_id="climate.sous_vide", temperature=60)
    assert cooker.wait_for(SET + "target_temperature").payload == b"60.0"
    ha.call("climate", "set_hvac_mode", entity_id="climate.sous_vide", hvac_mode="heat")
    assert cooker.wait_for(SET + "mode").payload == b"heat"
    ha.call("number", "set_value", entity_id="number.sous_vide_timer", value=90)
    assert cooker.wait_for(SET + "timer").payload == b"90"
    ha.call("select", "select_option", entity_id="select.sous_vide_temperature_unit", option="F")
    assert cooker.wait_for(SET + "unit").payload == b"F"
    ha.call("button", "press", entity_id="button.sous_vide_start_cook")
    assert cooker.wait_for(SET + "start").payload == b"start"
    ha.call("button", "press", entity_id="button.sous_vide_stop_cook")
    assert cooker.wait_for(SET + "stop").payload == b"stop"
    ha.call("climate", "set_hvac_mode", entity_id="climate.sous_vide", hvac_mode="off")
    cooker.wait_for(SET + "mode", lambda _: payloads(cooker, "mode") == ["heat", "off"])
    assert not any(m.retain for m in cooker.messages), "commands must never be retained"
    assert ha.log_problems(since) == []


def test_commands_are_not_optimistic(home_assistant: HomeAssistantCore, cooker: MqttProbe) -> None:
    """HA shows what the bridge reports, not what was asked: a refused command stays visible."""
    ha = home_assistant
    ha.call("climate", "set_temperature", entity_id="climate.sous_vide", temperature=30)
    cooker.wait_for(SET + "target_temperature")
    assert ha.state("climate.sous_vide")["attributes"]["temperature"] is None


def test_voice_sentences_reach_the_cooker(
    home_assistant: HomeAssistantCore, cooker: MqttProbe, probe: MqttProbe
) -> None:
    ha = home_assistant
    since = ha.log_offset()

    answer = ha.converse("set sous vide to 60 degrees")
    assert answer["response_type"] == "action_done", answer
    assert cooker.wait_for(SET + "target_temperature").payload == b"60.0"

    answer = ha.converse("turn on sous vide")
    assert answer["response_type"] == "action_done", answer
    assert cooker.wait_for(SET + "mode").payload == b"heat"

    heating = {"state": "preheating", "mode": "heat", "current_temperature": 48.5}
    probe.publish(
        "anova/sous_vide/state",
        state_json(SOUS_VIDE.info.cooker_id, target_temperature=60.0, **heating),
        retain=True,
    )
    ha.wait_state("climate.sous_vide", lambda s: s["attributes"]["current_temperature"] == 48.5)
    answer = ha.converse("what is the temperature of sous vide")
    assert answer["response_type"] == "query_answer", answer
    assert "48.5" in answer["speech"]["plain"]["speech"]

    answer = ha.converse("turn off sous vide")
    assert answer["response_type"] == "action_done", answer
    cooker.wait_for(SET + "mode", lambda _: payloads(cooker, "mode")[-1:] == ["off"])
    assert ha.log_problems(since) == []
