"""Cook events derived from consecutive states of one cooker (CONTRACT §5).

The cloud pushes states, not events; comparing the previous state with the
next one tells what happened. Kept pure so every transition is unit-tested.
"""

from __future__ import annotations

from bridge.anova.state import CookerPhase, CookerState
from bridge.kinds.event import CookEvent, alarm_events, connectivity_events, cook_id_of


def derive_events(previous: CookerState | None, current: CookerState) -> list[CookEvent]:
    """What happened between ``previous`` and ``current`` (previous None: first sight)."""
    if previous is None:
        return []
    events = connectivity_events(previous, current)
    if current.phase is CookerPhase.OFFLINE or previous.phase is CookerPhase.OFFLINE:
        return events + alarm_events(previous, current)
    return events + _cook_phases(previous, current) + alarm_events(previous, current)


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
