"""What every discovery payload must say, whatever the cooker: CONTRACT §1 and §6."""

from __future__ import annotations

from typing import Any

import pytest

from bridge.anova.device import CookerInfo
from bridge.contract import EVENT_TYPES
from bridge.hass import CookerTopics, DiscoveryOptions, DiscoveryPlanner, cooker_configs
from bridge.hass.topics import SHORTCUT_FIELDS, parse_config_topic
from bridge.settings import Settings
from tests.hass.conftest import A5, A7, COOKERS, options


def device_payload(
    cooker: CookerInfo = A7,
    unit: str = "C",
    topic_id: str = "sous_vide",
    firmware: str | None = "01.01.25",
    **extra: Any,
) -> dict[str, Any]:
    (payload,) = cooker_configs(cooker, topic_id, firmware, options(unit, **extra)).values()
    return payload


def test_one_retained_device_config_per_cooker_on_the_contract_topic() -> None:
    configs = cooker_configs(A7, "sous_vide", None, options())
    assert list(configs) == ["homeassistant/device/a7c0ffee1234/config"]


def test_device_block_names_anova_the_model_firmware_and_the_bridge() -> None:
    device = device_payload()["device"]
    assert device == {
        "identifiers": ["anova_a7c0ffee1234"],
        "name": "Sous vide",
        "manufacturer": "Anova",
        "model": "Precision Cooker 3.0",
        "model_id": "a7",
        "sw_version": "01.01.25",
        "via_device": "anova_bridge",
    }


def test_unknown_firmware_is_left_out_rather_than_invented() -> None:
    assert "sw_version" not in device_payload(firmware=None)["device"]


def test_origin_says_who_published_it() -> None:
    assert device_payload()["origin"] == {
        "name": "anova-mqtt-bridge",
        "sw_version": "1.2.3",
        "support_url": "https://github.com/anova-mqtt-bridge/anova-mqtt-bridge",
    }


def test_every_entity_needs_bridge_and_cooker_online() -> None:
    payload = device_payload(topic_id="kitchen")
    assert payload["availability"] == [
        {"topic": "anova/bridge/availability"},
        {"topic": "anova/kitchen/availability"},
    ]
    assert payload["availability_mode"] == "all"
    assert all(c["qos"] == 1 for c in payload["components"].values())


def test_climate_is_the_main_feature_and_other_names_do_not_repeat_the_device() -> None:
    components = device_payload()["components"]
    assert components["climate"]["name"] is None
    for key, config in components.items():
        if key != "climate":
            assert config["name"]
            assert not config["name"].lower().startswith("sous vide")


def test_unique_ids_are_stable_and_distinct() -> None:
    components = device_payload()["components"]
    ids = [config["unique_id"] for config in components.values()]
    assert ids == [f"anova_a7c0ffee1234_{key}" for key in components]
    assert len(set(ids)) == len(ids)


def test_contract_entities_are_all_there() -> None:
    platforms = {key: c["platform"] for key, c in device_payload()["components"].items()}
    assert platforms == {
        "climate": "climate",
        "water_temperature": "sensor",
        "target_temperature": "sensor",
        "timer_remaining": "sensor",
        "cook_end": "sensor",
        "status": "sensor",
        "heater_temperature": "sensor",
        "triac_temperature": "sensor",
        "cooking": "binary_sensor",
        "low_water": "binary_sensor",
        "problem": "binary_sensor",
        "timer": "number",
        "unit": "select",
        "food_type": "text",
        "food_category": "select",
        "thickness": "number",
        "start": "button",
        "stop": "button",
        "cook_event": "event",
    }


def _topics_in(payload: dict[str, Any]) -> set[str]:
    found = set()
    for config in payload["components"].values():
        found |= {v for k, v in config.items() if k.endswith("_topic")}
    return found


