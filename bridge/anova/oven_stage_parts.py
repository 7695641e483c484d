"""The pieces of a stage both oven versions send alike (``anova-oven-api.md`` §3, §5).

Fan, elements and steam follow the Quick Start Guide's rules, which the
oven enforces by refusing plans silently: the fan runs at 100 whenever
the rear element or any steam is on, and the steam generators hold
relative humidity below 100 °C and a steam percentage from 100 °C. Wet
mode is the wet bulb at 100 % relative humidity.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from bridge.anova.oven_model import OvenMode, OvenStage, TimerStart
from bridge.errors import CommandError, ErrorCode

IdSource = Callable[[], str]
"""Makes the ids of cooks and stages; tests pass a counter."""

FULL_FAN = 100
STEAM_PERCENTAGE_FROM_C = 100.0
WET_HUMIDITY = 100


def new_id() -> str:
    """A fresh random UUID, as the apps use for cooks and stages."""
    return str(uuid.uuid4())


def temperature(value: float) -> float | int:
    """A temperature as sent: two decimals, a whole number without them (``204.44``, ``200``)."""
    rounded = round(value, 2)
    return int(rounded) if rounded.is_integer() else rounded


def fahrenheit(celsius: float) -> float | int:
    """The °F twin v1 sends beside every °C value, one decimal."""
    rounded = round(celsius * 9.0 / 5.0 + 32.0, 1)
    return int(rounded) if rounded.is_integer() else rounded


def bulb(stage: OvenStage) -> str:
    """The bulb the stage's setpoint is for: ``wet`` in wet mode, else ``dry``."""
    return "wet" if stage.mode is OvenMode.WET else "dry"


def fan_speed(stage: OvenStage) -> int:
    """The plan's fan speed, or 100 where the rear element or steam is on."""
    if stage.elements.rear or stage.mode is not OvenMode.DRY:
        return FULL_FAN
    return stage.fan_speed


def heating_elements(stage: OvenStage) -> dict[str, Any]:
    """``{"top": {"on"}, "bottom": {"on"}, "rear": {"on"}}``."""
    elements = stage.elements
    return {
        "top": {"on": elements.top},
        "bottom": {"on": elements.bottom},
        "rear": {"on": elements.rear},
    }


def steam_generators(stage: OvenStage) -> dict[str, Any] | None:
    """Steam for steam and wet stages; None for a dry stage (sent without steam, as the app does).

    Raises:
        CommandError: a steam stage without ``steam_percent``.
    """
    if stage.mode is OvenMode.DRY:
        return None
    if stage.mode is OvenMode.WET:
        return {"mode": "relative-humidity", "relativeHumidity": {"setpoint": WET_HUMIDITY}}
    if stage.steam_percent is None:
        raise CommandError(
            ErrorCode.MISSING_FIELD, "A steam stage needs a steam percentage.", field="steam"
        )
    if stage.temperature_c < STEAM_PERCENTAGE_FROM_C:
        return {"mode": "relative-humidity", "relativeHumidity": {"setpoint": stage.steam_percent}}
    return {"mode": "steam-percentage", "steamPercentage": {"setpoint": stage.steam_percent}}


def heats_first(stage: OvenStage) -> bool:
    """The stage waits for the cavity to reach its setpoint before its timer or probe counts.

    Not with a timer that starts immediately: the timer would not wait.
    """
    immediate = stage.timer_s is not None and stage.timer_start is TimerStart.IMMEDIATELY
    return stage.preheat and not immediate


def check_ending(stage: OvenStage, number: int) -> None:
    """A stage ends by a timer or a probe target, never both.

    Raises:
        CommandError: both are set.
    """
    if stage.timer_s is not None and stage.probe_c is not None:
        raise CommandError(
            ErrorCode.INVALID_FIELD,
            f"Stage {number} has both a timer and a probe target; an oven stage takes one.",
            field="stages",
        )
