"""The entities one Precision Oven exposes to Home Assistant, as plain config dicts.

One device per oven. Its main card is a ``climate`` entity, as the cookers'
(docs/home-assistant.md, "Ovens", says why not ``water_heater``: Assist's
temperature sentences, ``HassClimateSetTemperature`` and
``HassClimateGetTemperature``, match climate entities only). What the cookers
have too (timer, status, food, start/stop, unit, events) is built by the
same builders (:mod:`.entities`, :mod:`.food`); the rest reads the oven's
state document (docs/mqtt.md, "Oven state").

Every command topic is an oven shortcut (``OVEN_SHORTCUT_FIELDS``). The
settings (mode, steam, probe target, elements, fan, timer start) live in
:mod:`.oven_settings`.
"""

from __future__ import annotations

from typing import Final

from bridge.contract import OVEN_EVENT_TYPES
from bridge.hass import entities
from bridge.hass.context import Config, EntityContext
from bridge.hass.food import food_category, food_name, thickness
from bridge.hass.kind import EntitySet
from bridge.hass.oven_settings import (
    elements,
    fan_speed,
    oven_mode,
    probe_target,
    steam_percent,
    timer_start,
)

OVEN_MIN_C: Final = 25.0  # the dry and wet bulbs' lowest setpoint (anova-oven-api.md §5)
OVEN_MAX_C: Final = 250.0  # the dry bulb's highest


def _flag(path: str) -> str:
    """A nullable boolean as ON/OFF; null renders None, which HA reads as unknown."""
    return (
        f"{{% set v = value_json.{path} %}}{{{{ None if v is none else ('ON' if v else 'OFF') }}}}"
    )


def climate(ctx: EntityContext) -> Config:
    """The cavity's thermostat: the active bulb (dry, or wet in wet mode), 25–250 °C.

    Step 1°: a wet-bulb (sous-vide) stage needs single degrees; a typed or
    spoken value is taken as given anyway.
    """
    return entities.thermostat(ctx, min_c=OVEN_MIN_C, max_c=OVEN_MAX_C, step=1.0)


def dry_bulb(ctx: EntityContext) -> Config:
    """The dry bulb: the cavity's air temperature."""
    return entities.temperature_sensor(
        ctx, "dry_bulb_temperature", "Dry bulb temperature", "dry_bulb_temperature"
    )


def wet_bulb(ctx: EntityContext) -> Config:
    """The wet bulb: what food feels in steam, the setpoint of a wet (sous-vide) stage."""
    return entities.temperature_sensor(
        ctx, "wet_bulb_temperature", "Wet bulb temperature", "wet_bulb_temperature"
    )


def probe_temperature(ctx: EntityContext) -> Config:
    """The food probe's core temperature; unknown while unplugged."""
    return entities.temperature_sensor(
        ctx, "probe_temperature", "Probe temperature", "probe.temperature"
    )


def humidity(ctx: EntityContext) -> Config:
    """The cavity's relative humidity."""
    return {
        "platform": "sensor",
        "name": "Humidity",
        "unique_id": ctx.unique_id("humidity"),
        "state_topic": ctx.topics.state,
        "value_template": entities.field_template("humidity"),
        "device_class": "humidity",
        "state_class": "measurement",
        "unit_of_measurement": "%",
        "suggested_display_precision": 0,
    }


def stage(ctx: EntityContext) -> Config:
    """Stage "2 of 3" while a cook runs; attributes: its kind, whether it waits for you."""
    return {
        "platform": "sensor",
        "name": "Stage",
        "unique_id": ctx.unique_id("stage"),
        "state_topic": ctx.topics.state,
        "value_template": (
            "{% set s = value_json.stage %}{{ (s.number ~ ' of ' ~ s.count) if s else None }}"
        ),
        "json_attributes_topic": ctx.topics.state,
        "json_attributes_template": "{{ (value_json.stage or {}) | tojson }}",
        "icon": "mdi:format-list-numbered",
    }


def _binary(ctx: EntityContext, key: str, name: str, path: str, device_class: str | None) -> Config:
    config: Config = {
        "platform": "binary_sensor",
        "name": name,
        "unique_id": ctx.unique_id(key),
        "state_topic": ctx.topics.state,
        "value_template": _flag(path),
    }
    if device_class:
        config["device_class"] = device_class
    return config


def door(ctx: EntityContext) -> Config:
    """On while the door is open."""
    config = _binary(ctx, "door", "Door", "door", "door")
    config["value_template"] = (
        "{% set v = value_json.door %}"
        "{{ 'ON' if v == 'open' else ('OFF' if v == 'closed' else None) }}"
    )
    return config


def water_tank_empty(ctx: EntityContext) -> Config:
    """The water tank is empty: a problem for any steam or wet stage."""
    return _binary(ctx, "water_tank_empty", "Water tank empty", "water_tank.empty", "problem")


def lamp(ctx: EntityContext) -> Config:
    """The cavity lamp (read only: the bridge has no lamp command)."""
    return _binary(ctx, "lamp", "Lamp", "lamp", "light")


def preheated(ctx: EntityContext) -> Config:
    """On once the active stage's bulb has reached its setpoint."""
    # No device class: "heat" would say "hot", not "at the setpoint".
    config = _binary(ctx, "preheated", "Preheated", "preheated", None)
    config["icon"] = "mdi:thermometer-check"
    return config


def oven_events(ctx: EntityContext) -> Config:
    """The oven's events (docs/mqtt.md, "Oven events"); the other fields become attributes."""
    return entities.event_entity(ctx, OVEN_EVENT_TYPES)


OVEN_ENTITIES: Final[EntitySet] = {
    "climate": climate,
    "dry_bulb_temperature": dry_bulb,
    "wet_bulb_temperature": wet_bulb,
    "humidity": humidity,
    "probe_temperature": probe_temperature,
    "timer_remaining": entities.timer_remaining,
    "cook_end": entities.cook_end,
    "status": entities.status,
    "stage": stage,
    "cooking": entities.cooking,
    "preheated": preheated,
    "door": door,
    "water_tank_empty": water_tank_empty,
    "lamp": lamp,
    "problem": entities.problem,
    "oven_mode": oven_mode,
    "steam_percent": steam_percent,
    "probe_target": probe_target,
    "elements": elements,
    "fan_speed": fan_speed,
    "timer_start": timer_start,
    "timer": entities.timer,
    "unit": entities.unit_select,
    "food_type": food_name,
    "food_category": food_category,
    "thickness": thickness,
    "start": entities.start_button,
    "stop": entities.stop_button,
    "cook_event": oven_events,
}
"""Every entity of one oven, by stable object id (``anova_<cooker_id>_<key>``)."""
