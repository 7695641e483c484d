"""Rule 3 in an oven: below 54.4 °C in the cavity, at most 4 hours in all.

Proofing dough at 30–35 °C or dehydrating at low heat is a normal use of an
oven, so there is no danger-zone refusal (rule 2); but food below 54.4 °C is
not pasteurized and *C. perfringens* grows up to 52.3 °C, so every stage
below 54.4 °C must end by itself, and their timers together stay within the
FDA Food Code's 4 hours. A stage that ends on the probe has no known length:
it is accepted (the bridge's running 4-hour guard still counts the time) and
the answer says so.
"""

from __future__ import annotations

from bridge.anova.oven_model import OvenPlan, OvenStage, TimerStart
from bridge.contract import TemperatureUnit
from bridge.errors import ErrorCode
from bridge.safety import wording
from bridge.safety.oven_limits import StagePlace, places
from bridge.safety.report import SafetyFinding
from bridge.safety.rules import BALDWIN, FOOD_CODE, MAX_UNPASTEURIZED_TIMER_S, PASTEURIZED_FROM_C

WHY = (
    "food is not pasteurized and C. perfringens grows up to 52.3 °C, so the stages below "
    f"{{limit}} may last 4 h in all (rule 3; {FOOD_CODE} 4-hour limit; {BALDWIN} gives no "
    "times over 4 h below 55 °C)"
)


def low(stage: OvenStage) -> bool:
    """The cavity stays below 54.4 °C in this stage."""
    return stage.temperature_c < PASTEURIZED_FROM_C


def plan_budget(plan: OvenPlan, unit: TemperatureUnit) -> list[SafetyFinding]:
    """Every stage below 54.4 °C ends by itself, and their timers add up to 4 h at most."""
    findings: list[SafetyFinding] = []
    used_s = 0
    for place, stage in places(plan):
        if not low(stage):
            continue
        findings += _stage_end(stage, place, unit)
        used_s += stage.timer_s or 0
        if stage.timer_s and used_s > MAX_UNPASTEURIZED_TIMER_S:
            findings.append(_over_budget(plan, place, used_s, unit))
        findings.append(not_pasteurized(stage.temperature_c, unit, place.prefix()))
    return findings


def not_pasteurized(temperature_c: float, unit: TemperatureUnit, prefix: str = "") -> SafetyFinding:
    """Rule 3's warning: nothing pasteurizes below 54.4 °C."""
    return SafetyFinding(
        rule=3,
        message=f"{prefix}Not pasteurized: at {wording.temperature(temperature_c, unit)}, below "
        f"{wording.threshold(PASTEURIZED_FROM_C, unit)}, the oven does not pasteurize food; "
        f"serve it to healthy adults only (rule 3; {BALDWIN}).",
    )


def running_budget(
    temperature_c: float, *, in_cavity_s: int, timer_left_s: int, unit: TemperatureUnit
) -> SafetyFinding | None:
    """A running stage below 54.4 °C: refused when its timer would not end it within 4 h."""
    if timer_left_s > 0 and in_cavity_s + timer_left_s <= MAX_UNPASTEURIZED_TIMER_S:
        return None
    breach = (
        "no timer will end it"
        if timer_left_s == 0
        else f"the food has been in the oven {wording.duration(in_cavity_s)}, so "
        f"{wording.duration(timer_left_s)} more would make "
        f"{wording.duration(in_cavity_s + timer_left_s)}"
    )
    return SafetyFinding(
        rule=3,
        code=ErrorCode.LOW_TEMP_TIME_UNSAFE,
        message=f"At {wording.temperature(temperature_c, unit)}, {_why(unit)}, and {breach}.",
        field="duration",
    )


def _stage_end(stage: OvenStage, place: StagePlace, unit: TemperatureUnit) -> list[SafetyFinding]:
    temp = wording.temperature(stage.temperature_c, unit)
    if stage.timer_s is None and stage.probe_c is None:
        reason = "but the stage has no timer or probe target to end it: set a timer"
        return [_refuse(place, "timer_s", f"At {temp}, {_why(unit)}, {reason}.")]
    if stage.probe_c is not None and stage.probe_c >= stage.temperature_c:
        probe = wording.temperature(stage.probe_c, unit)
        reason = (
            f"but the stage's probe target of {probe} is not below the cavity's {temp}, so the "
            "core may never reach it and the stage may never end: set a timer"
        )
        return [_refuse(place, "probe_c", f"At {temp}, {_why(unit)}, {reason}.")]
    if stage.probe_c is not None:
        return [
            _warn(
                place,
                f"At {temp} the stage ends on the probe, so its length is not "
                "known: the bridge counts the time below 54.4 °C as it runs and stops "
                "the cook at 4 h (rule 3).",
            )
        ]
    if stage.timer_start is TimerStart.MANUAL:
        return [
            _warn(
                place,
                f"At {temp} the timer starts only when you start it on the "
                "oven: the time before also counts toward the 4 hours (rule 3).",
            )
        ]
    return []


def _over_budget(
    plan: OvenPlan, place: StagePlace, used_s: int, unit: TemperatureUnit
) -> SafetyFinding:
    numbers = [
        str(index + 1) for index, stage in enumerate(plan.stages[: place.index + 1]) if low(stage)
    ]
    which = (
        f"the timer is {wording.duration(used_s)}"
        if len(numbers) == 1
        else f"the timers of stages {', '.join(numbers)} add up to {wording.duration(used_s)}"
    )
    return _refuse(
        place,
        "timer_s",
        f"Below {wording.threshold(PASTEURIZED_FROM_C, unit)}, {_why(unit)}, but {which}: "
        f"keep the time below it to "
        f"{wording.duration(MAX_UNPASTEURIZED_TIMER_S)} in all, or cook at 54.4 °C or more.",
    )


def _why(unit: TemperatureUnit) -> str:
    return WHY.format(limit=wording.threshold(PASTEURIZED_FROM_C, unit))


def _refuse(place: StagePlace, attribute: str, message: str) -> SafetyFinding:
    return SafetyFinding(
        rule=3,
        code=ErrorCode.LOW_TEMP_TIME_UNSAFE,
        message=place.prefix() + message,
        field=place.field(attribute),
    )


def _warn(place: StagePlace, message: str) -> SafetyFinding:
    return SafetyFinding(rule=3, message=place.prefix() + message)
