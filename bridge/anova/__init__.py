"""Talks to the Anova cloud and knows its shapes.

Nothing outside this package sees cloud JSON: events become
:class:`~bridge.anova.state.CookerState` and :class:`~bridge.anova.device.CookerInfo`.
The entry point is :class:`~bridge.anova.client.AnovaClient`; see
docs/anova-cloud.md.
"""

from bridge.anova.client import AnovaClient
from bridge.anova.commands import (
    CloudCommand,
    CommandOutcome,
    SetTarget,
    SetTimer,
    SetUnit,
    StartCook,
    StopCook,
    WireCommand,
)
from bridge.anova.listener import AnovaListener, ClientStats

__all__ = [
    "AnovaClient",
    "AnovaListener",
    "ClientStats",
    "CloudCommand",
    "CommandOutcome",
    "SetTarget",
    "SetTimer",
    "SetUnit",
    "StartCook",
    "StopCook",
    "WireCommand",
]
