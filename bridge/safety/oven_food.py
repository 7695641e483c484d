"""Rules 4–7 in an oven: the wet bulb as a bath, the probe, and dry roasting.

* A **wet** stage (sous vide in the oven) is checked by the water bath's own
  rules 4–7 with its wet-bulb setpoint as the bath. The tables were measured
  in water, which heats food faster than steam, so poultry and ground meat
  also get a warning recommending the probe.
* A **probe** target ends a stage the moment the core reaches it, with no
  hold: poultry below 74 °C and ground meat below 71 °C (USDA consumer
  temperatures) are refused, and whole cuts and fish below 63 °C are "not
  pasteurized".
* **Dry** (or steam) roasting on a timer: the bridge cannot know the core
  temperature, so nothing is refused; poultry and ground meat get a warning
  suggesting the probe.

A poultry or ground-meat refusal at one stage is lifted (and becomes a
warning naming the stage that makes it safe) when another stage finishes the
food: a later one that cooks it through or holds the core long enough, or
an earlier one that already pasteurized it (:mod:`bridge.safety.oven_hold`).
"""

from __future__ import annotations

from dataclasses import replace

from bridge.anova.oven_model import OvenMode, OvenPlan, OvenStage
from bridge.errors import ErrorCode
from bridge.safety import wording
from bridge.safety.core_temperature import CoreTableName, core_table
from bridge.safety.oven_hold import finisher
from bridge.safety.oven_limits import StagePlace, places
from bridge.safety.report import SafetyFinding
from bridge.safety.rules import PASTEURIZED_FROM_C, Cook, ground_meat, poultry, whole_muscle

WHOLE_CUT_CORE_C = 63.0
USDA = "USDA consumer temperature"
LIFTABLE = frozenset(
    {
        ErrorCode.POULTRY_TEMP_UNSAFE,
        ErrorCode.GROUND_MEAT_TEMP_UNSAFE,
        ErrorCode.PASTEURIZATION_TIME_TOO_SHORT,
    }
)
"""Refusals a later stage can lift: the food is unsafe only if nothing after cooks it."""
WET_PROBE_ADVICE = (
    "Sous vide in the oven: the pasteurization tables were measured in water, which heats food "
    "faster than steam, so the wet-bulb times may be too short for poultry and ground meat; use "
    "the probe (poultry 74 °C, ground meat 71 °C at the core) or check the core before serving."
)
DRY_PROBE_ADVICE = (
    "Roasting on a timer: the bridge cannot know the core temperature, so it cannot check that "
    "poultry or ground meat is cooked through; use the probe (poultry 74 °C, ground meat 71 °C "
    "at the core) or check the core with a thermometer before serving."
)


def plan_food(plan: OvenPlan, cook: Cook) -> list[SafetyFinding]:
    """Rules 4–7 for every stage, in stage order, then the plan-wide advice.

    Args:
        plan: the plan.
        cook: the plan's food, thickness, unit and settings as the bath rules
            see them; each stage supplies its own temperature and timer.
    """
    findings: list[SafetyFinding] = []
    for place, stage in places(plan):
        found = _wet_stage(stage, cook) + _probe_stage(stage, cook)
        findings += [_placed(plan, place, cook, finding) for finding in found]
    return findings + _advice(plan, cook)


def _wet_stage(stage: OvenStage, cook: Cook) -> list[SafetyFinding]:
    """The bath's rules 4–7 with the wet-bulb setpoint as the bath."""
    if stage.mode is not OvenMode.WET:
        return []
    bath = replace(cook, temperature_c=round(stage.temperature_c, 2), timer_s=stage.timer_s or 0)
    found = poultry(bath) + ground_meat(bath) + whole_muscle(bath)
    if stage.probe_c is not None:
        # The probe ends this stage; rule 7's "take it out after…" does not apply.
        found = [finding for finding in found if finding.rule != 7]
    return [_in_the_oven(finding) for finding in found]


