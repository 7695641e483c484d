"""The cookers' retained state document (CONTRACT §3).

A single setpoint, a timer, the water and heater temperatures, the cook and
its food: what a sous-vide cooker says, in the configured unit.
"""

from __future__ import annotations

from typing import Any

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

__all__ = ["cooker_document", "published_phase"]


def cooker_document(inputs: StateInputs) -> dict[str, Any]:
    """The retained ``<base>/<id>/state`` document of a cooker."""
    info, state, unit, online = inputs.info, inputs.state, inputs.unit, inputs.online
    phase = published_phase(state, online=online)
    cooking = state is not None and state.is_cooking
    target_c = published_target(state, inputs.stored_target_c, cooking=cooking)
    return {
        "state": phase.value,
        "mode": "heat" if cooking else "off",
        "online": online,
        "current_temperature": to_unit(state.current_temperature_c if state else None, unit),
        "target_temperature": to_unit(target_c, unit),
        "unit": unit,
        "timer": timer_block(state, inputs.stored_timer_s, cooking=cooking),
        "cook": cook_block(state, inputs.food_type) if cooking else None,
        "food": food_block(*inputs.food),
        "alarms": alarms_block(state),
        "heater_temperature": to_unit(state.heater_temperature_c if state else None, unit),
        "triac_temperature": to_unit(state.triac_temperature_c if state else None, unit),
        "device": device_block(info, state, info.model),
        "updated_at": iso(utc_now()),
    }
