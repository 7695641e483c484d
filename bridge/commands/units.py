"""Temperature units: round once at the edge, keep °C inside.

A user's temperature is rounded to one decimal *in the unit they used* (the
precision Home Assistant and the Anova apps work in), then converted to °C
and stored rounded to 0.01 °C. Two decimals are enough for every °F value with
one decimal to survive the round trip °F → °C → °F unchanged (the worst
rounding error, 0.005 °C, is 0.009 °F, far below the 0.05 °F that would change
the published decimal), and they remove binary-float noise at table
boundaries: 134.6 °F becomes exactly 57.0 °C, not 56.99999999999999 °C, so it
lands in the 57 °C column of the poultry table.
"""

from __future__ import annotations

from bridge.contract import TemperatureUnit

CELSIUS_DECIMALS = 2
USER_DECIMALS = 1


def to_celsius(value: float, unit: TemperatureUnit) -> float:
    """Convert a user's temperature to the °C the bridge keeps internally.

    Args:
        value: the temperature as the user wrote it.
        unit: the unit the user wrote it in.

    Returns:
        °C rounded to 0.01 (see the module docstring for why).
    """
    rounded = round(value, USER_DECIMALS)
    # Dividing by 1.8 (rather than multiplying by 5/9) cannot overflow for
    # huge finite inputs, so out-of-range values stay finite and reach the
    # device-limit check with a clear TEMPERATURE_TOO_HIGH.
    celsius = rounded if unit == "C" else (rounded - 32.0) / 1.8
    return round(celsius, CELSIUS_DECIMALS)


def from_celsius(value_c: float, unit: TemperatureUnit) -> float:
    """Convert an internal °C value to ``unit`` with the one decimal that is published."""
    converted = value_c if unit == "C" else value_c * 1.8 + 32.0
    return round(converted, USER_DECIMALS)


def parse_unit(text: str) -> TemperatureUnit | None:
    """Read ``C``/``F`` (any case, with or without ``°``); None when it is neither."""
    normalised = text.strip().lstrip("°").upper()
    if normalised in {"C", "CELSIUS"}:
        return "C"
    if normalised in {"F", "FAHRENHEIT"}:
        return "F"
    return None
