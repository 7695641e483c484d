"""Cook events derived from consecutive states of one cooker (CONTRACT §5).

The cloud pushes states, not events; comparing the previous state with the
next one tells what happened. Kept pure so every transition is unit-tested.
"""

from __future__ import annotations

from bridge.anova.state import CookerPhase, CookerState
from bridge.kinds.event import CookEvent, cook_id_of


def derive_events(previous: CookerState | None, current: CookerState) -> list[CookEvent]:
    """What happened between ``previous`` and ``current`` (previous None: first sight)."""
    if previous is None:
        return []
    events = _connectivity(previous, current)
    if current.phase is CookerPhase.OFFLINE or previous.phase is CookerPhase.OFFLINE:
        return events + _alarms(previous, current)
    return events + _cook_phases(previous, current) + _alarms(previous, current)


def _connectivity(previous: CookerState, current: CookerState) -> list[CookEvent]:
    was_offline = previous.phase is CookerPhase.OFFLINE
    is_offline = current.phase is CookerPhase.OFFLINE
    if is_offline and not was_offline:
        return [CookEvent("device_offline", cook_id_of(previous))]
    if was_offline and not is_offline:
        return [CookEvent("device_online", cook_id_of(current))]
    return []


def _cook_phases(previous: CookerState, current: CookerState) -> list[CookEvent]:
    cook_id = cook_id_of(current) or cook_id_of(previous)
    started = not previous.is_cooking and current.is_cooking
    replaced = (
        previous.is_cooking and current.is_cooking and cook_id_of(previous) != cook_id_of(current)
    )
    if started or (replaced and cook_id_of(current) is not None):
        return [CookEvent("cook_started", cook_id_of(current))]
    if previous.is_cooking and not current.is_cooking:
        return [CookEvent("cook_stopped", cook_id_of(previous))]
    if previous.phase is CookerPhase.PREHEATING and current.phase in {
        CookerPhase.COOKING,
        CookerPhase.MAINTAINING,
    }:
        extra = (
            [CookEvent("cook_complete", cook_id)]
            if current.phase is CookerPhase.MAINTAINING
            else []
        )
        return [CookEvent("preheat_complete", cook_id), *extra]
    if previous.phase is CookerPhase.COOKING and current.phase is CookerPhase.MAINTAINING:
        return [CookEvent("cook_complete", cook_id)]
    return []


def _alarms(previous: CookerState, current: CookerState) -> list[CookEvent]:
    before = set(previous.alarms.active())
    after = set(current.alarms.active())
    cook_id = cook_id_of(current) or cook_id_of(previous)
    raised = [CookEvent("alarm", cook_id, {"alarm": name}) for name in sorted(after - before)]
    cleared = [
        CookEvent("alarm_cleared", cook_id, {"alarm": name}) for name in sorted(before - after)
    ]
    return raised + cleared
