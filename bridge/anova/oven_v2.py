"""What only a Precision Oven 2.0 (``state.version`` 2) reports differently.

v2 timers are an ``initial`` length and a ``startedAtTimestamp``: the time
left is counted against the push's own ``updatedTimestamp`` (the oven's
clock on both sides, as for gen 3 cookers). The fan speaks words, the lamp
is two lamps, and there are no preheat stages: a stage's ``entry``
conditions hold it until the cavity is hot.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bridge.anova import fields
from bridge.anova.fields import JsonObject
from bridge.anova.oven_model import StageKind, StageProgress
from bridge.anova.oven_nodes import ActiveStage, TimerReading, active_index, stages_of
from bridge.anova.state import CookInfo, TimerState

FAN_WORDS = {"off": 0, "min": 33, "mid": 66, "max": 100}
# [unsure] BRANW's 2024 schema says "complete", the 1.2.11 app "completed"
# (anova-oven-api.md §4); the doc's choice is "completed", and both are read.
COMPLETED = frozenset({"completed", "complete"})


def timer(nodes: JsonObject, updated: datetime) -> TimerReading:
    """``{mode, initial?, startedAtTimestamp?}``: remaining = initial − (updated − startedAt)."""
    node = fields.opt_obj(nodes, "timer")
    mode = (fields.opt_text(node, "mode") or "").lower()
    initial = fields.opt_int(node, "initial")
    started = fields.opt_timestamp(node, "startedAtTimestamp")
    ends_at = started + timedelta(seconds=initial) if started and initial is not None else None
    remaining: int | None = None
    if mode in COMPLETED:
        remaining = 0
    elif mode == "running" and ends_at is not None:
        remaining = max(0, round((ends_at - updated).total_seconds()))
    elif mode == "idle":
        remaining = initial
    # "paused" says nothing of the time elapsed: remaining stays unknown.
    state = TimerState(total_s=initial, remaining_s=remaining, running=mode == "running")
    return TimerReading(state, mode in COMPLETED, ends_at if mode == "running" else None)


def fan_speed(nodes: JsonObject) -> int | None:
    """``off``/``min``/``mid``/``max`` as 0/33/66/100 (a number is taken as it is)."""
    node = fields.opt_obj(nodes, "fan")
    word = fields.opt_text(node, "speed")
    if word is not None:
        return FAN_WORDS.get(word.lower())
    return fields.opt_int(node, "speed")


def lamp_on(nodes: JsonObject) -> bool | None:
    """On when either the door lamp or the cavity lamp is; None when neither is reported."""
    lamps = [
        fields.opt_bool(fields.opt_obj(nodes, key), "on") for key in ("doorLamp", "cavityLamp")
    ]
    known = [lamp for lamp in lamps if lamp is not None]
    return any(known) if known else None


def active_stage(cook: JsonObject) -> ActiveStage | None:
    """The active stage among the plan's stages (v2 has no preheat stages)."""
    stages = stages_of(cook)
    index = active_index(cook, stages)
    if index is None:
        return None
    progress = StageProgress(
        number=index + 1,
        count=len(stages),
        kind=StageKind.COOK,
        awaiting_user=fields.flag(cook, "stageTransitionPendingUserAction"),
    )
    return ActiveStage(progress)


def cook_info(cook: JsonObject, reading: TimerReading, updated: datetime) -> CookInfo:
    """The cook's id and ``startedTimestamp``; time cooked by the oven's own clock."""
    started = fields.opt_timestamp(cook, "startedTimestamp")
    elapsed = max(0, round((updated - started).total_seconds())) if started else None
    return CookInfo(
        id=fields.opt_text(cook, "cookId"),
        started_at=started,
        ends_at=reading.ends_at,
        in_water_s=elapsed,
    )
