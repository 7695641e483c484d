"""An event to publish on a device's ``<base>/<id>/event`` topic (CONTRACT §5).

Every kind derives its own events from its states (cookers and ovens report
different things), and the service adds the ones that come from commands;
all of them are this one value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bridge.anova.state import CookerState


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