def _probe_stage(stage: OvenStage, cook: Cook) -> list[SafetyFinding]:
    """The probe ends the stage at its target with no hold: is that core hot enough?"""
    if stage.probe_c is None:
        return []
    found: list[SafetyFinding] = []
    if cook.food.poultry:
        found += _core_too_cool(stage.probe_c, cook, "poultry", 4)
    if cook.food.ground:
        found += _core_too_cool(stage.probe_c, cook, "meat", 5)
    if (cook.food.whole_meat or cook.food.fish) and stage.probe_c < WHOLE_CUT_CORE_C:
        found.append(_whole_cut_core(stage.probe_c, cook))
    return found


def _core_too_cool(
    probe_c: float, cook: Cook, name: CoreTableName, rule: int
) -> list[SafetyFinding]:
    core = core_table(name)
    if probe_c >= core.consumer_c:
        return []
    what, code = (
        (f"poultry ({cook.food.words('poultry')})", ErrorCode.POULTRY_TEMP_UNSAFE)
        if name == "poultry"
        else (f"ground meat ({cook.food.words('ground')})", ErrorCode.GROUND_MEAT_TEMP_UNSAFE)
    )
    return [
        SafetyFinding(
            rule=rule,
            code=code,
            message=f"The probe ends the stage when the core reaches "
            f"{wording.temperature(probe_c, cook.unit)}, with no hold, and {what} needs "
            f"{cook.limit(core.consumer_c)} at the core ({USDA}) or a later stage that holds "
            f"it hot for the {core.citation} time (rule {rule}): set the probe to "
            f"{cook.limit(core.consumer_c)} or add a holding stage.",
            field="probe_c",
        )
    ]


def _whole_cut_core(probe_c: float, cook: Cook) -> SafetyFinding:
    return SafetyFinding(
        rule=6,
        message=f"Not pasteurized: the probe ends the stage at "
        f"{wording.temperature(probe_c, cook.unit)} at the core, below "
        f"{cook.limit(WHOLE_CUT_CORE_C)} ({USDA} for whole cuts and fish); fine for a whole cut "
        "served at once, but not for the young, old, pregnant or immune-compromised (rule 6).",
    )


def _placed(plan: OvenPlan, place: StagePlace, cook: Cook, finding: SafetyFinding) -> SafetyFinding:
    """Name the stage in the message and field; lift a refusal another stage makes safe."""
    if finding.rule == 0:
        return finding  # general notes (thickness assumed) read the same for every stage
    message = place.prefix() + finding.message
    field = place.field(_attribute(finding.field)) if finding.field else None
    later = None
    if finding.code in LIFTABLE:
        name: CoreTableName = "poultry" if finding.rule == 4 else "meat"
        later = finisher(plan, place.index, name, cook)
    if later is None:
        return finding.model_copy(update={"message": message, "field": field})
    return SafetyFinding(rule=finding.rule, message=f"{message} Allowed: {later}")


def _attribute(field: str) -> str:
    """The stage attribute behind a bath rule's field name."""
    return {"temperature": "temperature_c", "duration": "timer_s"}.get(field, field)


def _in_the_oven(finding: SafetyFinding) -> SafetyFinding:
    """The bath rules speak of water; in the oven the wet bulb plays its part."""
    text = finding.message.replace("the water reaches temperature", "the wet bulb reaches it")
    return finding.model_copy(update={"message": text})


def _advice(plan: OvenPlan, cook: Cook) -> list[SafetyFinding]:
    """The probe advice for poultry and ground meat, once per plan."""
    if not (cook.food.poultry or cook.food.ground):
        return []
    if any(s.probe_c is not None for s in plan.stages):
        return []  # the probe rule (and the holds after it) already judged the core
    advice: list[SafetyFinding] = []
    if any(s.mode is OvenMode.WET for s in plan.stages):
        advice.append(SafetyFinding(rule=7, message=WET_PROBE_ADVICE))
    roasts = any(
        s.mode is not OvenMode.WET and s.timer_s and s.temperature_c >= PASTEURIZED_FROM_C
        for s in plan.stages
    )
    if roasts:
        advice.append(SafetyFinding(rule=7, message=DRY_PROBE_ADVICE))
    return advice
