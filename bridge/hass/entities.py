"""The entities one cooker exposes to Home Assistant, as plain config dicts.

Each builder returns one component's options (full key names, which Home
Assistant accepts as well as abbreviations and which read better in golden
files). Device, origin and availability are added by :mod:`.discovery`,
because the two discovery layouts place them differently.

The food entities live in :mod:`.food`. Templates read the state JSON of
CONTRACT §3. A ``null`` field renders as ``None``, which Home Assistant's
MQTT entities treat as "unknown" rather than an error, so no template
invents a value the device did not report.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from bridge.anova.device import CLOUD_MAX_TIMER_S, CLOUD_MIN_TEMPERATURE_C, max_temperature_c
from bridge.anova.state import CookerPhase
from bridge.commands.units import from_celsius
from bridge.contract import EVENT_TYPES
from bridge.hass import kind
from bridge.hass.context import Config, EntityContext
from bridge.hass.food import food_category, food_name, thickness
from bridge.hass.kind import EntitySet

STATES: Final = tuple(phase.value for phase in CookerPhase)
ACTIVE_STATES: Final = ("preheating", "cooking", "maintaining")
_ACTIVE_LIST = "[" + ", ".join(f"'{s}'" for s in ACTIVE_STATES) + "]"


def field_template(path: str) -> str:
    """A template reading one (dotted) path of the state document."""
    return "{{ value_json." + path + " }}"


def climate(ctx: EntityContext) -> Config:
    """The thermostat card: the device's main feature, so ``name`` is null."""
    return thermostat(
        ctx,
        min_c=CLOUD_MIN_TEMPERATURE_C,
        max_c=max_temperature_c(ctx.cooker_type),
        step=0.5 if ctx.unit == "C" else 1.0,
    )


def thermostat(ctx: EntityContext, *, min_c: float, max_c: float, step: float) -> Config:
    """A climate entity on the shared topics: modes off/heat, ``set/target_temperature``.

    Every kind's main card: the limits (°C, published in ``ctx.unit``) and
    the step (in ``ctx.unit``) are the kind's.
    """
    state = ctx.topics.state
    return {
        "platform": "climate",
        "name": None,
        "unique_id": ctx.unique_id("climate"),
        "modes": ["off", "heat"],
        "mode_state_topic": state,
        "mode_state_template": "{{ 'heat' if value_json.mode == 'heat' else 'off' }}",
        "mode_command_topic": ctx.topics.set("mode"),
        "temperature_command_topic": ctx.topics.set("target_temperature"),
        "temperature_state_topic": state,
        "temperature_state_template": field_template("target_temperature"),
        "current_temperature_topic": state,
        "current_temperature_template": field_template("current_temperature"),
        "action_topic": state,
        "action_template": (
            "{% if value_json.mode != 'heat' %}off"
            f"{{% elif value_json.state in {_ACTIVE_LIST} %}}heating"
            "{% else %}idle{% endif %}"
        ),
        "precision": 0.1,
        "temp_step": step,
        "min_temp": from_celsius(min_c, ctx.unit),
        "max_temp": from_celsius(max_c, ctx.unit),
        "temperature_unit": ctx.unit,
        "optimistic": False,
    }


def temperature_sensor(ctx: EntityContext, key: str, name: str, path: str) -> Config:
    """A temperature reading of the state document, in the published unit."""
    return {
        "platform": "sensor",
        "name": name,
        "unique_id": ctx.unique_id(key),
        "state_topic": ctx.topics.state,
        "value_template": field_template(path),
        "device_class": "temperature",
        "state_class": "measurement",
        "unit_of_measurement": ctx.unit_symbol,
        "suggested_display_precision": 1,
    }


def water_temperature(ctx: EntityContext) -> Config:
    """The bath temperature, with statistics (long-term graphs)."""
    return temperature_sensor(ctx, "water_temperature", "Water temperature", "current_temperature")


def target_temperature(ctx: EntityContext) -> Config:
    """The setpoint as a plain sensor, for history graphs next to the bath."""
    config = temperature_sensor(
        ctx, "target_temperature", "Target temperature", "target_temperature"
    )
    del config["state_class"]  # a setpoint is not a measurement worth statistics
    return config


def heater_temperature(ctx: EntityContext) -> Config:
    """Heater element temperature: for diagnosing, not for cooking."""
    config = temperature_sensor(
        ctx, "heater_temperature", "Heater temperature", "heater_temperature"
    )
    config["entity_category"] = "diagnostic"
    return config


def triac_temperature(ctx: EntityContext) -> Config:
    """Power electronics temperature: for diagnosing, not for cooking."""
    config = temperature_sensor(ctx, "triac_temperature", "Triac temperature", "triac_temperature")
    config["entity_category"] = "diagnostic"
    return config


def timer_remaining(ctx: EntityContext) -> Config:
    """Seconds left on the cook timer; unknown until the timer runs."""
    return {
        "platform": "sensor",
        "name": "Timer remaining",
        "unique_id": ctx.unique_id("timer_remaining"),
        "state_topic": ctx.topics.state,
        "value_template": field_template("timer.remaining_s"),
        "device_class": "duration",
        "unit_of_measurement": "s",
        "suggested_display_precision": 0,
    }


