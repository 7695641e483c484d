"""Read one typed field out of a decoded command object.

JSON gives us ``object`` values; these readers turn them into the types the
command models hold, or raise a :class:`~bridge.errors.CommandError` whose
message names the field and says what was expected. They are strict on
purpose: ``true`` is not a number and ``"60"`` is not a temperature, because
guessing what a script meant is how a cooker ends up at the wrong setpoint.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping

from bridge.commands.duration import parse_duration, seconds_from
from bridge.commands.units import parse_unit, to_celsius
from bridge.contract import TemperatureUnit
from bridge.errors import CommandError, ErrorCode

MAX_FOOD_TYPE_CHARS = 100
MAX_REQUEST_ID_CHARS = 128
DISPLAY_CHARS = 40

Document = Mapping[str, object]


def display(text: str) -> str:
    """Quote user text for an error message: short, printable, always encodable.

    ``repr`` escapes control characters and lone surrogates, so the result
    can always be serialised as UTF-8 JSON; truncation keeps a 60 KiB field
    name from turning into a 60 KiB error message.
    """
    shown = text if len(text) <= DISPLAY_CHARS else text[:DISPLAY_CHARS] + "…"
    return repr(shown)


def safe_name(text: str) -> str:
    """A field name fit for the ``field`` of an error: short, printable, encodable."""
    return "".join(char if char.isprintable() else "?" for char in text[:DISPLAY_CHARS])


def json_type(value: object) -> str:
    """Name a decoded JSON value's type the way a JSON author thinks of it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def invalid(field: str, message: str) -> CommandError:
    """An ``INVALID_FIELD`` error for ``field``."""
    return CommandError(ErrorCode.INVALID_FIELD, message, field=field)


def wrong_type(field: str, expected: str, value: object) -> CommandError:
    """An ``INVALID_FIELD`` error saying what type was expected and what came."""
    return invalid(field, f"Field '{field}' must be {expected}, not {json_type(value)}.")


def present(document: Document, field: str) -> bool:
    """True when the field is there and not ``null`` (null reads as absent)."""
    return document.get(field) is not None


def require(document: Document, field: str, action: str) -> object:
    """The field's value, or ``MISSING_FIELD`` when it is absent or null."""
    if not present(document, field):
        raise CommandError(
            ErrorCode.MISSING_FIELD,
            f"The '{action}' action needs the '{field}' field.",
            field=field,
        )
    return document[field]


def read_number(value: object, field: str) -> float:
    """A finite JSON number as float; booleans, NaN, Infinity and overflow refused."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise wrong_type(field, "a number", value)
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise invalid(field, f"Field '{field}' must be a finite number, not NaN or Infinity.")
    return number


def read_unit(document: Document, default: TemperatureUnit) -> TemperatureUnit:
    """The command's ``unit`` (``C``/``F``, any case), else the configured unit."""
    if not present(document, "unit"):
        return default
    return unit_from_value(document["unit"], "unit")


def unit_from_value(value: object, field: str) -> TemperatureUnit:
    """Read a unit value, refusing anything but ``C``/``F``."""
    if not isinstance(value, str):
        raise wrong_type(field, '"C" or "F"', value)
    unit = parse_unit(value)
    if unit is None:
        raise invalid(field, f'Field \'{field}\' must be "C" or "F", not {display(value)}.')
    return unit


def read_temperature(document: Document, action: str, unit: TemperatureUnit) -> float:
    """The required ``temperature`` in ``unit``, converted to °C."""
    number = read_number(require(document, "temperature", action), "temperature")
    return to_celsius(number, unit)


def read_timer(document: Document) -> int | None:
    """Seconds from ``duration`` or ``time_minutes`` (at most one); None when neither."""
    has_duration = present(document, "duration")
    has_minutes = present(document, "time_minutes")
    if has_duration and has_minutes:
        raise invalid(
            "time_minutes",
            "Give either 'duration' or 'time_minutes', not both: they could disagree.",
        )
    if has_duration:
        return _duration(document["duration"])
    if has_minutes:
        return _minutes(document["time_minutes"], "time_minutes")
    return None


def minutes_to_seconds(minutes: float, field: str) -> int:
    """Whole seconds from a non-negative number of minutes."""
    if minutes < 0:
        raise invalid(field, f"Field '{field}' must not be negative; use 0 for no timer.")
    return seconds_from(minutes * 60.0)


def read_food_type(document: Document) -> str | None:
    """The optional ``food_type``: trimmed, ≤ 100 characters, no control characters."""
    if not present(document, "food_type"):
        return None
    value = document["food_type"]
    if not isinstance(value, str):
        raise wrong_type("food_type", "a string", value)
    return food_type_from_text(value)


def food_type_from_text(value: str) -> str | None:
    """A food type from text: trimmed, ≤ 100 characters, no control characters; "" is None."""
    return short_text(value, "food_type", MAX_FOOD_TYPE_CHARS)


def short_text(value: str, field: str, max_chars: int) -> str | None:
    """Free text a user names something with: trimmed, bounded, no control characters.

    Returns:
        The trimmed text, or None when nothing but spaces was given.
    """
    text = value.strip()
    if len(text) > max_chars:
        raise invalid(field, f"Field '{field}' must be at most {max_chars} characters.")
    _refuse_control_characters(text, field)
    return text or None


def read_thickness(document: Document) -> float | None:
    """The optional ``thickness_mm``: a positive number of millimetres."""
    if not present(document, "thickness_mm"):
        return None
    number = read_number(document["thickness_mm"], "thickness_mm")
    if number <= 0:
        raise invalid(
            "thickness_mm", "Field 'thickness_mm' must be a positive number of millimetres."
        )
    return number


def read_replace(document: Document) -> bool:
    """The optional ``replace`` flag; only JSON ``true``/``false`` count."""
    if not present(document, "replace"):
        return False
    return flag_from_value(document["replace"], "replace")


def flag_from_value(value: object, field: str) -> bool:
    """A JSON ``true``/``false``; ``1``, ``"yes"`` and the like are refused."""
    if not isinstance(value, bool):
        raise wrong_type(field, "true or false", value)
    return value


def read_request_id(document: Document) -> str | None:
    """The optional ``request_id``: 1–128 printable characters."""
    if not present(document, "request_id"):
        return None
    value = document["request_id"]
    if not isinstance(value, str):
        raise wrong_type("request_id", "a string", value)
    if not 1 <= len(value) <= MAX_REQUEST_ID_CHARS:
        raise invalid(
            "request_id", f"Field 'request_id' must be 1 to {MAX_REQUEST_ID_CHARS} characters long."
        )
    _refuse_control_characters(value, "request_id")
    return value


def _duration(value: object) -> int:
    if isinstance(value, str):
        return parse_duration(value, field="duration")
    raise wrong_type("duration", 'a string such as "1h30m"', value)


def _minutes(value: object, field: str) -> int:
    return minutes_to_seconds(read_number(value, field), field)


def _refuse_control_characters(text: str, field: str) -> None:
    # Cc covers NUL and the other control characters; Cs covers lone
    # surrogates (from "\ud800" escapes), which cannot be encoded as UTF-8
    # and would break every response and state message that echoes the text.
    if any(unicodedata.category(char) in {"Cc", "Cs"} for char in text):
        raise invalid(field, f"Field '{field}' must not contain control characters.")
