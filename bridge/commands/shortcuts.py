"""Parse the plain-value shortcut topics ``<base>/<id>/set/<field>`` (CONTRACT §1).

Home Assistant entities publish bare values here: the climate entity sends
``"60.0"`` to ``set/target_temperature`` and ``"heat"``/``"off"`` to
``set/mode``, the number entity sends minutes to ``set/timer``, the buttons
send anything to ``set/start``/``set/stop``, the food entities send the next
cook's food to ``set/food_type`` and its thickness to ``set/thickness_mm``.
Shortcuts carry no request id.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from bridge.commands import fields
from bridge.commands.duration import parse_duration
from bridge.commands.envelope import check_size, decode_text, refuse_retained
from bridge.commands.models import (
    Command,
    SetFoodCommand,
    SetTemperatureCommand,
    SetTimerCommand,
    SetUnitCommand,
    StartCommand,
    StopCommand,
)
from bridge.commands.units import to_celsius
from bridge.contract import SHORTCUT_FIELDS, Action, TemperatureUnit
from bridge.errors import CommandError, ErrorCode

# A plain decimal number: no "nan", "inf", "1_000" or hex, which float() would take.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
MAX_NUMBER_CHARS = 32
NOT_SET = "not set"
"""What Home Assistant's food select sends to clear the food (as does an empty payload)."""

Parser = Callable[[bytes, TemperatureUnit], Command]
T = TypeVar("T")


def parse_shortcut(
    field: str, payload: bytes, *, retained: bool, default_unit: TemperatureUnit
) -> Command:
    """Turn a ``set/<field>`` message into a typed command.

    Args:
        field: the last topic level, e.g. ``"target_temperature"``.
        payload: the raw MQTT payload (a plain value, not JSON).
        retained: the retain flag; retained commands are refused first.
        default_unit: the configured unit; shortcut temperatures are in it.

    Raises:
        CommandError: ``UNKNOWN_ACTION`` for an unknown field, else the input
            code that fits the payload.
    """
    return admitted(_SHORTCUTS, field, payload, retained=retained).parse(payload, default_unit)


def admitted(table: Mapping[str, T], field: str, payload: bytes, *, retained: bool) -> T:
    """``table``'s entry for ``field``, once the message passed the checks every shortcut gets.

    Raises:
        CommandError: a retained or oversized message, or ``UNKNOWN_ACTION``
            naming the table's fields for a field it lacks.
    """
    refuse_retained(retained)
    check_size(payload)
    found = table.get(field)
    if found is None:
        raise CommandError(
            ErrorCode.UNKNOWN_ACTION,
            f"Unknown shortcut set/{fields.safe_name(field)}; use one of "
            f"{', '.join('set/' + name for name in table)}.",
            field=fields.safe_name(field),
        )
    return found


def shortcut_action(field: str, payload: bytes) -> Action | None:
    """The action a shortcut stands for, for error answers; never raises."""
    if field == "mode":
        mode = payload.strip().lower()
        return "start" if mode == b"heat" else "stop" if mode == b"off" else None
    shortcut = _SHORTCUTS.get(field)
    return shortcut.action if shortcut is not None else None


def plain_text(payload: bytes) -> str:
    """A shortcut's payload as trimmed text (``INVALID_PAYLOAD`` unless UTF-8)."""
    return decode_text(payload).strip()


def plain_number(text: str, field: str) -> float:
    """A plain decimal number, as Home Assistant's entities send them (``"30.0"``).

    ``nan``, ``inf``, ``1_000`` and hex, which :func:`float` would take, are refused.
    """
    if len(text) > MAX_NUMBER_CHARS or not _NUMBER.fullmatch(text):
        raise fields.invalid(
            field, f"set/{field} takes a plain number, not {fields.display(text)}."
        )
    return fields.read_number(float(text), field)


def _target_temperature(payload: bytes, default_unit: TemperatureUnit) -> Command:
    number = plain_number(plain_text(payload), "target_temperature")
    return SetTemperatureCommand(temperature_c=to_celsius(number, default_unit), unit=default_unit)


def _timer(payload: bytes, default_unit: TemperatureUnit) -> Command:
    text = plain_text(payload)
    if _NUMBER.fullmatch(text) and len(text) <= MAX_NUMBER_CHARS:
        # Home Assistant's number entity sends minutes, e.g. "90" or "90.0".
        timer_s = fields.minutes_to_seconds(plain_number(text, "timer"), "timer")
    else:
        timer_s = parse_duration(text, field="timer")
    return SetTimerCommand(timer_s=timer_s)


def _mode(payload: bytes, default_unit: TemperatureUnit) -> Command:
    mode = plain_text(payload).lower()
    if mode == "heat":
        return _start(payload, default_unit)
    if mode == "off":
        return StopCommand(if_cooking=True)
    raise fields.invalid("mode", f'set/mode takes "heat" or "off", not {fields.display(mode)}.')


def _start(payload: bytes, default_unit: TemperatureUnit) -> Command:
    # Start with the stored setpoint and timer: the service fills them in
    # with StartCommand.with_defaults before checking food safety.
    return StartCommand(temperature_c=None, unit=default_unit, timer_s=None)


def _stop(payload: bytes, default_unit: TemperatureUnit) -> Command:
    return StopCommand()


def _unit(payload: bytes, default_unit: TemperatureUnit) -> Command:
    return SetUnitCommand(unit=fields.unit_from_value(plain_text(payload), "unit"))


def _food_type(payload: bytes, default_unit: TemperatureUnit) -> Command:
    text = decode_text(payload)
    food_type = None if text.strip().casefold() == NOT_SET else fields.food_type_from_text(text)
    return SetFoodCommand(food_type=food_type, fields=("food_type",))


def _thickness(payload: bytes, default_unit: TemperatureUnit) -> Command:
    # Home Assistant's number entity sends "30.0"; 0 (or nothing) clears it.
    text = plain_text(payload)
    number = plain_number(text, "thickness_mm") if text else 0.0
    if number < 0:
        raise fields.invalid(
            "thickness_mm", "set/thickness_mm takes millimetres, or 0 to clear the thickness."
        )
    return SetFoodCommand(thickness_mm=number or None, fields=("thickness_mm",))


@dataclass(frozen=True)
class Shortcut:
    """One ``set/<field>`` topic: its parser and the action it stands for in error answers.

    ``action`` is None where the payload decides it (``set/mode``).
    """

    parse: Parser
    action: Action | None


# The one table of shortcuts: a new one is a row here and its parser above.
_SHORTCUTS: dict[str, Shortcut] = {
    "target_temperature": Shortcut(_target_temperature, "set_temperature"),
    "timer": Shortcut(_timer, "set_timer"),
    "mode": Shortcut(_mode, None),
    "start": Shortcut(_start, "start"),
    "stop": Shortcut(_stop, "stop"),
    "unit": Shortcut(_unit, "set_unit"),
    "food_type": Shortcut(_food_type, "set_food"),
    "thickness_mm": Shortcut(_thickness, "set_food"),
}
if tuple(_SHORTCUTS) != SHORTCUT_FIELDS:  # pragma: no cover - caught by any import
    raise RuntimeError("the shortcut table and bridge.contract.SHORTCUT_FIELDS differ")
