"""Oven events derived from consecutive states (docs/mqtt.md, "Oven events").

An oven reports its plan's progress, not events: the active stage, whether
its bulb has reached the setpoint, its timer, the probe, the door and the
water tank. Comparing one state with the next says what happened. The
oven pushes a state every 2 s while cooking, so a stage that ends between
two pushes (or while the bridge was away) is recognised by where the
previous push left it: its timer due to run out by the time of the next
push (within :data:`END_SLACK_S`), or the probe within :data:`PROBE_SLACK_C`
of its target.
"""

from __future__ import annotations

from datetime import timedelta

from bridge.anova.oven_model import OvenState
from bridge.anova.state import CookerPhase, CookerState
from bridge.kinds.event import CookEvent, alarm_events, connectivity_events, cook_id_of

END_SLACK_S = 5
"""A timer this close to its end when the stage moved on is taken to have run out."""
SLACK = timedelta(seconds=END_SLACK_S)
PROBE_SLACK_C = 1.0
"""A probe this close to its target when the stage moved on is taken to have reached it."""


def oven_events(previous: CookerState | None, current: CookerState) -> list[CookEvent]:
    """What happened between ``previous`` and ``current`` (previous None: first sight)."""
    if previous is None:
        return []
    events = connectivity_events(previous, current)
    offline = CookerPhase.OFFLINE in {previous.phase, current.phase}
    if offline or not isinstance(previous, OvenState) or not isinstance(current, OvenState):
        return events + alarm_events(previous, current)
    return (
        events
        + _cook(previous, current)
        + _cavity(previous, current)
        + alarm_events(previous, current)
    )


def _cook(previous: OvenState, current: OvenState) -> list[CookEvent]:
    before, after = cook_id_of(previous), cook_id_of(current)
    if not previous.is_cooking and current.is_cooking:
        return [CookEvent("cook_started", after)]
    if previous.is_cooking and current.is_cooking and before != after and after is not None:
        return [*_stage_end(previous, current, before), CookEvent("cook_started", after)]
    if previous.is_cooking and not current.is_cooking:
        ended = _stage_end(previous, current, before)
        last = previous.stage is None or previous.stage.number >= previous.stage.count
        finished = bool(ended) and last
        return [*ended, CookEvent("cook_complete" if finished else "cook_stopped", before)]
    if not current.is_cooking:
        return []
    return _progress(previous, current, after)


def _progress(previous: OvenState, current: OvenState, cook_id: str | None) -> list[CookEvent]:
    """Events within one running cook: preheated, timer, probe, next stage."""
    events: list[CookEvent] = []
    moved_on = _stage_number(previous) != _stage_number(current)
    if moved_on:
        events += _stage_end(previous, current, cook_id)
        stage = current.stage
        details = {"stage": stage.number, "count": stage.count} if stage else {}
        events.append(CookEvent("stage_started", cook_id, details))
    if current.preheated and (moved_on or not previous.preheated):
        events.append(CookEvent("preheat_complete", cook_id, _stage_details(current)))
    if not moved_on:
        if current.timer_done and not previous.timer_done:
            events.append(CookEvent("timer_done", cook_id, _stage_details(current)))
        if _probe_reached(current) and not _probe_reached(previous):
            events.append(CookEvent("probe_target_reached", cook_id, _stage_details(current)))
    return events


def _stage_end(previous: OvenState, current: OvenState, cook_id: str | None) -> list[CookEvent]:
    """The reason the previous push's stage ended, if it shows one."""
    if _timer_ran_out(previous, current):
        return [CookEvent("timer_done", cook_id, _stage_details(previous))]
    target, core = previous.probe.target_c, previous.probe.current_c
    if target is not None and core is not None and target > core >= target - PROBE_SLACK_C:
        return [CookEvent("probe_target_reached", cook_id, _stage_details(previous))]
    return []  # stopped early, or its end was announced when it happened


def _timer_ran_out(previous: OvenState, current: OvenState) -> bool:
    """The previous push's timer was due to end by the time of the current one."""
    timer = previous.timer
    if previous.timer_done or not timer.running:
        return False
    if (timer.remaining_s or 0) <= END_SLACK_S:
        return True
    ends_at = previous.cook.ends_at if previous.cook is not None else None
    now = current.updated_at
    return ends_at is not None and now is not None and now >= ends_at - SLACK


def _cavity(previous: OvenState, current: OvenState) -> list[CookEvent]:
    """Door and water tank, cooking or not."""
    cook_id = cook_id_of(current) or cook_id_of(previous)
    events: list[CookEvent] = []
    if previous.door_closed is True and current.door_closed is False:
        events.append(CookEvent("door_opened", cook_id))
    if previous.door_closed is False and current.door_closed is True:
        events.append(CookEvent("door_closed", cook_id))
    if not previous.water_tank.empty and current.water_tank.empty:
        events.append(CookEvent("water_tank_empty", cook_id))
    if previous.water_tank.empty and not current.water_tank.empty:
        events.append(CookEvent("water_tank_refilled", cook_id))
    return events


def _stage_number(state: OvenState) -> int | None:
    return state.stage.number if state.stage is not None else None


def _stage_details(state: OvenState) -> dict[str, object]:
    stage = state.stage
    return {"stage": stage.number, "count": stage.count} if stage is not None else {}


def _probe_reached(state: OvenState) -> bool:
    probe = state.probe
    return (
        probe.target_c is not None
        and probe.current_c is not None
        and probe.current_c >= probe.target_c
    )
