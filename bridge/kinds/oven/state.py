"""The ovens' retained state document (docs/mqtt.md, "Oven state").

What a cooker's document says (phase, mode, the active setpoint, timer,
cook, food, alarms, device) means the same for an oven, written by the same
helpers; an oven adds its two bulbs, steam, the probe, the stage, the
elements, fan, door, water tanks and lamp. While idle, ``next`` says what a
quick start (``set/start``, ``set/mode heat``) would run, so Home
Assistant's selects and numbers show the kept settings; while a cook runs
it is null and the top-level fields show the running stage instead.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from bridge.anova.oven_model import OVEN_MODEL_NAMES, HeatingElements, OvenState
from bridge.commands.oven_models import NextStage
from bridge.contract import TemperatureUnit
from bridge.kinds.document import (
    alarms_block,
    cook_block,
    device_block,
    food_block,
    iso,
    published_phase,
    published_target,
    timer_block,
    to_unit,
    utc_now,
)
from bridge.kinds.kind import StateInputs

__all__ = ["oven_document"]


def oven_document(inputs: StateInputs) -> dict[str, Any]:
    """The retained ``<base>/<id>/state`` document of an oven."""
    state = inputs.state if isinstance(inputs.state, OvenState) else None
    unit = inputs.unit
    cooking = state is not None and state.is_cooking
    target = to_unit(published_target(state, inputs.stored_target_c, cooking=cooking), unit)
    timer = _timer(state, inputs.stored_timer_s, cooking=cooking)
    return {
        "state": published_phase(state, online=inputs.online).value,
        "mode": "heat" if cooking else "off",
        "online": inputs.online,
        "current_temperature": to_unit(state.current_temperature_c if state else None, unit),
        "target_temperature": target,
        "unit": unit,
        **_cavity(state, unit),
        "timer": timer,
        "stage": _stage(state) if cooking else None,
        "preheated": state.preheated if state else None,
        **_hardware(state),
        "cook": cook_block(state, inputs.food_type) if cooking else None,
        "food": food_block(*inputs.food),
        "alarms": alarms_block(state),
        "next": None if cooking else _next(inputs.next_settings, target, timer["total_s"], unit),
        "device": device_block(inputs.info, state, _model(inputs.info.type, inputs.info.model)),
        "updated_at": iso(utc_now()),
    }


def _cavity(state: OvenState | None, unit: TemperatureUnit) -> dict[str, Any]:
    """What the cavity reads: mode, both bulbs, humidity, steam and the probe."""
    if state is None:
        return {
            "oven_mode": None,
            "dry_bulb_temperature": None,
            "wet_bulb_temperature": None,
            "humidity": None,
            "steam_percent": None,
            "probe": {"connected": None, "temperature": None, "target": None},
        }
    return {
        "oven_mode": state.mode.value if state.mode else None,
        "dry_bulb_temperature": to_unit(state.dry_bulb_c, unit),
        "wet_bulb_temperature": to_unit(state.wet_bulb_c, unit),
        "humidity": state.steam.humidity_percent,
        "steam_percent": _steam_setting(state),
        "probe": {
            "connected": state.probe.connected,
            "temperature": to_unit(state.probe.current_c, unit),
            "target": to_unit(state.probe.target_c, unit),
        },
    }


def _steam_setting(state: OvenState) -> float | None:
    """The stage's steam setting, whichever way the oven steams.

    Below 100 °C the oven holds a relative humidity, from 100 °C a steam
    percentage (``anova-oven-api.md`` §5); ``set/steam_percent`` sets
    whichever applies, so the number shows whichever the oven reports.
    """
    steam = state.steam
    if steam.steam_target_percent is not None:
        return steam.steam_target_percent
    return steam.humidity_target_percent


def _timer(state: OvenState | None, stored_timer_s: int | None, *, cooking: bool) -> dict[str, Any]:
    block = timer_block(state, stored_timer_s, cooking=cooking)
    block["done"] = state.timer_done if state is not None and cooking else False
    return block


def _stage(state: OvenState | None) -> dict[str, Any] | None:
    if state is None or state.stage is None:
        return None
    stage = state.stage
    return {
        "number": stage.number,
        "count": stage.count,
        "kind": stage.kind.value,
        "awaiting_user": stage.awaiting_user,
    }


def _hardware(state: OvenState | None) -> dict[str, Any]:
    """Elements, fan, door, tanks and lamp: null until the oven has said them."""
    tank = state.water_tank if state else None
    return {
        "elements": _elements(state.elements if state else None),
        "fan_speed": state.fan_speed if state else None,
        "door": _door(state.door_closed if state else None),
        "water_tank": {
            "empty": tank.empty if tank else None,
            "low": tank.low if tank else None,
            "removed": tank.removed if tank else None,
            "waste_full": tank.waste_full if tank else None,
        },
        "lamp": state.lamp_on if state else None,
    }


def _elements(elements: HeatingElements | None) -> dict[str, bool] | None:
    if elements is None:
        return None
    return {"top": elements.top, "bottom": elements.bottom, "rear": elements.rear}


def _door(closed: bool | None) -> str | None:
    if closed is None:
        return None
    return "closed" if closed else "open"


def _next(
    settings: BaseModel | None, target: float | None, timer_s: int | None, unit: TemperatureUnit
) -> dict[str, Any]:
    """What a quick start would run: the kept settings; null ones take the start's defaults."""
    kept = settings if isinstance(settings, NextStage) else NextStage()
    return {
        "oven_mode": kept.mode.value if kept.mode else None,
        "target_temperature": target,
        "timer_s": timer_s,
        "steam_percent": kept.steam_percent,
        "probe_target": to_unit(kept.probe_c, unit),
        "elements": _elements(kept.elements),
        "fan_speed": kept.fan_speed,
        "timer_start": kept.timer_start.value if kept.timer_start else None,
        "preheat": kept.preheat,
    }


def _model(oven_type: str, listed: str) -> str:
    return OVEN_MODEL_NAMES.get(oven_type, listed)
