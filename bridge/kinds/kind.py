"""What differs between Anova product lines, behind one interface.

A :class:`DeviceKind` gathers one product line's facets, each built in the
layer it belongs to: how the cloud speaks it (events, state shapes,
commands: :class:`bridge.anova.kind.CloudKind`) and the rules that keep
its food safe (:class:`bridge.safety.kind.SafetyRules`) and the Home
Assistant entities each device gets (:data:`bridge.hass.kind.EntitySet`),
and its retained state document (:class:`StateDocument`). Everything outside a
kind's own modules reaches these through a :class:`KindRegistry`, so adding
a product line adds its modules and one line in :mod:`bridge.kinds`, and
nothing else branches on the kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from bridge.anova.device import CookerInfo
from bridge.anova.kind import CloudKind
from bridge.anova.state import CookerState
from bridge.commands.vocabulary import CommandVocabulary
from bridge.contract import TemperatureUnit
from bridge.hass.kind import EntitySet
from bridge.kinds.event import EventDeriver
from bridge.safety.kind import SafetyRules


@dataclass(frozen=True)
class StateInputs:
    """What a kind's state document is written from: one device, as the service sees it.

    Attributes:
        info: the device from the device list.
        state: its latest normalised state, or None before the first one.
        unit: the configured publishing unit.
        online: cloud link up and device heard from recently.
        stored_target_c: setpoint kept for the next start while idle.
        stored_timer_s: timer kept for the next start while idle.
        food_type: what the running cook was started for, if the bridge knows.
        food: the food and thickness of the running cook, or while idle of
            the next one (what Home Assistant's food entities show).
        next_settings: what else the kind keeps for the next start (an oven's
            next stage); None for a kind that keeps nothing more.
    """

    info: CookerInfo
    state: CookerState | None
    unit: TemperatureUnit
    online: bool
    stored_target_c: float | None = None
    stored_timer_s: int | None = None
    food_type: str | None = None
    food: tuple[str | None, float | None] = (None, None)
    next_settings: BaseModel | None = None


StateDocument = Callable[[StateInputs], dict[str, Any]]
"""Writes one device's retained ``<base>/<id>/state`` document (CONTRACT §3)."""


@dataclass(frozen=True)
class DeviceKind:
    """One product line.

    Attributes:
        name: the stable name (``sous_vide``), shared by every facet.
        cloud: its events, state parsing and commands.
        safety: its device limits and food-safety rules.
        entities: its Home Assistant entity builders, by object id.
        state_document: writes its retained state document.
        commands: parses the commands sent to its devices.
        events: derives its events from consecutive states.
        verbs: the name of the service's verb set that carries out its
            commands (``bridge.service.verbs``; a kind may share another's).
    """

    name: str
    cloud: CloudKind
    safety: SafetyRules
    entities: EntitySet
    state_document: StateDocument
    commands: CommandVocabulary
    events: EventDeriver
    verbs: str

    def __post_init__(self) -> None:
        if self.cloud.name != self.name:
            raise ValueError(f"kind {self.name!r} has the cloud facet of {self.cloud.name!r}")


class KindRegistry:
    """The device kinds the bridge serves.

    Raises:
        ValueError: two kinds share a name.
    """

    def __init__(self, kinds: Iterable[DeviceKind]) -> None:
        self._kinds: dict[str, DeviceKind] = {}
        for kind in kinds:
            self.register(kind)

    def register(self, kind: DeviceKind) -> None:
        """Serve ``kind`` from now on: services built afterwards speak it.

        Raises:
            ValueError: a kind of that name is already registered.
        """
        if kind.name in self._kinds:
            raise ValueError(f"device kind {kind.name!r} is registered twice")
        self._kinds[kind.name] = kind

    def unregister(self, name: str) -> None:
        """Stop serving the kind called ``name`` (a test's own kind, say)."""
        self._kinds.pop(name, None)

    def __iter__(self) -> Iterator[DeviceKind]:
        return iter(self._kinds.values())

    def named(self, name: str) -> DeviceKind:
        """The kind called ``name``.

        Raises:
            KeyError: no such kind is registered.
        """
        return self._kinds[name]

    def cloud(self) -> list[CloudKind]:
        """Every kind's cloud facet, for the client."""
        return [kind.cloud for kind in self._kinds.values()]

    def entities(self) -> dict[str, EntitySet]:
        """Every kind's entity builders by kind name, for discovery."""
        return {kind.name: kind.entities for kind in self._kinds.values()}
