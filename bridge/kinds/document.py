"""What every kind's published documents share: timestamps and the published unit.

Temperatures live in °C inside the bridge and are converted here, once, to the
configured unit with one decimal, so a rounding error can never compound.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bridge.commands.units import from_celsius
from bridge.contract import TemperatureUnit


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 UTC with ``Z``, as every timestamp in the contract."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_now() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


def to_unit(celsius: float | None, unit: TemperatureUnit) -> float | None:
    """Convert a °C reading to ``unit`` with one decimal; None stays None."""
    return None if celsius is None else from_celsius(celsius, unit)
