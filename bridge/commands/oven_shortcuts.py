"""Parse an oven's plain-value shortcut topics ``<base>/<id>/set/<field>``.

An oven takes the cookers' eight shortcuts, read by the cookers' own
parsers, except that a start (``set/start``, ``set/mode`` ``heat``) runs the
oven's kept next stage: :class:`OvenStartCommand` with no plan. Six more
set one setting of that next stage, for Home Assistant's select and number
entities: ``oven_mode``, ``steam_percent``, ``probe_target``, ``elements``,
``fan_speed``, ``timer_start``. Number entities send ``"30.0"`` for a whole
number; that is accepted.
"""

from __future__ import annotations

from collections.abc import Callable

from bridge.anova.oven_model import OvenMode, TimerStart
from bridge.commands.models import StartCommand
from bridge.commands.oven_fields import (
    choice_from_text,
    elements_from_preset,
    whole_number,
)
from bridge.commands.oven_models import (
    NextStage,
    NextStageField,
    OvenCommand,
    OvenStartCommand,
    SetNextStageCommand,
)
from bridge.commands.shortcuts import (
    admitted,
    parse_shortcut,
    plain_number,
    plain_text,
    shortcut_action,
)
from bridge.commands.units import to_celsius
from bridge.contract import OVEN_SHORTCUT_FIELDS, SHORTCUT_FIELDS, OvenAction, TemperatureUnit

OvenParser = Callable[[bytes, TemperatureUnit], OvenCommand]


def parse_oven_shortcut(
    field: str, payload: bytes, *, retained: bool, default_unit: TemperatureUnit
) -> OvenCommand:
    """Turn an oven's ``set/<field>`` message into a typed command.

    Args:
        field: the last topic level, e.g. ``"probe_target"``.
        payload: the raw MQTT payload (a plain value, not JSON).
        retained: the retain flag; retained commands are refused first.
        default_unit: the configured unit; shortcut temperatures are in it.

    Raises:
        CommandError: ``UNKNOWN_ACTION`` for an unknown field, else the input
            code that fits the payload.
    """
    parse = admitted(_OVEN_SHORTCUTS, field, payload, retained=retained)
    return parse(payload, default_unit)


def oven_shortcut_action(field: str, payload: bytes) -> OvenAction | None:
    """The action an oven shortcut stands for, for error answers; never raises."""
    if field in _NEXT_STAGE_SHORTCUTS:
        return "set_next_stage"
    return shortcut_action(field, payload)


def _cooker_shortcut(field: str) -> OvenParser:
    """The cookers' parser of ``field``, for a shortcut that means the same on an oven."""

    def parse(payload: bytes, default_unit: TemperatureUnit) -> OvenCommand:
        command = parse_shortcut(field, payload, retained=False, default_unit=default_unit)
        if isinstance(command, StartCommand):
            # The cookers' start is "start with the stored setpoint"; an oven's
            # is "run the kept next stage", which carries the oven's settings.
            return OvenStartCommand(plan=None, unit=default_unit)
        return command

    return parse


def _next_stage(field: NextStageField, value: object, unit: TemperatureUnit) -> OvenCommand:
    return SetNextStageCommand(
        settings=NextStage.model_validate({field: value}), fields=(field,), unit=unit
    )


def _oven_mode(payload: bytes, unit: TemperatureUnit) -> OvenCommand:
    return _next_stage("mode", choice_from_text(plain_text(payload), "oven_mode", OvenMode), unit)


def _steam_percent(payload: bytes, unit: TemperatureUnit) -> OvenCommand:
    # Home Assistant's number entity sends "30.0"; 0 (or nothing) clears it.
    text = plain_text(payload)
    number = plain_number(text, "steam_percent") if text else 0.0
    percent = whole_number(number, "steam_percent", 0, 100) or None
    return _next_stage("steam_percent", percent, unit)


def _probe_target(payload: bytes, unit: TemperatureUnit) -> OvenCommand:
    # 0 (or nothing) clears the probe target: the next stage ends on its timer.
    text = plain_text(payload)
    number = plain_number(text, "probe_target") if text else 0.0
    return _next_stage("probe_c", to_celsius(number, unit) if number else None, unit)


def _elements(payload: bytes, unit: TemperatureUnit) -> OvenCommand:
    return _next_stage("elements", elements_from_preset(plain_text(payload)), unit)


def _fan_speed(payload: bytes, unit: TemperatureUnit) -> OvenCommand:
    speed = whole_number(plain_number(plain_text(payload), "fan_speed"), "fan_speed", 0, 100)
    return _next_stage("fan_speed", speed, unit)


def _timer_start(payload: bytes, unit: TemperatureUnit) -> OvenCommand:
    start = choice_from_text(plain_text(payload), "timer_start", TimerStart)
    return _next_stage("timer_start", start, unit)


_NEXT_STAGE_SHORTCUTS: dict[str, OvenParser] = {
    "oven_mode": _oven_mode,
    "steam_percent": _steam_percent,
    "probe_target": _probe_target,
    "elements": _elements,
    "fan_speed": _fan_speed,
    "timer_start": _timer_start,
}

# The one table of oven shortcuts: the cookers' eight, then the next stage's.
_OVEN_SHORTCUTS: dict[str, OvenParser] = {
    **{field: _cooker_shortcut(field) for field in SHORTCUT_FIELDS},
    **_NEXT_STAGE_SHORTCUTS,
}
if tuple(_OVEN_SHORTCUTS) != OVEN_SHORTCUT_FIELDS:  # pragma: no cover - caught by any import
    raise RuntimeError("the oven shortcut table and bridge.contract.OVEN_SHORTCUT_FIELDS differ")
