"""Home Assistant has nothing to say about the bridge's discovery: no warning, no error.

Every layout (device and per-component), both units and every model are
discovered at once, as a bridge starting against an empty broker sends them,
on each supported release. HA drops or rewrites what it dislikes and says so
only in its log (a deprecated option, a conflicting discovery id, a payload
that fails its schema), so the log is what is read. The one warning the
bridge knowingly causes, on a device → component rollback, is covered by
``test_switching_layouts_keeps_the_entities``.
"""

from __future__ import annotations

import json
import re

import pytest

from bridge.anova.device import CookerInfo
from bridge.hass import CookerEntry
from tests.ha.conftest import publish_discovery, state_json
from tests.ha.harness import LOG_LINE, HomeAssistantCore
from tests.support.probe import MqttProbe
from tests.support.waiting import wait_until

pytestmark = pytest.mark.ha

LAYOUTS = [(mode, unit) for mode in ("device", "component") for unit in ("C", "F")]
MODELS = ("a7", "a5", "pro")
ENTITIES_PER_COOKER = 19  # as in test_schemas.py: 16 plus the next cook's food, category, thickness
NAME = re.compile(r"^Quiet \d [a-z0-9]+( |$)")
FENCE_TOPIC = "homeassistant/sensor/log_fence/config"
FENCE = {"name": "Log fence", "state_topic": "fence/state", "unique_id": "log_fence_sensor"}


def cookers_for(index: int) -> list[CookerEntry]:
    """One cooker of every model, with ids and names of their own for this layout."""
    return [
        CookerEntry(
            CookerInfo(cooker_id=f"qu1et{index}{model}", name=f"Quiet {index} {model}", type=model),
            f"quiet_{index}_{model}",
            "01.01.25",
        )
        for model in MODELS
    ]


def quiet_entities(ha: HomeAssistantCore) -> dict[str, str]:
    """Entity id → state of every entity these cookers made."""
    return {
        entity_id: state["state"]
        for entity_id, state in ha.states().items()
        if NAME.match(state["attributes"].get("friendly_name", ""))
    }


def warnings_about_us(ha: HomeAssistantCore, since: int) -> list[str]:
    """WARNING and worse from MQTT, or from anyone naming one of our cookers or topics."""
    ours = re.compile(r"qu1et|quiet", re.IGNORECASE)  # our ids, names, bases and topics
    lines = ha.log_lines("", since)
    return [
        line
        for line in lines
        if (match := LOG_LINE.match(line))
        and match["level"] in {"WARNING", "ERROR", "CRITICAL"}
        and (match["logger"].startswith("homeassistant.components.mqtt") or ours.search(line))
    ]


def test_discovery_leaves_no_warning_in_home_assistants_log(
    home_assistant: HomeAssistantCore, probe: MqttProbe
) -> None:
    ha = home_assistant
    since = ha.log_offset()
    for index, (mode, unit) in enumerate(LAYOUTS):
        base = f"quiet{index}"
        cookers = cookers_for(index)
        publish_discovery(probe, cookers, mode=mode, unit=unit, base=base)
        probe.publish(f"{base}/bridge/availability", "online", retain=True)
        for cooker in cookers:
            probe.publish(f"{base}/{cooker.topic_id}/availability", "online", retain=True)
            state = state_json(cooker.info.cooker_id, unit=unit)
            probe.publish(f"{base}/{cooker.topic_id}/state", state, retain=True)

    expected = len(LAYOUTS) * len(MODELS) * ENTITIES_PER_COOKER

    def all_available() -> dict[str, str] | None:
        found = quiet_entities(ha)
        usable = len(found) == expected and "unavailable" not in found.values()
        return found if usable else None

    wait_until(all_available, timeout=30, what=f"{expected} entities available")
    # HA handles discovery in arrival order: once a config sent last has become
    # an entity, whatever HA had to say about the earlier ones is in the log.
    probe.publish(FENCE_TOPIC, json.dumps(FENCE), retain=True)
    ha.wait_state("sensor.log_fence", lambda s: s["state"] == "unknown")
    probe.publish(FENCE_TOPIC, "", retain=True)
    assert warnings_about_us(ha, since) == []
