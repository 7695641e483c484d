"""The Anova Precision Oven's food-safety rules (docs/food-safety.md, "Ovens").

:meth:`OvenRules.check_plan` checks a whole :class:`~bridge.anova.oven_model.OvenPlan`
before it is sent: the oven's device limits for every stage (always), then,
under ``safety.policy`` ``strict`` or ``warn``, rule 3's 4-hour budget for
the stages below 54.4 °C (:mod:`bridge.safety.oven_budget`) and rules 4–7
for the wet bulb, the probe and dry roasting (:mod:`bridge.safety.oven_food`).

The :class:`~bridge.safety.kind.SafetyRules` methods serve the parts of the
bridge every device shares (a change made on the device, the running
4-hour guard, setpoints kept while idle): they see one running stage as a
dry-bulb setpoint with a timer and a food. An oven is started by a plan,
never by a cooker's ``start`` command, so :meth:`OvenRules.check_start`
refuses one with ``UNKNOWN_ACTION``.

Errors name the field at fault: ``temperature`` in a one-stage plan,
``stages[1].temperature`` (0-based, as in the command's list) in a longer
one; messages count stages from 1 and give the unit the user spoke.
"""

from __future__ import annotations

import math

from bridge.anova.oven_model import OvenPlan
from bridge.commands import StartCommand
from bridge.contract import TemperatureUnit
from bridge.errors import CommandError, ErrorCode
from bridge.safety.foods import FoodClass, classify
from bridge.safety.kind import RunningCook
from bridge.safety.oven_budget import not_pasteurized, plan_budget, running_budget
from bridge.safety.oven_food import DRY_PROBE_ADVICE, plan_food
from bridge.safety.oven_limits import (
    DRY_MAX_C,
    DRY_MIN_C,
    check_oven_timer,
    check_stage,
    check_temperature,
    places,
)
from bridge.safety.report import SafetyFinding, SafetyPolicy, SafetyReport, apply_policy
from bridge.safety.rules import PASTEURIZED_FROM_C, Cook, unrecognised_food
from bridge.settings import SafetySettings

NO_FOOD_NOTE = (
    "No food_type given, so the food rules (4–7: poultry, ground meat, whole cuts, fish) were "
    "skipped and only the oven's limits and the 4-hour rule below 54.4 °C (rule 3) were "
    "applied; name the food for its checks."
)