def test_only_contract_topics_are_used() -> None:
    topics = CookerTopics("anova", "sous_vide")
    allowed = {topics.state, topics.event} | {topics.set(f) for f in SHORTCUT_FIELDS}
    assert _topics_in(device_payload()) <= allowed
    assert {topics.set(f) for f in SHORTCUT_FIELDS} <= _topics_in(device_payload())


def test_base_topic_and_prefix_come_from_options() -> None:
    configs = cooker_configs(A7, "sv", None, options(prefix="ha", base_topic="kitchen/anova"))
    (topic,) = configs
    assert topic == "ha/device/a7c0ffee1234/config"
    assert (
        configs[topic]["components"]["climate"]["mode_command_topic"] == "kitchen/anova/sv/set/mode"
    )


@pytest.mark.parametrize(
    ("cooker_type", "unit", "expected"),
    [
        ("a7", "C", (0.0, 99.5, 0.5)),
        ("a5", "C", (0.0, 99.5, 0.5)),
        ("pro", "C", (0.0, 92.0, 0.5)),
        ("a4", "F", (32.0, 197.6, 1.0)),
        ("a7", "F", (32.0, 211.1, 1.0)),
    ],
)
def test_climate_limits_follow_the_model_and_unit(cooker_type, unit, expected) -> None:
    cooker = CookerInfo(cooker_id="x1", name="Cooker", type=cooker_type)
    climate = device_payload(cooker, unit)["components"]["climate"]
    assert (climate["min_temp"], climate["max_temp"], climate["temp_step"]) == expected
    assert climate["temperature_unit"] == unit
    assert climate["precision"] == 0.1
    assert climate["modes"] == ["off", "heat"]


def test_temperature_sensors_carry_the_published_unit() -> None:
    components = device_payload(unit="F")["components"]
    for key in (
        "water_temperature",
        "target_temperature",
        "heater_temperature",
        "triac_temperature",
    ):
        assert components[key]["unit_of_measurement"] == "°F"
        assert components[key]["device_class"] == "temperature"
    assert components["heater_temperature"]["entity_category"] == "diagnostic"
    assert components["triac_temperature"]["entity_category"] == "diagnostic"
    assert "entity_category" not in components["water_temperature"]


def test_event_entity_lists_every_contract_event() -> None:
    event = device_payload()["components"]["cook_event"]
    assert event["event_types"] == list(EVENT_TYPES)
    assert event["state_topic"] == "anova/sous_vide/event"


def test_component_mode_publishes_the_same_entities_one_topic_each() -> None:
    device = device_payload()
    configs = cooker_configs(A7, "sous_vide", "01.01.25", options(mode="component"))
    assert len(configs) == len(device["components"])
    for topic, payload in configs.items():
        parsed = parse_config_topic("homeassistant", topic)
        assert parsed is not None
        component, node_id, key = parsed
        assert node_id == "a7c0ffee1234"
        expected = dict(device["components"][key])
        assert expected.pop("platform") == component
        shared = {k: v for k, v in device.items() if k != "components"}
        assert payload == {**shared, **expected}


def test_options_from_settings() -> None:
    settings = Settings.model_validate(
        {
            "anova": {"token": "anova-x"},
            "mqtt": {"base_topic": "home/anova"},
            "units": "F",
            "homeassistant": {"discovery_prefix": "ha", "discovery_mode": "component"},
        }
    )
    opts = DiscoveryOptions.from_settings(settings, version="9.9")
    assert opts == DiscoveryOptions(
        prefix="ha", base_topic="home/anova", mode="component", unit="F", version="9.9"
    )
    assert opts.bridge_id == "home_anova_bridge"


def test_two_cookers_never_share_a_topic_or_unique_id() -> None:
    publisher = DiscoveryPlanner(options())
    seen: set[str] = set()
    for entry in (COOKERS["a7"], COOKERS["a5"]):
        (payload,) = publisher.configs_for(entry.info, topic_id=entry.topic_id).values()
        ids = {c["unique_id"] for c in payload["components"].values()}
        assert not ids & seen
        seen |= ids
    assert A5.cooker_id != A7.cooker_id
