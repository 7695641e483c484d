"""An :class:`OvenPlan` as a Precision Oven 2.0 start (``anova-oven-api.md`` §3.2).

A v2 oven has no preheat stage and no °F: each user stage is one stage
whose ``entry`` conditions hold it until the bulb is hot (and, with a
probe, until the probe is plugged in), whose ``do`` says how to heat, and
whose ``exit`` conditions end it (timer completed, probe at target, or
nothing: run until stopped). The timer's own ``entry`` says when it
starts: a copy of the stage's entry (when preheated), ``userAction``
(manual), or none (immediately). Conditions are the app's paths (DECOMP
§4.3–4.4).
"""

from __future__ import annotations

from typing import Any

from bridge.anova.oven_model import OVEN_V2, OvenPlan, OvenStage, TimerStart
from bridge.anova.oven_stage_parts import (
    IdSource,
    bulb,
    check_ending,
    fan_speed,
    heating_elements,
    heats_first,
    steam_generators,
    temperature,
)

STAGE_ID_PREFIX = "android-"  # as the app's stage ids (BOGD#4)
ORIGIN = "api"
COOKABLE = "manual"
# [unsure] no source shows an entry without conditions; the app's "none" for an
# exit is an empty "and" (run until stopped), and the same form is sent here.
NO_CONDITIONS: dict[str, Any] = {"and": {}}
USER_ACTION: dict[str, Any] = {"and": {"userAction": {"=": True}}}
TIMER_DONE: dict[str, Any] = {"and": {"nodes.timer.mode": {"=": "completed"}}}


def v2_start(plan: OvenPlan, cooker_id: str, cook_id: str, ids: IdSource) -> dict[str, Any]:
    """The inner payload of ``CMD_APO_START`` for a v2 oven.

    Raises:
        CommandError: a stage is not one the oven can run (see :func:`check_ending`).
    """
    stages: list[dict[str, Any]] = []
    for number, stage in enumerate(plan.stages, start=1):
        check_ending(stage, number)
        stages.append(_stage(stage, STAGE_ID_PREFIX + ids()))
    return {
        "cookerId": cooker_id,
        "type": OVEN_V2,  # [unsure] DEV-OVEN says "v2"; every capture says "oven_v2"
        "originSource": ORIGIN,
        "cookableType": COOKABLE,
        "cookId": cook_id,
        "cookableId": "",
        "title": "",
        "stages": stages,
    }


def _stage(stage: OvenStage, stage_id: str) -> dict[str, Any]:
    wire: dict[str, Any] = {
        "id": stage_id,
        "title": stage.title or "",
        "description": "",
        "entry": {"conditions": _entry(stage)},
        "do": _do(stage),
        "exit": {"conditions": _exit(stage)},
    }
    if stage.rack_position is not None:
        wire["rackPosition"] = stage.rack_position
    return wire


def _do(stage: OvenStage) -> dict[str, Any]:
    name = bulb(stage)
    do: dict[str, Any] = {
        "type": "cook",
        "fan": {"speed": fan_speed(stage)},
        "heatingElements": heating_elements(stage),
        "exhaustVent": {"state": "closed"},
        "temperatureBulbs": {
            "mode": name,
            name: {"setpoint": {"celsius": temperature(stage.temperature_c)}},
        },
    }
    steam = steam_generators(stage)
    if steam is not None:
        do["steamGenerators"] = steam
    if stage.timer_s is not None:
        do["timer"] = _timer(stage)
    if stage.probe_c is not None:
        do["temperatureProbe"] = {"setpoint": {"celsius": temperature(stage.probe_c)}}
    return do


def _entry(stage: OvenStage) -> dict[str, Any]:
    """The preheat gate: the bulb at its setpoint, and the probe plugged in if the stage has one."""
    if not heats_first(stage):
        return NO_CONDITIONS
    path = f"nodes.temperatureBulbs.{bulb(stage)}.current.celsius"
    gate: dict[str, Any] = {path: {">=": temperature(stage.temperature_c)}}
    if stage.probe_c is not None:
        gate["nodes.temperatureProbe.connected"] = {"=": True}
    return {"and": gate}


def _exit(stage: OvenStage) -> dict[str, Any]:
    if stage.timer_s is not None:
        return TIMER_DONE
    if stage.probe_c is not None:
        path = "nodes.temperatureProbe.current.celsius"
        return {"and": {path: {">=": temperature(stage.probe_c)}}}
    return NO_CONDITIONS


def _timer(stage: OvenStage) -> dict[str, Any]:
    """``{initial, entry?}``: when preheated, the stage's entry; manual, a user action."""
    timer: dict[str, Any] = {"initial": int(stage.timer_s or 0)}
    if stage.timer_start is TimerStart.MANUAL:
        timer["entry"] = {"conditions": USER_ACTION}
    elif stage.timer_start is TimerStart.WHEN_PREHEATED and heats_first(stage):
        timer["entry"] = {"conditions": _entry(stage)}
    return timer
