"""The entities one Precision Oven exposes to Home Assistant, as plain config dicts.

One device per oven. Its main card is a ``climate`` entity, as the cookers'
(docs/home-assistant.md, "Ovens", says why not ``water_heater``: Assist's
"set the oven to 200 degrees" exists only for climate). What the cookers
have too (timer, status, food, start/stop, unit, events) is built by the
same builders (:mod:`.entities`, :mod:`.food`); the rest reads the oven's
state document (docs/mqtt.md, "Oven state").

Every command topic is an oven shortcut (``OVEN_SHORTCUT_FIELDS``). The
settings of the next quick start (mode, steam, probe target, elements,
fan, timer start) show the running stage's values while a cook runs and the
kept ``next`` values while idle, so the select or number a user just moved
shows what the start will use.
"""

from __future__ import annotations

from typing import Final

from bridge.commands.units import from_celsius
from bridge.contract import OVEN_EVENT_TYPES
from bridge.hass import entities
from bridge.hass.context import Config, EntityContext
from bridge.hass.food import food_category, food_name, thickness
from bridge.hass.kind import EntitySet

OVEN_MIN_C: Final = 25.0  # the dry and wet bulbs' lowest setpoint (anova-oven-api.md §5)
OVEN_MAX_C: Final = 250.0  # the dry bulb's highest
PROBE_MAX_C: Final = 100.0
OVEN_MODES: Final = ("dry", "steam", "wet")
ELEMENT_PRESETS: Final = ("rear", "top", "bottom", "top_rear", "bottom_rear", "top_bottom")
"""The ``set/elements`` presets: the elements that are on, joined in top, bottom, rear order."""
TIMER_STARTS: Final = ("immediately", "when_preheated", "manual")


def _setting(running: str, kept: str) -> str:
    """A stage setting: the running cook's while it runs, else the kept next start's."""
    return (
        f"(value_json.{running} if value_json.mode == 'heat' "
        f"else (value_json.next or {{}}).get('{kept}'))"
    )


def _flag(path: str) -> str:
    """A nullable boolean as ON/OFF; null renders None, which HA reads as unknown."""
    return (
        f"{{% set v = value_json.{path} %}}{{{{ None if v is none else ('ON' if v else 'OFF') }}}}"
    )


def _bounded(expression: str, low: float, high: float, *, default: str | None = None) -> str:
    """A number in ``[low, high]``, null as ``default``; else unknown (HA logs out of range)."""
    fallback = f"{{% set v = {default} if v is none else v %}}" if default else ""
    return (
        f"{{% set v = {expression} %}}{fallback}"
        f"{{{{ v if v is number and {low} <= v <= {high} else None }}}}"
    )


def _options(options: tuple[str, ...]) -> str:
    return "[" + ", ".join(f"'{option}'" for option in options) + "]"


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


def oven_mode(ctx: EntityContext) -> Config:
    """Dry, steam or wet (sous vide in the oven), sent to ``set/oven_mode``."""
    return {
        "platform": "select",
        "name": "Oven mode",
        "unique_id": ctx.unique_id("oven_mode"),
        "command_topic": ctx.topics.set("oven_mode"),
        "state_topic": ctx.topics.state,
        "value_template": (
            f"{{% set v = {_setting('oven_mode', 'oven_mode')} %}}"
            f"{{{{ v if v in {_options(OVEN_MODES)} else None }}}}"
        ),
        "options": list(OVEN_MODES),
        "icon": "mdi:stove",
    }


def _percent(
    ctx: EntityContext, key: str, name: str, expression: str, default: str | None
) -> Config:
    return {
        "platform": "number",
        "name": name,
        "unique_id": ctx.unique_id(key),
        "command_topic": ctx.topics.set(key),
        "state_topic": ctx.topics.state,
        "value_template": _bounded(expression, 0, 100, default=default),
        "min": 0,
        "max": 100,
        "step": 1,
        "mode": "slider",
        "unit_of_measurement": "%",
    }


def steam_percent(ctx: EntityContext) -> Config:
    """Steam for a steam stage (relative humidity below 100 °C); 0 = none."""
    config = _percent(
        ctx, "steam_percent", "Steam", _setting("steam_percent", "steam_percent"), "0"
    )
    config["icon"] = "mdi:water-percent"
    return config


def fan_speed(ctx: EntityContext) -> Config:
    """The convection fan, 0–100 (the oven runs it at 100 with the rear element or steam)."""
    config = _percent(ctx, "fan_speed", "Fan speed", _setting("fan_speed", "fan_speed"), None)
    config["icon"] = "mdi:fan"
    return config


def probe_target(ctx: EntityContext) -> Config:
    """The probe's target: the stage ends when the core reaches it; 0 = no probe target."""
    high = from_celsius(PROBE_MAX_C, ctx.unit)
    return {
        "platform": "number",
        "name": "Probe target",
        "unique_id": ctx.unique_id("probe_target"),
        "command_topic": ctx.topics.set("probe_target"),
        "state_topic": ctx.topics.state,
        "value_template": _bounded(_setting("probe.target", "probe_target"), 0, high, default="0"),
        "min": 0,
        "max": high,
        "step": 0.5 if ctx.unit == "C" else 1,
        "mode": "box",
        "device_class": "temperature",
        "unit_of_measurement": ctx.unit_symbol,
    }


def elements(ctx: EntityContext) -> Config:
    """Which heating elements heat, as the presets ``set/elements`` takes."""
    pick = " + ".join(f"(['{e}'] if e and e.{e} else [])" for e in ("top", "bottom", "rear"))
    return {
        "platform": "select",
        "name": "Heating elements",
        "unique_id": ctx.unique_id("elements"),
        "command_topic": ctx.topics.set("elements"),
        "state_topic": ctx.topics.state,
        "value_template": (
            f"{{% set e = {_setting('elements', 'elements')} %}}"
            f"{{% set p = ({pick}) | join('_') %}}"
            f"{{{{ p if p in {_options(ELEMENT_PRESETS)} else None }}}}"
        ),
        "options": list(ELEMENT_PRESETS),
        "icon": "mdi:heating-coil",
    }


def timer_start(ctx: EntityContext) -> Config:
    """When the next start's timer counts: at once, once preheated, or from the panel.

    The oven does not report it for a running cook, so it is unknown then.
    """
    return {
        "platform": "select",
        "name": "Timer start",
        "unique_id": ctx.unique_id("timer_start"),
        "command_topic": ctx.topics.set("timer_start"),
        "state_topic": ctx.topics.state,
        "value_template": (
            "{% set v = (value_json.next or {}).get('timer_start') %}"
            f"{{{{ v if v in {_options(TIMER_STARTS)} else None }}}}"
        ),
        "options": list(TIMER_STARTS),
        "icon": "mdi:timer-cog-outline",
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
