"""The oven's Home Assistant entities: what appears, and which topics they use."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bridge.contract import OVEN_EVENT_TYPES, OVEN_SHORTCUT_FIELDS, SHORTCUT_FIELDS
from bridge.hass import CookerTopics, cooker_configs
from bridge.hass.entities import BUILDERS
from bridge.hass.kind import platforms
from bridge.hass.oven_entities import OVEN_ENTITIES
from bridge.hass.oven_settings import ELEMENT_PRESETS
from bridge.kinds.kind import StateInputs
from bridge.kinds.oven.state import oven_document
from tests.hass.conftest import options
from tests.kinds.oven_states import V1, V2, v1_idle, v2_cooking_with_probe

PLATFORMS = {
    "climate": "climate",
    "dry_bulb_temperature": "sensor",
    "wet_bulb_temperature": "sensor",
    "humidity": "sensor",
    "probe_temperature": "sensor",
    "timer_remaining": "sensor",
    "cook_end": "sensor",
    "status": "sensor",
    "stage": "sensor",
    "cooking": "binary_sensor",
    "preheated": "binary_sensor",
    "door": "binary_sensor",
    "water_tank_empty": "binary_sensor",
    "lamp": "binary_sensor",
    "problem": "binary_sensor",
    "oven_mode": "select",
    "steam_percent": "number",
    "probe_target": "number",
    "elements": "select",
    "fan_speed": "number",
    "timer_start": "select",
    "timer": "number",
    "unit": "select",
    "food_type": "text",
    "food_category": "select",
    "thickness": "number",
    "start": "button",
    "stop": "button",
    "cook_event": "event",
}


def oven_payload(unit: str = "C", topic_id: str = "big_oven", **extra: Any) -> dict[str, Any]:
    configs = cooker_configs(V2, topic_id, "1.0.0", options(unit, **extra), OVEN_ENTITIES)
    (payload,) = configs.values()
    return payload


def test_one_device_config_per_oven_with_every_entity() -> None:
    configs = cooker_configs(V2, "big_oven", "1.0.0", options(), OVEN_ENTITIES)
    assert list(configs) == ["homeassistant/device/0123456789abcdef02/config"]
    components = configs["homeassistant/device/0123456789abcdef02/config"]["components"]
    assert {key: c["platform"] for key, c in components.items()} == PLATFORMS


def test_the_thermostat_is_the_main_feature_and_ids_are_stable() -> None:
    components = oven_payload()["components"]
    assert components["climate"]["name"] is None
    assert all(c["name"] for key, c in components.items() if key != "climate")
    ids = [c["unique_id"] for c in components.values()]
    assert ids == [f"anova_0123456789abcdef02_{key}" for key in components]


def _topics(config: dict[str, Any], suffix: str) -> set[str]:
    return {value for key, value in config.items() if key.endswith(suffix)}


def test_every_command_goes_to_an_oven_shortcut_topic() -> None:
    topics = CookerTopics("anova", "big_oven")
    allowed = {topics.set(field) for field in OVEN_SHORTCUT_FIELDS}
    sent = set().union(
        *(_topics(c, "command_topic") for c in oven_payload()["components"].values())
    )
    assert sent <= allowed
    oven_only = {topics.set(f) for f in OVEN_SHORTCUT_FIELDS if f not in SHORTCUT_FIELDS}
    assert oven_only <= sent  # each oven setting has its entity


def test_every_state_comes_from_the_state_or_event_topic() -> None:
    read = set()
    for config in oven_payload()["components"].values():
        read |= _topics(config, "_topic") - _topics(config, "command_topic")
    assert read == {"anova/big_oven/state", "anova/big_oven/event"}


@pytest.mark.parametrize(
    ("unit", "limits"), [("C", (25.0, 250.0, 1.0, "C")), ("F", (77.0, 482.0, 1.0, "F"))]
)
def test_the_thermostat_spans_the_dry_bulb_range(unit: str, limits: tuple[Any, ...]) -> None:
    climate = oven_payload(unit)["components"]["climate"]
    assert (
        climate["min_temp"],
        climate["max_temp"],
        climate["temp_step"],
        climate["temperature_unit"],
    ) == limits
    assert climate["modes"] == ["off", "heat"]
    assert climate["mode_command_topic"] == "anova/big_oven/set/mode"
    assert climate["temperature_command_topic"] == "anova/big_oven/set/target_temperature"


def test_temperatures_carry_the_published_unit() -> None:
    components = oven_payload("F")["components"]
    for key in ("dry_bulb_temperature", "wet_bulb_temperature", "probe_temperature"):
        assert components[key]["unit_of_measurement"] == "°F"
        assert components[key]["device_class"] == "temperature"
    assert (components["probe_target"]["min"], components["probe_target"]["max"]) == (0, 212.0)
    assert oven_payload("C")["components"]["probe_target"]["max"] == 100.0


def test_selects_offer_what_the_shortcuts_take() -> None:
    components = oven_payload()["components"]
    assert components["oven_mode"]["options"] == ["dry", "steam", "wet"]
    assert components["elements"]["options"] == list(ELEMENT_PRESETS)
    assert components["timer_start"]["options"] == ["immediately", "when_preheated", "manual"]
    assert components["unit"]["options"] == ["C", "F"]


def test_binary_sensors_say_what_on_means() -> None:
    components = oven_payload()["components"]
    classes = {k: components[k].get("device_class") for k in ("door", "water_tank_empty", "lamp")}
    assert classes == {"door": "door", "water_tank_empty": "problem", "lamp": "light"}


def test_the_event_entity_offers_every_oven_event() -> None:
    event = oven_payload()["components"]["cook_event"]
    assert event["event_types"] == list(OVEN_EVENT_TYPES)
    assert event["state_topic"] == "anova/big_oven/event"


def test_component_mode_publishes_one_topic_per_entity() -> None:
    configs = cooker_configs(V2, "big_oven", None, options(mode="component"), OVEN_ENTITIES)
    assert len(configs) == len(PLATFORMS)
    assert "homeassistant/select/0123456789abcdef02/oven_mode/config" in configs


def test_keys_shared_with_the_cookers_keep_their_platform() -> None:
    """A per-component topic is found by key across kinds, so a key has one platform."""
    shared = set(BUILDERS) & set(OVEN_ENTITIES)
    cooker, oven = platforms([BUILDERS]), platforms([OVEN_ENTITIES])
    assert {key: cooker[key] for key in shared} == {key: oven[key] for key in shared}


_NEXT_GET = r"\(value_json\.next or \{\}\)\.get\('(\w+)'\)"


def _paths(template: str) -> set[str]:
    """The document paths a template reads: ``value_json.a.b`` and ``next``'s ``.get('k')``."""
    found = set(re.findall(r"value_json\.([a-z_]+(?:\.[a-z_]+)*)", template))
    found |= {f"next.{key}" for key in re.findall(_NEXT_GET, template)}
    found |= set(re.findall(r"value_json\.get\('(\w+)'\)", template))
    # ``value_json.alarms.values()`` and ``value_json.get(...)`` call dict methods
    return {p.removesuffix(".values") for p in found if p not in ("get", "event")}


def _has(document: dict[str, Any], path: str) -> bool:
    node: Any = document
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def test_every_template_reads_a_key_the_oven_document_has() -> None:
    """HA renders a misspelt key as unknown without a word, so the keys are checked here."""
    cooking = oven_document(StateInputs(V2, v2_cooking_with_probe(), unit="C", online=True))
    idle = oven_document(StateInputs(V1, v1_idle(), unit="C", online=True))
    read: set[str] = set()
    for config in oven_payload()["components"].values():
        if config["platform"] == "event":
            continue
        for key, template in config.items():
            if key.endswith("_template"):
                read |= _paths(template)
    missing = {p for p in read if not (_has(cooking, p) or _has(idle, p))}
    assert missing == set()
    assert {"door", "water_tank.empty", "next.oven_mode", "probe.target", "stage"} <= read