class OvenRules:
    """The Precision Oven's limits and food-safety rules (a :class:`SafetyRules`)."""

    pasteurized_from_c = PASTEURIZED_FROM_C
    food_place = "in the oven"

    def check_plan(
        self,
        plan: OvenPlan,
        *,
        oven_type: str,
        settings: SafetySettings,
        unit: TemperatureUnit = "C",
    ) -> SafetyReport:
        """Check every stage of a plan and the plan as a whole.

        Args:
            plan: the plan, in °C.
            oven_type: ``oven_v1`` or ``oven_v2`` (limits differ).
            settings: the ``safety`` section of the configuration.
            unit: the unit the user spoke, so messages can repeat it.

        Returns:
            The report; its ``warnings`` go in the response.

        Raises:
            CommandError: the oven's limits always; under ``strict`` also the
                first failing food-safety rule, with its code and the stage's field.
        """
        for place, stage in places(plan):
            check_stage(stage, place, oven_type=oven_type, unit=unit)
        _check_thickness(plan.thickness_mm)
        policy = SafetyPolicy(settings.policy)
        if policy is SafetyPolicy.OFF:
            return SafetyReport(policy=policy)
        cook = _cook(plan.food_type, plan.thickness_mm, unit, settings)
        findings = plan_budget(plan, unit) + plan_food(plan, cook) + _notes(cook)
        return apply_policy(policy, findings)

    @staticmethod
    def check_setpoint(
        temperature_c: float, *, cooker_type: str, unit: TemperatureUnit = "C"
    ) -> None:
        """Rule 1 for a dry-bulb setpoint: 25–250 °C.

        Raises:
            CommandError: ``INVALID_FIELD``, ``TEMPERATURE_TOO_HIGH`` or ``TEMPERATURE_TOO_LOW``.
        """
        check_temperature(
            temperature_c,
            (DRY_MIN_C, DRY_MAX_C),
            what="dry-bulb temperature",
            field="temperature",
            unit=unit,
        )

    @staticmethod
    def check_timer(timer_s: int) -> None:
        """Rule 1 for a timer: up to 99 h 59 min; 0 means no timer.

        Raises:
            CommandError: ``INVALID_FIELD`` when negative, ``TIME_TOO_LONG``.
        """
        check_oven_timer(timer_s)

    @staticmethod
    def check_start(
        cmd: StartCommand, *, cooker_type: str, settings: SafetySettings, in_water_s: int = 0
    ) -> SafetyReport:
        """An oven starts from a plan (:meth:`check_plan`), never from a cooker's start.

        Raises:
            CommandError: always, ``UNKNOWN_ACTION``.
        """
        raise CommandError(
            ErrorCode.UNKNOWN_ACTION,
            "An oven is started with a cook plan of stages, not with a sous-vide start "
            "(temperature and timer); send the oven's plan instead.",
            field="action",
        )

    def check_cook(self, cook: RunningCook, *, settings: SafetySettings) -> SafetyReport:
        """Check the running stage, new or changed, as a dry-bulb setpoint with a timer.

        ``cook.in_water_s`` is the time the food has spent in the oven so
        far: below 54.4 °C, rule 3's 4 hours count it with the timer left.

        Raises:
            CommandError: the oven's limits always; rule 3 under ``strict``.
        """
        self.check_setpoint(cook.temperature_c, cooker_type=cook.cooker_type, unit=cook.unit)
        self.check_timer(cook.timer_s)
        policy = SafetyPolicy(settings.policy)
        if policy is SafetyPolicy.OFF:
            return SafetyReport(policy=policy)
        food = _cook(cook.food_type, cook.thickness_mm, cook.unit, settings)
        running = _running(
            cook.temperature_c, cook.timer_s, food, cook.in_water_s, cook.timer_left_s
        )
        return apply_policy(policy, running)

    def check_idle_setpoint(
        self,
        temperature_c: float,
        *,
        unit: TemperatureUnit = "C",
        cooker_type: str,
        settings: SafetySettings,
    ) -> SafetyReport:
        """A dry-bulb setpoint kept for the next plan: the oven's limits only.

        An oven has no danger-zone refusal (proofing at 30–35 °C is a normal
        use), so any setpoint the oven holds can start some safe plan.

        Raises:
            CommandError: the oven's limits.
        """
        self.check_setpoint(temperature_c, cooker_type=cooker_type, unit=unit)
        return SafetyReport(policy=SafetyPolicy(settings.policy))

    @staticmethod
    def classify(food_type: str | None) -> FoodClass:
        """The same food classifier as the cookers'."""
        return classify(food_type)


def _cook(
    food_type: str | None,
    thickness_mm: float | None,
    unit: TemperatureUnit,
    settings: SafetySettings,
) -> Cook:
    """The food as the bath rules see it; each stage adds its temperature and timer."""
    return Cook(
        temperature_c=0.0,
        timer_s=0,
        food_type=food_type,
        food=classify(food_type),
        thickness_mm=thickness_mm if thickness_mm is not None else settings.default_thickness_mm,
        thickness_given=thickness_mm is not None,
        unit=unit,
        min_temperature_c=settings.min_temperature_c,
    )


def _running(
    temperature_c: float, timer_s: int, cook: Cook, in_oven_s: int, timer_left_s: int | None
) -> list[SafetyFinding]:
    """Rule 3 below 54.4 °C, and the probe advice for roasting poultry or ground meat."""
    if temperature_c < PASTEURIZED_FROM_C:
        left = timer_s if timer_left_s is None else timer_left_s
        refusal = running_budget(
            temperature_c, in_cavity_s=in_oven_s, timer_left_s=left, unit=cook.unit
        )
        warning = not_pasteurized(temperature_c, cook.unit)
        return [warning] if refusal is None else [refusal, warning]
    if timer_s and (cook.food.poultry or cook.food.ground):
        return [SafetyFinding(rule=7, message=DRY_PROBE_ADVICE)]
    return []


def _notes(cook: Cook) -> list[SafetyFinding]:
    if not cook.food_type:
        return [SafetyFinding(rule=0, message=NO_FOOD_NOTE)]
    return unrecognised_food(cook)


def _check_thickness(thickness_mm: float | None) -> None:
    if thickness_mm is not None and not (math.isfinite(thickness_mm) and thickness_mm > 0):
        raise CommandError(
            ErrorCode.INVALID_FIELD,
            "thickness_mm must be a positive number of millimetres.",
            field="thickness_mm",
        )


OVEN_RULES = OvenRules()
"""The one instance the oven's device kind hands the executor."""
