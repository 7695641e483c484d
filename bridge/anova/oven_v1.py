"""What only a Precision Oven 1.0 (``state.version`` 1) reports differently.

v1 timers count *up*: ``timer.current`` is the seconds elapsed of
``timer.initial``. Preheating is a stage of its own (``type: preheat``)
in ``cook.stages``, which the user sees as part of the stage it heats for,
so stages are numbered with each preheat counted together with the cook
stage after it (the official app names it ``<cookStageId>-preheat``;
other clients use unrelated ids, so the pairing goes by position). The
cook has no start timestamp: it is ``secondsElapsed`` before the push.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bridge.anova import fields
from bridge.anova.fields import JsonObject
from bridge.anova.oven_model import StageKind, StageProgress
from bridge.anova.oven_nodes import ActiveStage, TimerReading, active_index, stages_of
from bridge.anova.state import CookInfo, TimerState

PREHEAT = "preheat"


def timer(nodes: JsonObject, updated: datetime) -> TimerReading:
    """``{mode, initial, current}``: remaining = initial − current.

    v1 has no ``completed`` mode in its schema; a timer that is not idle and
    whose ``current`` reached a non-zero ``initial`` has run out too (an idle
    timer keeps the last cook's numbers).
    """
    node = fields.opt_obj(nodes, "timer")
    mode = (fields.opt_text(node, "mode") or "").lower()
    initial = fields.opt_int(node, "initial")
    current = fields.opt_int(node, "current")
    remaining = None if initial is None or current is None else max(0, initial - current)
    done = mode == "completed" or (mode != "idle" and bool(initial) and remaining == 0)
    running = mode == "running"
    ends_at = updated + timedelta(seconds=remaining) if running and remaining is not None else None
    state = TimerState(total_s=initial, remaining_s=0 if done else remaining, running=running)
    return TimerReading(state, done, ends_at)


def fan_speed(nodes: JsonObject) -> int | None:
    """The fan's speed, 0–100."""
    return fields.opt_int(fields.opt_obj(nodes, "fan"), "speed")


def lamp_on(nodes: JsonObject) -> bool | None:
    """The one lamp, ``lamp.on``."""
    return fields.opt_bool(fields.opt_obj(nodes, "lamp"), "on")


def active_stage(cook: JsonObject) -> ActiveStage | None:
    """The active stage, numbered among the user's stages; a preheat counts with its cook stage.

    A cook stage right after a preheat stage is preheated: the oven leaves
    a preheat stage only once the bulb is at its setpoint.
    """
    stages = stages_of(cook)
    index = active_index(cook, stages)
    if index is None:
        return None
    numbers = _user_numbers(stages)
    preheat = _is_preheat(stages[index])
    after_preheat = not preheat and index > 0 and _is_preheat(stages[index - 1])
    progress = StageProgress(
        number=numbers[index],
        count=numbers[-1],
        kind=StageKind.PREHEAT if preheat else StageKind.COOK,
        awaiting_user=fields.flag(cook, "stageTransitionPendingUserAction"),
    )
    return ActiveStage(progress, preheat_done=after_preheat)


def _user_numbers(stages: list[JsonObject]) -> list[int]:
    """Each stage's 1-based user stage number; a preheat shares its next stage's."""
    numbers: list[int] = []
    number = 0
    for index, stage in enumerate(stages):
        paired = index > 0 and _is_preheat(stages[index - 1]) and not _is_preheat(stage)
        if not paired:
            number += 1
        numbers.append(number)
    return numbers


def _is_preheat(stage: JsonObject) -> bool:
    return (fields.opt_text(stage, "type") or "").lower() == PREHEAT


def cook_info(cook: JsonObject, reading: TimerReading, updated: datetime) -> CookInfo:
    """The cook's id; its start is ``secondsElapsed`` before this push."""
    elapsed = fields.opt_int(cook, "secondsElapsed")
    started = updated - timedelta(seconds=elapsed) if elapsed is not None else None
    return CookInfo(
        id=fields.opt_text(cook, "cookId"),
        started_at=started,
        ends_at=reading.ends_at,
        in_water_s=elapsed,
    )
