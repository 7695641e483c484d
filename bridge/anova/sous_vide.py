"""Sous-vide cookers as a cloud kind: the ``EVENT_APC_*`` events and ``CMD_APC_*`` commands.

The three state shapes (gen 2, a3, gen 3) are read by :mod:`bridge.anova.parsing`;
a3 cookers push partial states, so each client's reader completes them with
what the cooker said before (:mod:`bridge.anova.partial`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bridge.anova import commands, parsing
from bridge.anova.commands import CloudCommand, WireCommand
from bridge.anova.device import FIRST_KIND, CookerInfo
from bridge.anova.kind import StateReader
from bridge.anova.partial import PartialStates
from bridge.anova.state import CookerState
from bridge.errors import CommandError, ErrorCode

NAME = FIRST_KIND
DEVICE_LIST = "EVENT_APC_WIFI_LIST"
STATE = "EVENT_APC_STATE"


class _CookerStates:
    """One client's cooker states, a3 pushes completed from the last one."""

    def __init__(self) -> None:
        self._partial = PartialStates()

    def read(self, payload: Any, now: datetime) -> CookerState:
        return parsing.parse_state(self._partial.complete(payload), now)

    def keep_only(self, device_ids: set[str]) -> None:
        self._partial.keep_only(device_ids)


class SousVideCloud:
    """The cookers' events, state shapes and commands."""

    name = NAME
    device_list_event = DEVICE_LIST
    state_event = STATE

    def parse_devices(self, payload: Any) -> list[CookerInfo]:
        """Read ``EVENT_APC_WIFI_LIST``."""
        return parsing.parse_devices(payload)

    def state_reader(self) -> StateReader:
        """A reader that completes a3 partial states."""
        return _CookerStates()

    def to_wire(
        self, command: CloudCommand, device: CookerInfo, last: CookerState | None
    ) -> WireCommand:
        """One of the five ``CMD_APC_*`` commands; an oven plan is not one of them."""
        if isinstance(command, commands.StartOvenCook):
            raise CommandError(
                ErrorCode.UNKNOWN_ACTION,
                f"{device.name} is a sous-vide cooker: it cannot run an oven plan.",
            )
        return commands.to_wire(command, device, last)


SOUS_VIDE_CLOUD = SousVideCloud()
