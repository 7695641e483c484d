"""The events the service publishes for a device (CONTRACT §5).

Each device kind derives its own from consecutive states (the cookers':
:func:`bridge.kinds.sous_vide.events.derive_events`). Two come from commands
instead, for every kind: ``command_refused`` and
``command_warnings`` carry a command's outcome to Home Assistant, which
reads no responses.
"""

from __future__ import annotations

from bridge.anova.state import CookerState
from bridge.contract import EVENT_TYPES
from bridge.kinds.event import CookEvent, cook_id_of
from bridge.kinds.sous_vide.events import derive_events

__all__ = ["EVENT_TYPES", "CookEvent", "derive_events", "refused_event", "warnings_event"]


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
    return CookEvent("command_refused", cook_id_of(state), {**details, "message": message})


def warnings_event(
    state: CookerState | None, *, action: str, request_id: str | None, warnings: list[str]
) -> CookEvent:
    """A command that ran, with what its response warned about (a food not given, say)."""
    details = {"action": action, "request_id": request_id, "warnings": warnings}
    return CookEvent("command_warnings", cook_id_of(state), details)
