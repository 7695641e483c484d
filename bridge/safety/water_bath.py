"""The water-bath rules (docs/food-safety.md, rules 1–7) as the cookers' :class:`SafetyRules`."""

from __future__ import annotations

from dataclasses import asdict

from bridge.safety.checks import check_cook, check_idle_setpoint, check_start
from bridge.safety.foods import classify
from bridge.safety.kind import RunningCook
from bridge.safety.limits import check_setpoint, check_timer
from bridge.safety.report import SafetyReport
from bridge.safety.rules import PASTEURIZED_FROM_C
from bridge.settings import SafetySettings


class WaterBathRules:
    """Sous-vide cookers' limits and the pasteurization tables for food in a water bath."""

    pasteurized_from_c = PASTEURIZED_FROM_C
    food_place = "in the water"
    check_setpoint = staticmethod(check_setpoint)
    check_timer = staticmethod(check_timer)
    check_start = staticmethod(check_start)

    @staticmethod
    def check_cook(cook: RunningCook, *, settings: SafetySettings) -> SafetyReport:
        """Rules 1–7 for a running cook (:func:`~bridge.safety.checks.check_cook`)."""
        return check_cook(**asdict(cook), settings=settings)

    check_idle_setpoint = staticmethod(check_idle_setpoint)
    classify = staticmethod(classify)


WATER_BATH = WaterBathRules()
