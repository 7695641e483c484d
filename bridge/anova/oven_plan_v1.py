"""An :class:`OvenPlan` as a Precision Oven 1.0 start (``anova-oven-api.md`` §3.1).

The v1 oven preheats in a stage of its own. Each user stage becomes a cook
stage, preceded by a preheat stage ``<cookStageId>-preheat`` when it wants
one, exactly as the official app pairs them (AK): a v1 oven silently drops
multi-stage plans whose preheats are not paired that way, and any plan with
a preheat before a wet stage, so a wet stage never gets one. The timer start
is a layout: *immediately* = the cook stage alone; *when preheated* =
preheat + cook with the timer; *manual* = both with ``userActionRequired``.
Every temperature carries both units; which one the oven believes when they
disagree is unknown [unsure], so they are always sent in agreement.
"""

from __future__ import annotations

from typing import Any

from bridge.anova.oven_model import OvenMode, OvenPlan, OvenStage, TimerStart
from bridge.anova.oven_stage_parts import (
    IdSource,
    bulb,
    check_ending,
    fahrenheit,
    fan_speed,
    heating_elements,
    heats_first,
    steam_generators,
    temperature,
)

PREHEAT_SUFFIX = "-preheat"


def v1_start(plan: OvenPlan, cook_id: str, ids: IdSource) -> dict[str, Any]:
    """The inner payload of ``CMD_APO_START`` for a v1 oven: ``{cookId, stages}``.

    Raises:
        CommandError: a stage is not one the oven can run (see :func:`check_ending`).
    """
    stages: list[dict[str, Any]] = []
    for number, stage in enumerate(plan.stages, start=1):
        check_ending(stage, number)
        stages.extend(_stages_for(stage, ids()))
    return {"cookId": cook_id, "stages": stages}


def _stages_for(stage: OvenStage, stage_id: str) -> list[dict[str, Any]]:
    """The wire stages of one user stage: its cook stage, a preheat stage before it if wanted."""
    manual = stage.timer_s is not None and stage.timer_start is TimerStart.MANUAL
    cook = _cook_stage(stage, stage_id, manual)
    if stage.mode is OvenMode.WET or not heats_first(stage):
        return [cook]
    preheat = _common(stage, stage_id + PREHEAT_SUFFIX, "preheat", manual)
    return [preheat, cook]


def _cook_stage(stage: OvenStage, stage_id: str, manual: bool) -> dict[str, Any]:
    wire = _common(stage, stage_id, "cook", manual)
    wire["timerAdded"] = stage.timer_s is not None
    wire["probeAdded"] = stage.probe_c is not None
    if stage.timer_s is not None:
        wire["timer"] = {"initial": int(stage.timer_s)}
    if stage.probe_c is not None:
        wire["temperatureProbe"] = {"setpoint": _both_units(stage.probe_c)}
    return wire


def _common(stage: OvenStage, stage_id: str, kind: str, manual: bool) -> dict[str, Any]:
    """What a preheat stage and its cook stage share."""
    name = bulb(stage)
    wire: dict[str, Any] = {
        "stepType": "stage",
        "id": stage_id,
        "type": kind,
        "userActionRequired": manual,
        "temperatureBulbs": {"mode": name, name: {"setpoint": _both_units(stage.temperature_c)}},
        "heatingElements": heating_elements(stage),
        "fan": {"speed": fan_speed(stage)},
        "vent": {"open": False},
    }
    if stage.rack_position is not None:
        wire["rackPosition"] = stage.rack_position
    steam = steam_generators(stage)
    if steam is not None:
        wire["steamGenerators"] = steam
    if stage.title:
        wire["title"] = stage.title
    return wire


def _both_units(celsius: float) -> dict[str, float | int]:
    return {"celsius": temperature(celsius), "fahrenheit": fahrenheit(celsius)}
