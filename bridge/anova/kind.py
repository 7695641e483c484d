"""The cloud side of a device kind: which events it owns and how they read.

Anova serves every product line on one WebSocket; each line has its own
device-list and state events (``EVENT_APC_*`` for cookers, ``EVENT_APO_*``
for ovens) and its own state shapes. A :class:`CloudKind` names those
events and reads them, and :class:`CloudKinds` routes each event to the kind
that owns it, so the client never branches on a product line: an event no
kind owns is ignored, as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, Protocol

from bridge.anova.commands import CloudCommand, WireCommand
from bridge.anova.device import CookerInfo
from bridge.anova.state import CookerState


class StateReader(Protocol):
    """Reads one connection's state events of one kind; may keep what earlier pushes said."""

    def read(self, payload: Any, now: datetime) -> CookerState:
        """One state event's payload, typed.

        Raises:
            MalformedStateError: the payload cannot be read.
        """
        ...

    def keep_only(self, device_ids: set[str]) -> None:
        """Forget devices that left the device list."""
        ...


class CloudKind(Protocol):
    """One product line as the cloud speaks it."""

    @property
    def name(self) -> str:
        """The kind's stable name (``sous_vide``)."""
        ...

    @property
    def device_list_event(self) -> str:
        """The event that lists this kind's devices."""
        ...

    @property
    def state_event(self) -> str:
        """The event that carries one device's state."""
        ...

    def parse_devices(self, payload: Any) -> list[CookerInfo]:
        """Read a device-list payload.

        Raises:
            MalformedStateError: the payload is not a device list.
        """
        ...

    def state_reader(self) -> StateReader:
        """A fresh reader for one client's state events."""
        ...

    def to_wire(
        self, command: CloudCommand, device: CookerInfo, last: CookerState | None
    ) -> WireCommand:
        """The wire form of a command for one of this kind's devices, and its confirmation."""
        ...


class CloudKinds:
    """The kinds one client serves, by the events they own.

    Raises:
        ValueError: two kinds claim the same name or event.
    """

    def __init__(self, kinds: Iterable[CloudKind]) -> None:
        self._kinds = {kind.name: kind for kind in kinds}
        self._device_lists: dict[str, CloudKind] = {}
        self._states: dict[str, CloudKind] = {}
        for kind in self._kinds.values():
            _claim(self._device_lists, kind.device_list_event, kind)
            _claim(self._states, kind.state_event, kind)

    def __iter__(self) -> Iterator[CloudKind]:
        return iter(self._kinds.values())

    def named(self, name: str) -> CloudKind:
        """The kind called ``name``.

        Raises:
            KeyError: no such kind is served.
        """
        return self._kinds[name]

    def listing(self, event: str) -> CloudKind | None:
        """The kind whose device list ``event`` is, if any."""
        return self._device_lists.get(event)

    def reporting(self, event: str) -> CloudKind | None:
        """The kind whose state ``event`` is, if any."""
        return self._states.get(event)


def _claim(owners: dict[str, CloudKind], event: str, kind: CloudKind) -> None:
    if event in owners or event in {"RESPONSE"}:
        raise ValueError(f"event {event!r} is claimed twice (kind {kind.name!r})")
    owners[event] = kind