def cook_end(ctx: EntityContext) -> Config:
    """When the timer will reach zero, so automations can count down to it."""
    return {
        "platform": "sensor",
        "name": "Cook end",
        "unique_id": ctx.unique_id("cook_end"),
        "state_topic": ctx.topics.state,
        "value_template": "{{ value_json.cook.ends_at if value_json.cook else None }}",
        "device_class": "timestamp",
    }


def status(ctx: EntityContext) -> Config:
    """The cook phase as an enum sensor, so automations get a fixed option list."""
    return {
        "platform": "sensor",
        "name": "Status",
        "unique_id": ctx.unique_id("status"),
        "state_topic": ctx.topics.state,
        "value_template": field_template("state"),
        "device_class": "enum",
        "options": list(STATES),
    }


def cooking(ctx: EntityContext) -> Config:
    """On while a cook runs (preheating, cooking or holding), also under an alarm.

    It reads ``mode``, not ``state``: ``state`` says ``alarm`` while one is
    raised, but the cook goes on, and an automation on "cooking turned off"
    must not fire for a low-water warning.
    """
    return {
        "platform": "binary_sensor",
        "name": "Cooking",
        "unique_id": ctx.unique_id("cooking"),
        "state_topic": ctx.topics.state,
        "value_template": "{{ 'ON' if value_json.mode == 'heat' else 'OFF' }}",
        "device_class": "running",
    }


def low_water(ctx: EntityContext) -> Config:
    """The low-water alarm: a problem (on = needs attention), not a moisture reading."""
    return {
        "platform": "binary_sensor",
        "name": "Low water",
        "unique_id": ctx.unique_id("low_water"),
        "state_topic": ctx.topics.state,
        "value_template": "{{ 'ON' if value_json.alarms.low_water else 'OFF' }}",
        "device_class": "problem",
    }


def problem(ctx: EntityContext) -> Config:
    """Any alarm at all; the attributes say which, for a notification text."""
    return {
        "platform": "binary_sensor",
        "name": "Problem",
        "unique_id": ctx.unique_id("problem"),
        "state_topic": ctx.topics.state,
        "value_template": (
            "{{ 'ON' if value_json.state == 'alarm' or true in value_json.alarms.values() "
            "else 'OFF' }}"
        ),
        "json_attributes_topic": ctx.topics.state,
        "json_attributes_template": "{{ value_json.alarms | tojson }}",
        "device_class": "problem",
    }


def timer(ctx: EntityContext) -> Config:
    """The cook timer in minutes (0 = no timer), sent to ``set/timer``."""
    return {
        "platform": "number",
        "name": "Timer",
        "unique_id": ctx.unique_id("timer"),
        "command_topic": ctx.topics.set("timer"),
        "state_topic": ctx.topics.state,
        "value_template": "{{ ((value_json.timer.total_s or 0) / 60) | round(0) | int }}",
        "min": 0,
        "max": CLOUD_MAX_TIMER_S // 60,
        "step": 1,
        "mode": "box",
        "device_class": "duration",
        "unit_of_measurement": "min",
    }


def unit_select(ctx: EntityContext) -> Config:
    """The unit shown on the cooker's own display: a setting, hence ``config``."""
    return {
        "platform": "select",
        "name": "Temperature unit",
        "unique_id": ctx.unique_id("unit"),
        "command_topic": ctx.topics.set("unit"),
        "state_topic": ctx.topics.state,
        "value_template": field_template("unit"),
        "options": ["C", "F"],
        "entity_category": "config",
    }


def _button(ctx: EntityContext, key: str, name: str) -> Config:
    return {
        "platform": "button",
        "name": name,
        "unique_id": ctx.unique_id(key),
        "command_topic": ctx.topics.set(key),
        "payload_press": key,
    }


def start_button(ctx: EntityContext) -> Config:
    """Start a cook with the stored setpoint and timer."""
    return _button(ctx, "start", "Start cook")


def stop_button(ctx: EntityContext) -> Config:
    """Stop the running cook."""
    return _button(ctx, "stop", "Stop cook")


def cook_events(ctx: EntityContext) -> Config:
    """CONTRACT §5 events; the other payload fields become event attributes."""
    return event_entity(ctx, EVENT_TYPES)


def event_entity(ctx: EntityContext, event_types: Sequence[str]) -> Config:
    """The device's ``event`` topic as one event entity offering ``event_types``."""
    return {
        "platform": "event",
        "name": "Cook event",
        "unique_id": ctx.unique_id("cook_event"),
        "state_topic": ctx.topics.event,
        "value_template": "{{ dict(value_json, event_type=value_json.event) | tojson }}",
        "event_types": list(event_types),
    }


BUILDERS: Final[EntitySet] = {
    "climate": climate,
    "water_temperature": water_temperature,
    "target_temperature": target_temperature,
    "timer_remaining": timer_remaining,
    "cook_end": cook_end,
    "status": status,
    "heater_temperature": heater_temperature,
    "triac_temperature": triac_temperature,
    "cooking": cooking,
    "low_water": low_water,
    "problem": problem,
    "timer": timer,
    "unit": unit_select,
    "food_type": food_name,
    "food_category": food_category,
    "thickness": thickness,
    "start": start_button,
    "stop": stop_button,
    "cook_event": cook_events,
}


def components(ctx: EntityContext) -> dict[str, Config]:
    """Every entity of one cooker, keyed by its stable object id."""
    return kind.components(ctx, BUILDERS)


PLATFORMS: Final[dict[str, str]] = kind.platforms([BUILDERS])
"""Each entity key's platform: the per-component topic of a key, without a cooker."""
