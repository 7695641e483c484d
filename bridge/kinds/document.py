"""What every kind's published documents share: timestamps, the published unit, common blocks.

Temperatures live in °C inside the bridge and are converted here, once, to the
configured unit with one decimal, so a rounding error can never compound.
The blocks every kind's state document carries (the published phase, the
timer, the cook, the food, the alarms, the device) are written here too, so
a cooker and an oven say them the same way (CONTRACT §3).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bridge.anova.device import CookerInfo
from bridge.anova.state import Alarms, CookerPhase, CookerState
from bridge.commands.units import from_celsius
from bridge.contract import TemperatureUnit
from bridge.safety import classify


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 UTC with ``Z``, as every timestamp in the contract."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_now() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


def to_unit(celsius: float | None, unit: TemperatureUnit) -> float | None:
    """Convert a °C reading to ``unit`` with one decimal; None stays None."""
    return None if celsius is None else from_celsius(celsius, unit)


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


def published_target(
    state: CookerState | None, stored_target_c: float | None, *, cooking: bool
) -> float | None:
    """The running cook's setpoint; while idle the one kept for the next start, else the last."""
    if cooking and state is not None:
        return state.target_temperature_c
    if stored_target_c is not None:
        return stored_target_c
    return state.target_temperature_c if state is not None else None


def timer_block(
    state: CookerState | None, stored_timer_s: int | None, *, cooking: bool
) -> dict[str, Any]:
    """The running cook's timer; while idle the kept timer, not running."""
    if cooking and state is not None:
        return state.timer.model_dump()
    total = (
        stored_timer_s if stored_timer_s is not None else (state.timer.total_s if state else None)
    )
    return {"total_s": total, "remaining_s": total, "running": False}


def cook_block(state: CookerState | None, food_type: str | None) -> dict[str, Any]:
    """The running cook: its id, start, end and food (call it only while one runs)."""
    if state is None or state.cook is None:
        return {"id": None, "started_at": None, "ends_at": None, "food_type": food_type}
    return {
        "id": state.cook.id,
        "started_at": iso(state.cook.started_at),
        "ends_at": iso(state.cook.ends_at),
        "food_type": food_type,
    }


def food_block(food_type: str | None, thickness_mm: float | None) -> dict[str, Any]:
    """The food, with how the safety rules read it."""
    category = classify(food_type).rule_category if food_type else None
    return {"food_type": food_type, "category": category, "thickness_mm": thickness_mm}


def alarms_block(state: CookerState | None) -> dict[str, bool]:
    """Every alarm flag; all False before the first state."""
    return (state.alarms if state else _NO_ALARMS).model_dump()


def device_block(info: CookerInfo, state: CookerState | None, model: str) -> dict[str, Any]:
    """Which device this is; ``firmware`` only once the device said it."""
    return {
        "cooker_id": info.cooker_id,
        "name": info.name,
        "type": info.type,
        "model": model,
        "firmware": state.firmware if state else None,
    }


_NO_ALARMS = Alarms()
