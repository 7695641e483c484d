"""The one typed state every part of the bridge reads.

The cloud pushes three different shapes (a3, gen 2, gen 3); the parsers in
this package turn each into a :class:`CookerState`. Temperatures are kept in
°C here and converted only when published, so no rounding error compounds.
Fields a device does not report stay ``None``: never invented.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from bridge.contract import TemperatureUnit


class CookerPhase(StrEnum):
    """The cook's phase as published in ``state`` (CONTRACT §3).

    The parsers never return ``ALARM``: an alarm is a flag in
    :class:`Alarms` on top of the cook's own phase, so a cook under an alarm
    is still a cook (``stop`` works, no ``cook_stopped`` is invented). Only
    the published ``state`` field says ``alarm`` while one is raised.
    """

    IDLE = "idle"
    PREHEATING = "preheating"
    COOKING = "cooking"
    MAINTAINING = "maintaining"
    ALARM = "alarm"
    OFFLINE = "offline"


ACTIVE_PHASES = frozenset({CookerPhase.PREHEATING, CookerPhase.COOKING, CookerPhase.MAINTAINING})


class Alarms(BaseModel):
    """Device alarm flags; all False when the device reports none."""

    model_config = ConfigDict(frozen=True)

    low_water: bool = False
    water_leak: bool = False
    high_temp: bool = False
    motor_stuck: bool = False
    triacs_failed: bool = False
    device_failure: bool = False
    other: bool = False  # raised but not named: the a3 only says ``isAlarmActive``

    def active(self) -> list[str]:
        """Names of the alarms that are raised, in a stable order."""
        return [name for name, value in self.model_dump().items() if value]


class TimerState(BaseModel):
    """The cook timer. ``remaining_s`` is None when the device does not say."""

    model_config = ConfigDict(frozen=True)

    total_s: int | None = None
    remaining_s: int | None = None
    running: bool = False


class CookInfo(BaseModel):
    """The running cook; ``ends_at`` is known once the timer runs.

    ``in_water_s`` is how long the cook has run by the cooker's own report
    (preheat included where the device says), for the 4-hour budget of
    food-safety rule 3; None when the device gives nothing to count from.
    """

    model_config = ConfigDict(frozen=True)

    id: str | None = None
    started_at: datetime | None = None
    ends_at: datetime | None = None
    in_water_s: int | None = None


class CookerState(BaseModel):
    """A cooker's normalised state at one moment."""

    model_config = ConfigDict(frozen=True)

    cooker_id: str
    type: str
    phase: CookerPhase
    current_temperature_c: float | None = None
    target_temperature_c: float | None = None
    heater_temperature_c: float | None = None
    triac_temperature_c: float | None = None
    unit: TemperatureUnit | None = None
    timer: TimerState = TimerState()
    cook: CookInfo | None = None
    alarms: Alarms = Alarms()
    firmware: str | None = None
    online: bool | None = None

    @property
    def is_cooking(self) -> bool:
        """True while a cook runs (preheating, cooking or maintaining)."""
        return self.phase in ACTIVE_PHASES
