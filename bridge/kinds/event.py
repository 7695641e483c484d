"""An event to publish on a device's ``<base>/<id>/event`` topic (CONTRACT §5).

Every kind derives its own events from its states (cookers and ovens report
different things), and the service adds the ones that come from commands;
all of them are this one value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bridge.anova.state import CookerPhase, CookerState


@dataclass(frozen=True)
class CookEvent:
    """One event to publish, with the cook it belongs to and its details."""

    name: str
    cook_id: str | None
    details: dict[str, Any] = field(default_factory=dict)


EventDeriver = Callable[[CookerState | None, CookerState], list[CookEvent]]
"""What happened between a device's previous state (None: first sight) and its next."""


def cook_id_of(state: CookerState | None) -> str | None:
    """The running cook's id, if the state has one."""
    return state.cook.id if state is not None and state.cook is not None else None


def connectivity_events(previous: CookerState, current: CookerState) -> list[CookEvent]:
    """``device_offline`` / ``device_online`` when the device went or came back."""
    was_offline = previous.phase is CookerPhase.OFFLINE
    is_offline = current.phase is CookerPhase.OFFLINE
    if is_offline and not was_offline:
        return [CookEvent("device_offline", cook_id_of(previous))]
    if was_offline and not is_offline:
        return [CookEvent("device_online", cook_id_of(current))]
    return []


def alarm_events(previous: CookerState, current: CookerState) -> list[CookEvent]:
    """``alarm`` for each alarm raised, ``alarm_cleared`` for each cleared."""
    before = set(previous.alarms.active())
    after = set(current.alarms.active())
    cook_id = cook_id_of(current) or cook_id_of(previous)
    raised = [CookEvent("alarm", cook_id, {"alarm": name}) for name in sorted(after - before)]
    cleared = [
        CookEvent("alarm_cleared", cook_id, {"alarm": name}) for name in sorted(before - after)
    ]
    return raised + cleared
