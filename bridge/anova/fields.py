"""Typed reads from cloud JSON, so a wrong shape fails loudly in one way.

Every parser reads through these accessors. A required key that is missing
or of the wrong type raises :class:`MalformedStateError`; optional keys
return ``None``. The parsers never index raw dicts themselves, which keeps a
surprising payload from turning into a ``KeyError`` deep in a callback.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from bridge.contract import TemperatureUnit

JsonObject = Mapping[str, Any]


class MalformedStateError(ValueError):
    """A cloud payload lacks a key we need or carries the wrong type."""


def obj(parent: JsonObject, key: str) -> JsonObject:
    """A required nested object."""
    value = parent.get(key)
    if not isinstance(value, Mapping):
        raise MalformedStateError(f"{key!r} must be an object, got {type(value).__name__}")
    return value


def opt_obj(parent: JsonObject, key: str) -> JsonObject:
    """An optional nested object; an empty mapping when absent or not an object."""
    value = parent.get(key)
    return value if isinstance(value, Mapping) else {}


def text(parent: JsonObject, key: str) -> str:
    """A required string."""
    value = parent.get(key)
    if not isinstance(value, str):
        raise MalformedStateError(f"{key!r} must be a string, got {type(value).__name__}")
    return value


def opt_text(parent: JsonObject, key: str) -> str | None:
    """An optional string; None when absent, empty or not a string."""
    value = parent.get(key)
    return value if isinstance(value, str) and value else None


def opt_number(parent: JsonObject, key: str) -> float | None:
    """An optional number (bools are not numbers here); None otherwise."""
    value = parent.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def number(parent: JsonObject, key: str) -> float:
    """A required number."""
    value = opt_number(parent, key)
    if value is None:
        raise MalformedStateError(f"{key!r} must be a number, got {parent.get(key)!r}")
    return value


def opt_int(parent: JsonObject, key: str) -> int | None:
    """An optional whole number of seconds or counts; rounded if sent as a float."""
    value = opt_number(parent, key)
    return None if value is None else round(value)


def flag(parent: JsonObject, key: str) -> bool:
    """A flag sent as a bool or as 0/1; anything else is False."""
    value = parent.get(key)
    if isinstance(value, bool):
        return value
    return isinstance(value, int | float) and value != 0


def opt_bool(parent: JsonObject, key: str) -> bool | None:
    """An optional true bool; None when absent or not a bool."""
    value = parent.get(key)
    return value if isinstance(value, bool) else None


def opt_timestamp(parent: JsonObject, key: str) -> datetime | None:
    """An optional ISO 8601 timestamp as an aware UTC datetime; None if absent or unreadable."""
    value = opt_text(parent, key)
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def f_to_c(fahrenheit: float) -> float:
    """Fahrenheit to Celsius, rounded to 0.01 so conversions do not grow noise."""
    return round((fahrenheit - 32.0) * 5.0 / 9.0, 2)


def to_celsius(value: float | None, unit: str | None) -> float | None:
    """A device temperature in its own unit, as °C; unknown units are read as °C."""
    if value is None:
        return None
    return f_to_c(value) if (unit or "").upper() == "F" else value


def unit_of(value: str | None) -> TemperatureUnit | None:
    """A unit letter in either case (``"f"``, ``"C"``) as ``"C"``/``"F"``; None if unknown."""
    letter = (value or "").strip().upper()
    if letter == "F":
        return "F"
    return "C" if letter == "C" else None
