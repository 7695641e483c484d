"""What the client tells the rest of the bridge, and the counters it keeps."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from bridge.anova.device import CookerInfo
from bridge.anova.state import CookerState


class AnovaListener(Protocol):
    """Receives the client's news; every call happens on the event loop thread.

    Callbacks should be quick and must not block: they run inside the
    client's read loop. An exception in a callback is logged and dropped so
    one bad consumer cannot take the cloud link down.
    """

    def on_connection_change(self, connected: bool) -> None:
        """The cloud socket opened (True) or closed (False)."""

    def on_devices(self, devices: list[CookerInfo]) -> None:
        """The cloud sent its device list (on every connect, and when it changes)."""

    def on_state(self, state: CookerState) -> None:
        """A cooker's new state: every parsed push, plus synthetic OFFLINE states."""


@dataclass
class ClientStats:
    """Counters for the health topic and /metrics."""

    reconnects: int = 0
    commands_sent: int = 0
    commands_failed: int = 0
    unconfirmed: int = 0
    last_seen: dict[str, datetime] = field(default_factory=dict)
