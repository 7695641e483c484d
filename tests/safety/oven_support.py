"""Builders for oven plans in the safety tests."""

from __future__ import annotations

from typing import Any

import pytest

from bridge.anova.oven_model import OvenMode, OvenPlan, OvenStage
from bridge.contract import TemperatureUnit
from bridge.errors import CommandError
from bridge.safety.oven import OVEN_RULES
from bridge.settings import SafetySettings

H = 3600
MIN = 60


def dry(temperature_c: float, **fields: Any) -> OvenStage:
    """A dry-bulb stage on the rear element."""
    return OvenStage(mode=OvenMode.DRY, temperature_c=temperature_c, **fields)


def wet(temperature_c: float, **fields: Any) -> OvenStage:
    """A wet-bulb (sous vide) stage."""
    return OvenStage(mode=OvenMode.WET, temperature_c=temperature_c, **fields)


def steam(temperature_c: float, percent: int | None, **fields: Any) -> OvenStage:
    """A dry-bulb stage with steam."""
    return OvenStage(
        mode=OvenMode.STEAM, temperature_c=temperature_c, steam_percent=percent, **fields
    )


def plan(*stages: OvenStage, food: str | None = None, thickness: float | None = None) -> OvenPlan:
    """A plan of these stages."""
    return OvenPlan(stages=stages, food_type=food, thickness_mm=thickness)


def check(
    oven_plan: OvenPlan,
    settings: SafetySettings,
    *,
    oven_type: str = "oven_v1",
    unit: TemperatureUnit = "C",
) -> list[str]:
    """The warnings of an accepted plan."""
    return OVEN_RULES.check_plan(
        oven_plan, oven_type=oven_type, settings=settings, unit=unit
    ).warnings


def refuse(
    oven_plan: OvenPlan,
    settings: SafetySettings,
    *,
    oven_type: str = "oven_v1",
    unit: TemperatureUnit = "C",
) -> CommandError:
    """The error of a refused plan."""
    with pytest.raises(CommandError) as caught:
        OVEN_RULES.check_plan(oven_plan, oven_type=oven_type, settings=settings, unit=unit)
    return caught.value
