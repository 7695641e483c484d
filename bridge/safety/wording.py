"""How numbers read in safety messages.

Messages always give °C (the unit of the rules and tables) and add the
user's unit when they used °F, so an American cook and the rule text can be
compared at a glance.
"""

from __future__ import annotations

from bridge.commands.units import from_celsius
from bridge.contract import TemperatureUnit

# Past this, a number is a typo or a fuzzer; printing all its digits helps no one.
_HUGE = 1e6
_HUGE_SECONDS = 10**9


def temperature(value_c: float, unit: TemperatureUnit) -> str:
    """A setpoint with one decimal: ``"60.0 °C"`` or ``"60.0 °C (140.0 °F)"``."""
    celsius = f"{_number(value_c, '.1f')} °C"
    if unit == "F":
        return f"{celsius} ({_number(from_celsius(value_c, 'F'), '.1f')} °F)"
    return celsius


def threshold(value_c: float, unit: TemperatureUnit) -> str:
    """A rule or table value as written in the rule: ``"57 °C"``, ``"54.4 °C (129.9 °F)"``."""
    celsius = f"{value_c:g} °C"
    if unit == "F":
        return f"{celsius} ({from_celsius(value_c, 'F'):g} °F)"
    return celsius


def duration(seconds: int) -> str:
    """A timer the way the tables write it: ``"1 h 30 min"``, ``"55 min"``, ``"45 s"``."""
    if seconds >= _HUGE_SECONDS:
        return f"more than {_HUGE_SECONDS // 3600} h"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{hours} h" if hours else "",
        f"{minutes} min" if minutes else "",
        f"{secs} s" if secs else "",
    ]
    return " ".join(part for part in parts if part) or "0 min"


def millimetres(value_mm: float) -> str:
    """A thickness: ``"25 mm"``."""
    return f"{_number(value_mm, 'g')} mm"


def _number(value: float, spec: str) -> str:
    return f"{value:.3g}" if abs(value) >= _HUGE else format(value, spec)
