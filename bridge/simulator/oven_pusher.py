"""When the fake cloud pushes an oven's state, and to whom.

The ovens' cadence is documented (anova-oven-api.md §4: every 30 s idle,
every 2 s cooking), so unlike the cookers' real-time ``push_interval``
it runs on **simulated** time: a test that advances the clock 30 s sees
an idle oven's push, and one that does not sees none. On top, a push
goes out at once when something a client acts on changed (mode, stage,
timer, pending user action, processed commands, door, tank, probe), so a
command can be confirmed against the very next state. Only connections
that asked for ``APO`` hear ovens; a dead (bricked) oven pushes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from bridge.simulator.client import Client
from bridge.simulator.faults import SimFaults
from bridge.simulator.oven import SimOven
from bridge.simulator.oven_shapes import state_event
from bridge.simulator.precision_oven import ACCESSORY

IDLE_PUSH_S = 30.0
COOKING_PUSH_S = 2.0


@dataclass(frozen=True)
class _LastPush:
    signature: tuple[Any, ...]
    sim_time: float


class OvenPusher:
    """Sends ovens' ``EVENT_APO_STATE`` to every connection that asked for ovens.

    Args:
        clients: returns the clients currently connected.
        faults: read on every push for ``silent``.
    """

    def __init__(self, clients: Callable[[], Iterable[Client]], faults: SimFaults) -> None:
        self._clients = clients
        self._faults = faults
        self._last: dict[str, _LastPush] = {}

    def forget_all(self, ovens: Iterable[SimOven]) -> None:
        """Treat every oven as just pushed (nobody listened yet)."""
        for oven in ovens:
            self._last[oven.cooker_id] = _LastPush(oven.signature(), oven.now)

    def push(self, oven: SimOven) -> None:
        """Send the oven's current state now, unless nobody can hear it."""
        if not oven.plugged or self._faults.silent:
            return
        self._last[oven.cooker_id] = _LastPush(oven.signature(), oven.now)
        message = json.dumps(state_event(oven))
        for client in list(self._clients()):
            if ACCESSORY in client.accessories:
                client.send(message)

    def push_due(self, ovens: Iterable[SimOven]) -> None:
        """Push every oven whose state changed or whose cadence came round."""
        for oven in ovens:
            if self._due(oven):
                self.push(oven)

    def _due(self, oven: SimOven) -> bool:
        last = self._last.get(oven.cooker_id)
        if last is None or oven.signature() != last.signature:
            return True
        cadence = COOKING_PUSH_S if oven.cooking else IDLE_PUSH_S
        return oven.now - last.sim_time >= cadence
