"""The Precision Oven's device limits (rule 1's place), which apply whatever the policy.

They come from Anova's apps and what the ovens accept (``anova-oven-api.md``
§5). A stage the oven would refuse, or silently drop, is refused here with a
code and a field that names the stage, so the user learns which stage and
why instead of watching the oven stay idle.

Field names: a one-stage plan names the field alone (``temperature``); a
plan of several stages names the stage by its 0-based position in
``stages``, as it appears in the command (``stages[1].temperature``).
Messages count stages from 1 ("stage 2 of 3").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NoReturn

from bridge.anova.oven_model import OVEN_V2, OvenMode, OvenPlan, OvenStage
from bridge.contract import TemperatureUnit
from bridge.errors import CommandError, ErrorCode
from bridge.safety import wording

DRY_MIN_C, DRY_MAX_C = 25.0, 250.0
BOTTOM_ONLY_MAX_C = {"oven_v1": 180.0, OVEN_V2: 230.0}
WET_MIN_C, WET_MAX_C = 25.0, 100.0
# The v2 app caps the wet bulb at 92 °C without steam and 98 °C with it; a
# wet stage here always steams (100 % relative humidity), so 98 °C applies.
WET_MAX_V2_C = 98.0
PROBE_MIN_C, PROBE_MAX_C = 1.0, 100.0
OVEN_MAX_TIMER_S = 359_940
RACK_POSITIONS = range(1, 6)
SOURCE = "rule 1, oven device limit"

FIELDS = {
    "temperature_c": "temperature",
    "timer_s": "duration",
    "probe_c": "probe_temperature",
    "steam_percent": "steam_percent",
    "elements": "elements",
    "fan_speed": "fan_speed",
    "rack_position": "rack_position",
    "mode": "mode",
}
"""The command field each stage attribute is reported as."""


@dataclass(frozen=True)
class StagePlace:
    """Where a stage sits in its plan: its field names and how messages name it."""

    index: int
    count: int

    def field(self, attribute: str) -> str:
        """``temperature`` in a one-stage plan, ``stages[1].temperature`` otherwise."""
        name = FIELDS.get(attribute, attribute)
        return name if self.count == 1 else f"stages[{self.index}].{name}"

    def prefix(self) -> str:
        """``"Stage 2 of 3: "``, or nothing in a one-stage plan."""
        return "" if self.count == 1 else f"Stage {self.index + 1} of {self.count}: "


def places(plan: OvenPlan) -> list[tuple[StagePlace, OvenStage]]:
    """Each stage with its place."""
    count = len(plan.stages)
    return [(StagePlace(index, count), stage) for index, stage in enumerate(plan.stages)]


def check_stage(
    stage: OvenStage, place: StagePlace, *, oven_type: str, unit: TemperatureUnit
) -> None:
    """Refuse a stage the oven cannot run.

    Raises:
        CommandError: ``INVALID_FIELD``, ``TEMPERATURE_TOO_HIGH``/``_LOW``,
            ``TIME_TOO_LONG``/``_SHORT`` or ``MISSING_FIELD``, naming the field.
    """
    _check_bulb(stage, place, oven_type=oven_type, unit=unit)
    _check_probe(stage, place, unit)
    _check_end(stage, place)
    _check_steam(stage, place)
    _check_air(stage, place)


def check_oven_timer(timer_s: int, *, field: str = "duration", prefix: str = "") -> None:
    """Refuse a timer the oven cannot run; 0 means no timer here.

    Raises:
        CommandError: ``INVALID_FIELD`` when negative, ``TIME_TOO_LONG`` past 99 h 59 min.
    """
    if timer_s < 0:
        raise CommandError(
            ErrorCode.INVALID_FIELD, f"{prefix}The timer must not be negative.", field=field
        )
    if timer_s > OVEN_MAX_TIMER_S:
        raise CommandError(
            ErrorCode.TIME_TOO_LONG,
            f"{prefix}A timer of {wording.duration(timer_s)} is longer than the oven's maximum "
            f"of {wording.duration(OVEN_MAX_TIMER_S)} ({OVEN_MAX_TIMER_S} s; {SOURCE}).",
            field=field,
        )


def check_temperature(
    value_c: float,
    bounds: tuple[float, float],
    *,
    what: str,
    field: str,
    unit: TemperatureUnit,
    prefix: str = "",
) -> None:
    """Refuse a non-finite value or one outside ``bounds`` (inclusive), in the user's unit.

    Raises:
        CommandError: ``INVALID_FIELD``, ``TEMPERATURE_TOO_HIGH`` or ``TEMPERATURE_TOO_LOW``.
    """
    if not math.isfinite(value_c):
        raise CommandError(
            ErrorCode.INVALID_FIELD, f"{prefix}The {what} must be a finite number.", field=field
        )
    low, high = bounds
    if value_c > high:
        code, side, bound = ErrorCode.TEMPERATURE_TOO_HIGH, "above the oven's maximum", high
    elif value_c < low:
        code, side, bound = ErrorCode.TEMPERATURE_TOO_LOW, "below the oven's minimum", low
    else:
        return
    raise CommandError(
        code,
        f"{prefix}A {what} of {wording.temperature(value_c, unit)} is {side} of "
        f"{wording.threshold(bound, unit)} ({SOURCE}): set "
        f"{wording.threshold(low, unit)} to {wording.threshold(high, unit)}.",
        field=field,
    )


def bulb_bounds(stage: OvenStage, oven_type: str) -> tuple[tuple[float, float], str]:
    """The setpoint range of the stage's bulb on this oven, and how messages name it."""
    if stage.mode is OvenMode.WET:
        high = WET_MAX_V2_C if oven_type == OVEN_V2 else WET_MAX_C
        return (WET_MIN_C, high), "wet-bulb temperature"
    if stage.elements.names() == ["bottom"]:
        high = BOTTOM_ONLY_MAX_C.get(oven_type, min(BOTTOM_ONLY_MAX_C.values()))
        return (DRY_MIN_C, high), "dry-bulb temperature with the bottom element alone"
    return (DRY_MIN_C, DRY_MAX_C), "dry-bulb temperature"


