"""Whether some stage of an oven plan finishes poultry or ground meat.

A stage can leave the food unsafe (a probe target below the consumer
temperature, a wet-bulb stage too cool or too short) and still be a safe
step of a plan whose other stage makes the food safe: a later one that
cooks it through, or an earlier one that already pasteurized it. A stage
*finishes* the food when it:

1. ends on a probe target at or above the consumer temperature (poultry
   74 °C, ground meat 71 °C), which is instant once the core gets there
   (a target not below the stage's own setpoint is never reached);
2. is a wet-bulb stage whose timer meets the bath table for its setpoint and
   the food's thickness (the table counts from fridge-cold food, so food
   that is already warm is safer still); or
3. is a wet-bulb stage with a timer that holds the core hot long enough by
   the FSIS core-temperature table. The core is known to be at or above a
   probe target once a stage has ended on it, and a wet-bulb stage keeps it
   at or above the lower of that and its own setpoint (the food cannot cool
   below the wet bulb in a saturated cavity). The hold is read at that lower
   temperature, rounded down to a column, and the stage's timer must be at
   least the table's time. A dry or steam stage keeps no such promise: food
   in dry heat cools by evaporation, so after one the core is unknown until
   a probe stage ends again.
"""

from __future__ import annotations

from bridge.anova.oven_model import OvenMode, OvenPlan, OvenStage
from bridge.safety import wording
from bridge.safety.core_temperature import CoreTable, CoreTableName, core_table
from bridge.safety.rules import Cook
from bridge.safety.tables import table


def finisher(plan: OvenPlan, index: int, name: CoreTableName, cook: Cook) -> str | None:
    """How some stage of the plan makes the food safe, in words; None when none does.

    Any stage counts, before or after ``index``: food pasteurized earlier
    stays safe (rule 3 limits any time below 54.4 °C afterwards), and food
    finished later is safe when served. Stage ``index`` itself counts only
    through what came before it: a wet-bulb stage entered with the core
    already at a probe target is a hold, although the bath table (which
    starts from fridge-cold food) would call its timer short.

    Args:
        plan: the plan.
        index: the stage whose finding is in question (named "this stage").
        name: ``poultry`` or ``meat`` (ground meat reads the beef tables).
        cook: the food, thickness and unit.
    """
    core_c: float | None = None
    for number, stage in enumerate(plan.stages):
        how = _finishes(stage, core_c, name, cook)
        if how is not None:
            return f"{'this stage' if number == index else f'stage {number + 1}'} {how}"
        core_c = _core_after(stage, core_c)
    return None


def _finishes(
    stage: OvenStage, core_c: float | None, name: CoreTableName, cook: Cook
) -> str | None:
    core = core_table(name)
    # A probe target the cavity cannot pass is never reached: it finishes nothing.
    reached = stage.probe_c is not None and stage.probe_c < stage.temperature_c
    if reached and stage.probe_c is not None and stage.probe_c >= core.consumer_c:
        return (
            f"takes the core to {wording.temperature(stage.probe_c, cook.unit)} "
            f"(USDA consumer temperature {cook.limit(core.consumer_c)})."
        )
    if stage.mode is not OvenMode.WET or not stage.timer_s:
        return None
    return _bath(stage, name, cook) or _hold(stage, core_c, core, cook)


def _bath(stage: OvenStage, name: CoreTableName, cook: Cook) -> str | None:
    lookup = table(name).lookup(stage.temperature_c, cook.thickness_mm)
    if lookup is None or not stage.timer_s or stage.timer_s < lookup.seconds:
        return None
    return (
        f"pasteurizes it: {wording.duration(stage.timer_s)} at a wet bulb of "
        f"{wording.temperature(stage.temperature_c, cook.unit)}, where the "
        f"{lookup.table.citation} needs {wording.duration(lookup.seconds)} at "
        f"{wording.millimetres(lookup.row_mm)}."
    )


def _hold(stage: OvenStage, core_c: float | None, core: CoreTable, cook: Cook) -> str | None:
    if core_c is None or not stage.timer_s:
        return None
    hold_c = min(core_c, stage.temperature_c)
    needed_s = core.hold_s(hold_c)
    column_c = core.column_c(hold_c)
    if needed_s is None or column_c is None or stage.timer_s < needed_s:
        return None
    return (
        f"holds the core at {wording.temperature(hold_c, cook.unit)} or more for "
        f"{wording.duration(stage.timer_s)}, and the {core.citation} ({core.target}) needs "
        f"{wording.duration(needed_s)} at {cook.limit(column_c)}."
    )


def _core_after(stage: OvenStage, core_c: float | None) -> float | None:
    """The least the core is known to be when ``stage`` ends."""
    if stage.probe_c is not None:
        return stage.probe_c
    if stage.mode is OvenMode.WET and core_c is not None:
        return min(core_c, stage.temperature_c)
    return None
