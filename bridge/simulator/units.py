"""Temperature units as the cloud spells them, and conversions between them."""

from __future__ import annotations

UNITS = ("C", "F")


def parse_unit(value: object) -> str | None:
    """``"C"``/``"F"`` from a command's ``unit`` field (either case); None if invalid."""
    if isinstance(value, str) and value.upper() in UNITS:
        return value.upper()
    return None


def to_celsius(value: float, unit: str) -> float:
    """A temperature given in ``unit`` expressed in °C."""
    return (value - 32.0) * 5.0 / 9.0 if unit == "F" else value


def from_celsius(celsius: float, unit: str) -> float:
    """A °C temperature expressed in ``unit``."""
    return celsius * 9.0 / 5.0 + 32.0 if unit == "F" else celsius
