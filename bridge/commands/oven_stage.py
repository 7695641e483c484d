"""Read the stages of an oven ``start``: the quick form's one stage, or a ``stages`` list.

A stage is read from a JSON object holding the keys of :data:`STAGE_FIELDS`:
the quick form's object is the command itself, the plan form's are the
items of ``stages``. Errors inside a list name the stage as
``stages[<i>].<key>`` (0-based), so a user with a six-stage plan is told
which stage to fix.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from bridge.anova.oven_model import HeatingElements, OvenMode, OvenStage, TimerStart
from bridge.commands import fields
from bridge.commands.json_command import refuse_unknown_fields
from bridge.commands.oven_fields import (
    read_elements,
    read_fan_speed,
    read_mode,
    read_percent,
    read_rack_position,
    read_timer_start,
    read_title,
)
from bridge.commands.units import to_celsius
from bridge.contract import TemperatureUnit
from bridge.errors import CommandError, ErrorCode

MAX_STAGES = 20

STAGE_FIELDS: tuple[str, ...] = (
    "mode",
    "temperature",
    "steam_percent",
    "elements",
    "fan_speed",
    "duration",
    "time_minutes",
    "probe_temperature",
    "timer_start",
    "preheat",
    "rack_position",
    "title",
)
"""The keys of one stage, in the order they are checked."""

_STAGE_KEYS = frozenset(STAGE_FIELDS)

T = TypeVar("T")
Reader = Callable[[object, str], T]


def read_stage(document: fields.Document, unit: TemperatureUnit) -> OvenStage:
    """One stage, temperatures in ``unit`` converted to °C.

    Unset keys take the defaults a cook expects: dry mode, the rear element,
    fan 100, no timer, timer starting once preheated, preheat on.

    Raises:
        CommandError: the first problem, in :data:`STAGE_FIELDS` order.
    """
    mode = _optional(document, "mode", read_mode, OvenMode.DRY)
    temperature_c = fields.read_temperature(document, "start", unit)
    steam_percent = _steam_percent(document, mode)
    elements = _optional(document, "elements", read_elements, HeatingElements())
    fan_speed = _optional(document, "fan_speed", read_fan_speed, 100)
    timer_s = fields.read_timer(document) or None
    probe_c = read_probe(document, unit)
    if timer_s is not None and probe_c is not None:
        raise fields.invalid(
            "probe_temperature",
            "A stage ends on its timer or when the probe reaches 'probe_temperature', "
            "not both: give one of them.",
        )
    return OvenStage(
        mode=mode,
        temperature_c=temperature_c,
        steam_percent=steam_percent,
        elements=elements,
        fan_speed=fan_speed,
        timer_s=timer_s,
        probe_c=probe_c,
        timer_start=_optional(document, "timer_start", read_timer_start, TimerStart.WHEN_PREHEATED),
        preheat=_optional(document, "preheat", fields.flag_from_value, True),
        rack_position=_optional(document, "rack_position", read_rack_position, None),
        title=_optional(document, "title", read_title, None),
    )


def read_stages(value: object, unit: TemperatureUnit) -> tuple[OvenStage, ...]:
    """The plan form's ``stages``: a list of 1–20 stage objects.

    Raises:
        CommandError: naming the stage (``stages[2].fan_speed``) when one is wrong.
    """
    if not isinstance(value, list):
        raise fields.wrong_type("stages", "a list of stage objects", value)
    if not 1 <= len(value) <= MAX_STAGES:
        raise fields.invalid(
            "stages", f"Field 'stages' must hold 1 to {MAX_STAGES} stages, not {len(value)}."
        )
    return tuple(_stage_at(index, item, unit) for index, item in enumerate(value))


def read_probe(document: fields.Document, unit: TemperatureUnit) -> float | None:
    """The optional ``probe_temperature`` in ``unit``, as °C."""
    if not fields.present(document, "probe_temperature"):
        return None
    return to_celsius(fields.read_number(document["probe_temperature"], "probe_temperature"), unit)


def _optional(document: fields.Document, key: str, read: Reader[T], default: T) -> T:
    return read(document[key], key) if fields.present(document, key) else default


def _stage_at(index: int, item: object, unit: TemperatureUnit) -> OvenStage:
    try:
        if not isinstance(item, dict):
            raise fields.invalid(
                "stages",
                'Each stage must be an object such as {"temperature": 200}, '
                f"not {fields.json_type(item)}.",
            )
        refuse_unknown_fields(item, _STAGE_KEYS, takes="a stage takes only")
        return read_stage(item, unit)
    except CommandError as err:
        raise _in_stage(index, err) from err


def _in_stage(index: int, err: CommandError) -> CommandError:
    where = f"stages[{index}]"
    field = where if err.field in {None, "stages"} else f"{where}.{err.field}"
    return CommandError(err.code, f"In {where}: {err.message}", field=field)


def _steam_percent(document: fields.Document, mode: OvenMode) -> int | None:
    given = fields.present(document, "steam_percent")
    if mode is OvenMode.STEAM and not given:
        raise CommandError(
            ErrorCode.MISSING_FIELD,
            "Mode 'steam' needs 'steam_percent' (1 to 100): how much steam to add.",
            field="steam_percent",
        )
    if given and mode is not OvenMode.STEAM:
        raise fields.invalid(
            "steam_percent",
            f"Field 'steam_percent' goes with mode 'steam' only; mode '{mode.value}' adds none.",
        )
    return read_percent(document["steam_percent"], "steam_percent") if given else None
