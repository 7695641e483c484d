"""The simulated device kinds: which events and commands each speaks on the socket.

The fake cloud serves every product line on one WebSocket, as the real one
does. Each :class:`SimKind` writes its own device list and state events and
takes the commands it owns; :class:`SimKinds` sends a command to its owner,
and a command no kind owns is "Unknown command type", as from the cloud.
Kept apart from :mod:`bridge.anova.kind` on purpose: the simulator shares
nothing with the client, so a misreading of the protocol in one shows up
as a failing test instead of being shared by both.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol

from bridge.simulator.commands import UNKNOWN, Envelope, Outcome
from bridge.simulator.precision_oven import SIM_PRECISION_OVEN
from bridge.simulator.sous_vide import SIM_SOUS_VIDE


class SimKind(Protocol):
    """One simulated product line on the wire.

    Devices are typed loosely (``Any``): each kind knows its own device
    class (:class:`~bridge.simulator.cooker.SimCooker`,
    :class:`~bridge.simulator.oven.SimOven`) and the server only hands a
    kind its own fleet.
    """

    @property
    def name(self) -> str:
        """The kind's name (``sous_vide``)."""
        ...

    @property
    def commands(self) -> frozenset[str]:
        """The command names it takes."""
        ...

    def device_list_event(self, devices: list[Any]) -> dict[str, Any]:
        """Its device-list event over ``devices``."""
        ...

    def greeting(self, devices: list[Any], accessories: frozenset[str]) -> list[dict[str, Any]]:
        """What a new connection that asked for ``accessories`` is sent, in order."""
        ...

    def state_event(self, device: Any) -> dict[str, Any]:
        """One device's state event, in its shape."""
        ...

    def execute(self, envelope: Envelope, devices: Mapping[str, Any]) -> Outcome:
        """Validate a command it owns and apply it to one of ``devices``."""
        ...


class SimKinds:
    """The kinds one simulator serves, by the commands they own.

    Raises:
        ValueError: two kinds share a name or a command.
    """

    def __init__(self, kinds: Iterable[SimKind]) -> None:
        self._kinds: dict[str, SimKind] = {}
        self._owners: dict[str, SimKind] = {}
        for kind in kinds:
            if kind.name in self._kinds:
                raise ValueError(f"simulated kind {kind.name!r} is registered twice")
            self._kinds[kind.name] = kind
            for command in kind.commands:
                if command in self._owners:
                    raise ValueError(f"command {command!r} is claimed twice")
                self._owners[command] = kind

    def __iter__(self) -> Iterator[SimKind]:
        return iter(self._kinds.values())

    def named(self, name: str) -> SimKind:
        """The kind called ``name``.

        Raises:
            KeyError: no such kind.
        """
        return self._kinds[name]

    def execute(self, envelope: Envelope, fleet: Mapping[str, Mapping[str, Any]]) -> Outcome:
        """Run a command by the kind that owns it, against that kind's devices."""
        kind = self._owners.get(envelope.command)
        if kind is None:
            return Outcome(error=UNKNOWN, request_id=envelope.request_id)
        return kind.execute(envelope, fleet.get(kind.name, {}))


SIM_KINDS = SimKinds([SIM_SOUS_VIDE, SIM_PRECISION_OVEN])
"""The simulated kinds the fake cloud serves: the one place one is registered."""
