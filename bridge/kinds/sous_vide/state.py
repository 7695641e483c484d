"""The cookers' retained state document (CONTRACT §3).

A single setpoint, a timer, the water and heater temperatures, the cook and
its food: what a sous-vide cooker says, in the configured unit.
"""

from __future__ import annotations

from typing import Any

from bridge.anova.state import Alarms, CookerPhase, CookerState
from bridge.kinds.document import iso, to_unit, utc_now
from bridge.kinds.kind import StateInputs
from bridge.safety import classify


def cooker_document(inputs: StateInputs) -> dict[str, Any]:
    """The retained ``<base>/<id>/state`` document of a cooker."""
    info, state, unit, online = inputs.info, inputs.state, inputs.unit, inputs.online
    stored_target_c, stored_timer_s = inputs.stored_target_c, inputs.stored_timer_s
    food_type, food = inputs.food_type, inputs.food
    phase = published_phase(state, online=online)
    cooking = state is not None and state.is_cooking
    target_c = _published_target(state, stored_target_c, cooking=cooking)
    return {
        "state": phase.value,
        "mode": "heat" if cooking else "off",
        "online": online,
        "current_temperature": to_unit(state.current_temperature_c if state else None, unit),
        "target_temperature": to_unit(target_c, unit),
        "unit": unit,
        "timer": _timer(state, stored_timer_s, cooking=cooking),
        "cook": _cook(state, food_type) if cooking else None,
        "food": _food(*food),
        "alarms": (state.alarms if state else _NO_ALARMS).model_dump(),
        "heater_temperature": to_unit(state.heater_temperature_c if state else None, unit),
        "triac_temperature": to_unit(state.triac_temperature_c if state else None, unit),
        "device": {
            "cooker_id": info.cooker_id,
            "name": info.name,
            "type": info.type,
            "model": info.model,
            "firmware": state.firmware if state else None,
        },
        "updated_at": iso(utc_now()),
    }


def published_phase(state: CookerState | None, *, online: bool) -> CookerPhase:
    """The ``state`` field: ``offline``, else ``alarm`` while one is raised, else the phase.

    An alarm is the first thing a user must see, so it takes the ``state``
    field; the cook under it stays visible in ``mode``, ``cook`` and
    ``timer`` (CONTRACT §3), and Home Assistant's thermostat keys on
    ``mode``, so its card stays on "heat".
    """
    if state is None or not online or state.phase is CookerPhase.OFFLINE:
        return CookerPhase.OFFLINE
    return CookerPhase.ALARM if state.alarms.active() else state.phase


def _published_target(
    state: CookerState | None, stored_target_c: float | None, *, cooking: bool
) -> float | None:
    if cooking and state is not None:
        return state.target_temperature_c
    if stored_target_c is not None:
        return stored_target_c
    return state.target_temperature_c if state is not None else None


def _timer(
    state: CookerState | None, stored_timer_s: int | None, *, cooking: bool
) -> dict[str, Any]:
    if cooking and state is not None:
        return state.timer.model_dump()
    total = (
        stored_timer_s if stored_timer_s is not None else (state.timer.total_s if state else None)
    )
    return {"total_s": total, "remaining_s": total, "running": False}


def _cook(state: CookerState | None, food_type: str | None) -> dict[str, Any] | None:
    if state is None or state.cook is None:
        return {"id": None, "started_at": None, "ends_at": None, "food_type": food_type}
    return {
        "id": state.cook.id,
        "started_at": iso(state.cook.started_at),
        "ends_at": iso(state.cook.ends_at),
        "food_type": food_type,
    }


def _food(food_type: str | None, thickness_mm: float | None) -> dict[str, Any]:
    category = classify(food_type).rule_category if food_type else None
    return {"food_type": food_type, "category": category, "thickness_mm": thickness_mm}


_NO_ALARMS = Alarms()