def _check_bulb(
    stage: OvenStage, place: StagePlace, *, oven_type: str, unit: TemperatureUnit
) -> None:
    bounds, what = bulb_bounds(stage, oven_type)
    check_temperature(
        stage.temperature_c,
        bounds,
        what=what,
        field=place.field("temperature_c"),
        unit=unit,
        prefix=place.prefix(),
    )


def _check_probe(stage: OvenStage, place: StagePlace, unit: TemperatureUnit) -> None:
    if stage.probe_c is None:
        return
    check_temperature(
        stage.probe_c,
        (PROBE_MIN_C, PROBE_MAX_C),
        what="probe target",
        field=place.field("probe_c"),
        unit=unit,
        prefix=place.prefix(),
    )


def _check_end(stage: OvenStage, place: StagePlace) -> None:
    """A timer the oven can run, and never a timer and a probe target together."""
    if stage.timer_s is None:
        return
    check_oven_timer(stage.timer_s, field=place.field("timer_s"), prefix=place.prefix())
    if stage.timer_s == 0:
        reason = "a timer of 0 s ends the stage at once; leave the timer out for none"
        _refuse(ErrorCode.TIME_TOO_SHORT, place, "timer_s", reason)
    if stage.probe_c is not None:
        reason = "a stage ends on its timer or on the probe, never both; split it in two"
        _refuse(ErrorCode.INVALID_FIELD, place, "probe_c", reason)


def _check_steam(stage: OvenStage, place: StagePlace) -> None:
    if stage.mode is not OvenMode.STEAM:
        if stage.steam_percent is not None:
            _refuse(
                ErrorCode.INVALID_FIELD,
                place,
                "steam_percent",
                f"steam_percent is only for a steam stage; a {stage.mode.value} stage sets "
                "its own humidity",
            )
        return
    if stage.steam_percent is None:
        _refuse(
            ErrorCode.MISSING_FIELD,
            place,
            "steam_percent",
            "a steam stage needs steam_percent (0–100)",
        )
    elif not 0 <= stage.steam_percent <= 100:
        _refuse(
            ErrorCode.INVALID_FIELD,
            place,
            "steam_percent",
            f"steam_percent {stage.steam_percent} is outside 0–100",
        )


def _check_air(stage: OvenStage, place: StagePlace) -> None:
    on = stage.elements.names()
    if not on or len(on) == 3:
        _refuse(
            ErrorCode.INVALID_FIELD,
            place,
            "elements",
            f"a stage needs one or two heating elements, not {len(on)} (the oven refuses "
            f"{'none' if not on else 'all three'})",
        )
    if not 0 <= stage.fan_speed <= 100:
        _refuse(
            ErrorCode.INVALID_FIELD,
            place,
            "fan_speed",
            f"fan_speed {stage.fan_speed} is outside 0–100",
        )
    if stage.fan_speed != 100 and (stage.elements.rear or steams(stage)):
        _refuse(
            ErrorCode.INVALID_FIELD,
            place,
            "fan_speed",
            f"fan_speed must be 100 while the rear element or steam is on, not {stage.fan_speed}",
        )
    if stage.rack_position is not None and stage.rack_position not in RACK_POSITIONS:
        _refuse(
            ErrorCode.INVALID_FIELD,
            place,
            "rack_position",
            f"rack_position {stage.rack_position} is outside 1–5",
        )


def steams(stage: OvenStage) -> bool:
    """Steam is on: a wet stage (100 % humidity) or a steam stage above 0 %."""
    return stage.mode is OvenMode.WET or (
        stage.mode is OvenMode.STEAM and bool(stage.steam_percent)
    )


def _refuse(code: ErrorCode, place: StagePlace, attribute: str, reason: str) -> NoReturn:
    raise CommandError(
        code,
        f"{place.prefix()}{reason[0].upper()}{reason[1:]} ({SOURCE}).",
        field=place.field(attribute),
    )
