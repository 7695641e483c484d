"""Rule 3's 4-hour budget as time in the water, for a cook that is already running.

A start or a change is checked by :mod:`bridge.safety.rules` (the timer must
end the cook within 4 h in the water). But a cooker holds the bath after its
timer (``maintaining``) until someone stops it, so the bridge also watches
the clock: 30 minutes before the 4 hours it warns, and at 4 hours it says
the budget is spent (and, under ``strict``, the service stops the cook).
"""

from __future__ import annotations

from enum import StrEnum

from bridge.contract import TemperatureUnit
from bridge.safety import wording
from bridge.safety.rules import BALDWIN, FOOD_CODE, MAX_UNPASTEURIZED_TIMER_S, PASTEURIZED_FROM_C

WARN_BEFORE_S = 30 * 60


class BudgetStage(StrEnum):
    """Where a running cook stands against the 4-hour budget."""

    NOT_APPLICABLE = "not_applicable"  # at or above 54.4 °C: the cook pasteurizes
    RUNNING = "running"
    ENDING = "ending"  # within the last 30 minutes
    SPENT = "spent"


def budget_stage(temperature_c: float | None, in_water_s: int) -> BudgetStage:
    """The cook's stage for a setpoint and its time in the water so far."""
    if temperature_c is None or temperature_c >= PASTEURIZED_FROM_C:
        return BudgetStage.NOT_APPLICABLE
    if in_water_s >= MAX_UNPASTEURIZED_TIMER_S:
        return BudgetStage.SPENT
    if in_water_s >= MAX_UNPASTEURIZED_TIMER_S - WARN_BEFORE_S:
        return BudgetStage.ENDING
    return BudgetStage.RUNNING


def ending_message(
    temperature_c: float, in_water_s: int, unit: TemperatureUnit, *, place: str = "in the water"
) -> str:
    """The 30-minute warning, naming the rule and what will happen; ``place``: where the food is."""
    left = max(0, MAX_UNPASTEURIZED_TIMER_S - in_water_s)
    return (
        f"The food has been {place} {wording.duration(in_water_s)} at "
        f"{wording.temperature(temperature_c, unit)}, below "
        f"{wording.threshold(PASTEURIZED_FROM_C, unit)}: {wording.duration(left)} are left of the "
        f"4 hours allowed (rule 3; {FOOD_CODE} 4-hour limit). Take the food out or raise the "
        "temperature to 54.4 °C or more."
    )


def spent_message(
    temperature_c: float,
    in_water_s: int,
    unit: TemperatureUnit,
    *,
    stopped: bool,
    place: str = "in the water",
) -> str:
    """The end of the budget, naming the rule and what the bridge did; ``place`` as above."""
    action = (
        "so the bridge stopped the cook (safety.policy strict)"
        if stopped
        else "the cook was left running because safety.policy is warn"
    )
    return (
        f"The food has been {place} {wording.duration(in_water_s)} at "
        f"{wording.temperature(temperature_c, unit)}, below "
        f"{wording.threshold(PASTEURIZED_FROM_C, unit)}, where food is not pasteurized and "
        f"C. perfringens grows: that is the 4 hours allowed (rule 3; {FOOD_CODE} 4-hour limit; "
        f"{BALDWIN} gives no times over 4 h below 55 °C), {action}."
    )
