"""When the fake cloud pushes a cooker's state, and to whom.

The real cloud's cadence is not well documented (anova-api.md: about every
2 s while active, maybe nothing while idle), so the simulator picks one
plausible rule and sticks to it: push at once when something a client
acts on changed (phase, setpoint, unit, timer, alarms, processed
commands); every ``push_interval`` real seconds while cooking; and for an
idle cooker only when its water drifted by a degree. An unplugged cooker
and a silent cloud push nothing.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from bridge.simulator.client import Client
from bridge.simulator.cooker import IDLE_PUSH_DRIFT_C, SimCooker
from bridge.simulator.faults import SimFaults


@dataclass(frozen=True)
class _LastPush:
    signature: tuple[Any, ...]
    real_time: float
    water_c: float


class StatePusher:
    """Sends each device's state event (its kind's shape) to every connected client.

    Args:
        clients: returns the clients currently connected.
        faults: read on every push for ``silent``.
        push_interval: real seconds between pushes of a cooking cooker.
        state_event: a device's state event, as its kind writes it.
    """

    def __init__(
        self,
        clients: Callable[[], Iterable[Client]],
        faults: SimFaults,
        push_interval: float,
        state_event: Callable[[SimCooker], dict[str, Any]],
    ) -> None:
        self._clients = clients
        self._state_event = state_event
        self._faults = faults
        self.push_interval = push_interval
        self._last: dict[str, _LastPush] = {}

    def forget_all(self, cookers: Iterable[SimCooker]) -> None:
        """Treat every cooker as just pushed (nobody listened yet; nothing is news)."""
        for cooker in cookers:
            self._remember(cooker)

    def push(self, cooker: SimCooker) -> None:
        """Send the cooker's current state now, unless nobody can hear it."""
        if not cooker.plugged or self._faults.silent:
            return
        self._remember(cooker)
        message = json.dumps(self._state_event(cooker))
        for client in list(self._clients()):
            client.send(message)

    def push_due(self, cookers: Iterable[SimCooker], *, cooking_now: bool = False) -> None:
        """Push the cookers that are due; ``cooking_now`` forces every cooking one."""
        real_now = time.monotonic()
        for cooker in cookers:
            if (cooking_now and cooker.cooking) or self._due(cooker, real_now):
                self.push(cooker)

    def _due(self, cooker: SimCooker, real_now: float) -> bool:
        last = self._last.get(cooker.cooker_id)
        if last is None or cooker.signature() != last.signature:
            return True
        if cooker.cooking:
            return real_now - last.real_time >= self.push_interval
        return abs(cooker.water_c - last.water_c) >= IDLE_PUSH_DRIFT_C

    def _remember(self, cooker: SimCooker) -> None:
        self._last[cooker.cooker_id] = _LastPush(
            cooker.signature(), time.monotonic(), cooker.water_c
        )
