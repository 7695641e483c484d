"""Rule 1: the device limits, which apply whatever ``safety.policy`` says.

They come from what the Anova cloud and the cooker models accept
(:mod:`bridge.anova.device`). Catching them here gives the user a clear code
and message instead of a vague rejection from the cloud.
"""

from __future__ import annotations

import math

from bridge.anova.device import (
    CLOUD_MAX_TIMER_S,
    CLOUD_MIN_TEMPERATURE_C,
    max_temperature_c,
    model_name,
)
from bridge.contract import TemperatureUnit
from bridge.errors import CommandError, ErrorCode
from bridge.safety import wording

MIN_TIMER_S = 60
DEVICE_SOURCE = "device limit"


def check_setpoint(temperature_c: float, *, cooker_type: str, unit: TemperatureUnit = "C") -> None:
    """Refuse a setpoint the cooker cannot hold.

    Args:
        temperature_c: the setpoint in °C.
        cooker_type: the cloud's cooker type (``a7``, ``pro``…): some models
            stop at 92 °C.
        unit: the unit the user used, for the message.

    Raises:
        CommandError: ``INVALID_FIELD`` for NaN/Infinity,
            ``TEMPERATURE_TOO_HIGH`` or ``TEMPERATURE_TOO_LOW``.
    """
    if not math.isfinite(temperature_c):
        raise CommandError(
            ErrorCode.INVALID_FIELD, "The temperature must be a finite number.", field="temperature"
        )
    highest = max_temperature_c(cooker_type)
    if temperature_c > highest:
        raise CommandError(
            ErrorCode.TEMPERATURE_TOO_HIGH,
            f"{wording.temperature(temperature_c, unit)} is above the "
            f"{model_name(cooker_type)}'s maximum of {wording.threshold(highest, unit)} "
            f"(rule 1, {DEVICE_SOURCE}): set {wording.threshold(highest, unit)} or lower.",
            field="temperature",
        )
    if temperature_c < CLOUD_MIN_TEMPERATURE_C:
        raise CommandError(
            ErrorCode.TEMPERATURE_TOO_LOW,
            f"{wording.temperature(temperature_c, unit)} is below "
            f"{wording.threshold(CLOUD_MIN_TEMPERATURE_C, unit)}, the lowest setpoint the "
            f"cooker accepts (rule 1, {DEVICE_SOURCE}).",
            field="temperature",
        )


def check_timer(timer_s: int) -> None:
    """Refuse a timer the cooker cannot run; 0 means no timer and is fine.

    Raises:
        CommandError: ``INVALID_FIELD`` when negative, ``TIME_TOO_LONG`` past
            99 h 59 min, ``TIME_TOO_SHORT`` between 0 and 1 minute.
    """
    if timer_s < 0:
        raise CommandError(
            ErrorCode.INVALID_FIELD,
            "The timer must not be negative; use 0 for no timer.",
            field="duration",
        )
    if timer_s > CLOUD_MAX_TIMER_S:
        raise CommandError(
            ErrorCode.TIME_TOO_LONG,
            f"A timer of {wording.duration(timer_s)} is longer than the cooker's maximum of "
            f"{wording.duration(CLOUD_MAX_TIMER_S)} ({CLOUD_MAX_TIMER_S} s; "
            f"rule 1, {DEVICE_SOURCE}).",
            field="duration",
        )
    if 0 < timer_s < MIN_TIMER_S:
        raise CommandError(
            ErrorCode.TIME_TOO_SHORT,
            f"A timer of {wording.duration(timer_s)} is shorter than the cooker's minimum of "
            f"1 min (rule 1, {DEVICE_SOURCE}); use 0 for no timer.",
            field="duration",
        )
