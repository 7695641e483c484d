"""Cook events derived from consecutive states of one cooker (CONTRACT §5).

The cloud pushes states, not events; comparing the previous state with the
next one tells what happened. Kept pure so every transition is unit-tested.
Two events come from commands instead: ``command_refused`` and
``command_warnings`` carry a command's outcome to Home Assistant, which
reads no responses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bridge.anova.state import CookerPhase, CookerState
from bridge.mqtt.topics import EVENT_TYPES

__all__ = ["EVENT_TYPES", "CookEvent", "derive_events", "refused_event", "warnings_event"]


@dataclass(frozen=True)
class CookEvent:
    """One event to publish, with the cook it belongs to and its details."""

    name: str
    cook_id: str | None
    details: dict[str, Any] = field(default_factory=dict)


def _cook_id(state: CookerState | None) -> str | None:
    return state.cook.id if state is not None and state.cook is not None else None


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
        return [CookEvent("device_offline", _cook_id(previous))]
    if was_offline and not is_offline:
        return [CookEvent("device_online", _cook_id(current))]
    return []


def _cook_phases(previous: CookerState, current: CookerState) -> list[CookEvent]:
    cook_id = _cook_id(current) or _cook_id(previous)
    started = not previous.is_cooking and current.is_cooking
    replaced = (
        previous.is_cooking and current.is_cooking and _cook_id(previous) != _cook_id(current)
    )
    if started or (replaced and _cook_id(current) is not None):
        return [CookEvent("cook_started", _cook_id(current))]
    if previous.is_cooking and not current.is_cooking:
        return [CookEvent("cook_stopped", _cook_id(previous))]
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
    cook_id = _cook_id(current) or _cook_id(previous)
    raised = [CookEvent("alarm", cook_id, {"alarm": name}) for name in sorted(after - before)]
    cleared = [
        CookEvent("alarm_cleared", cook_id, {"alarm": name}) for name in sorted(before - after)
    ]
    return raised + cleared


def refused_event(
    state: CookerState | None,
    *,
    action: str,
    request_id: str | None,
    code: str,
    message: str,
    field: str | None,
) -> CookEvent:
    """A command that was refused or failed, with the same code and message as its response."""
    details = {"action": action, "request_id": request_id, "code": code, "field": field}
    return CookEvent("command_refused", _cook_id(state), {**details, "message": message})


def warnings_event(
    state: CookerState | None, *, action: str, request_id: str | None, warnings: list[str]
) -> CookEvent:
    """A command that ran, with what its response warned about (a food not given, say)."""
    details = {"action": action, "request_id": request_id, "warnings": warnings}
    return CookEvent("command_warnings", _cook_id(state), details)
