"""The typed commands an oven takes, beside the ones it shares with the cookers.

An oven shares ``stop``, ``set_temperature``, ``set_timer``, ``set_unit``
and ``set_food`` with the cookers (:mod:`bridge.commands.models`); its
``start`` carries a whole plan, and ``set_next_stage`` keeps the settings a
start from Home Assistant (``set/start``, ``set/mode heat``) will use.
Temperatures are °C; ``unit`` is the unit the user spoke.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from bridge.anova.oven_model import HeatingElements, OvenMode, OvenPlan, TimerStart
from bridge.commands.models import (
    SetFoodCommand,
    SetTemperatureCommand,
    SetTimerCommand,
    SetUnitCommand,
    StopCommand,
)
from bridge.contract import TemperatureUnit

NextStageField = Literal[
    "mode", "steam_percent", "probe_c", "elements", "fan_speed", "timer_start", "preheat"
]
NEXT_STAGE_FIELDS: tuple[NextStageField, ...] = (
    "mode",
    "steam_percent",
    "probe_c",
    "elements",
    "fan_speed",
    "timer_start",
    "preheat",
)


class _OvenCommand(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    request_id: str | None = None


class OvenStartCommand(_OvenCommand):
    """Run a plan on an oven.

    ``plan`` is None when the command came from ``set/start`` or ``set/mode
    heat``: "start with what is kept" (the next stage's settings, setpoint
    and timer), which only the service knows. ``replace`` allows starting
    over a running cook.
    """

    action: Literal["start"] = "start"
    plan: OvenPlan | None
    unit: TemperatureUnit
    replace: bool = False


class NextStage(BaseModel):
    """Settings kept on an idle oven for its next quick start (each None: not given)."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    mode: OvenMode | None = None
    steam_percent: int | None = None
    probe_c: float | None = None
    elements: HeatingElements | None = None
    fan_speed: int | None = None
    timer_start: TimerStart | None = None
    preheat: bool | None = None


class SetNextStageCommand(_OvenCommand):
    """Keep some of the next stage's settings; ``fields`` names those the command sets.

    A field named in ``fields`` whose value is None clears it (back to the
    default), e.g. ``set/probe_target`` with 0.
    """

    action: Literal["set_next_stage"] = "set_next_stage"
    settings: NextStage
    fields: tuple[NextStageField, ...]
    unit: TemperatureUnit = "C"


OvenCommand = (
    OvenStartCommand
    | StopCommand
    | SetTemperatureCommand
    | SetTimerCommand
    | SetUnitCommand
    | SetFoodCommand
    | SetNextStageCommand
)
"""Every command an oven takes."""
