"""What differs between Anova product lines, behind one interface.

A :class:`DeviceKind` gathers one product line's facets, each built in the
layer it belongs to: how the cloud speaks it (events, state shapes,
commands: :class:`bridge.anova.kind.CloudKind`) and the rules that keep
its food safe (:class:`bridge.safety.kind.SafetyRules`). Everything outside a
kind's own modules reaches these through a :class:`KindRegistry`, so adding
a product line adds its modules and one line in :mod:`bridge.kinds`, and
nothing else branches on the kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bridge.anova.kind import CloudKind
from bridge.safety.kind import SafetyRules


@dataclass(frozen=True)
class DeviceKind:
    """One product line.

    Attributes:
        name: the stable name (``sous_vide``), shared by every facet.
        cloud: its events, state parsing and commands.
        safety: its device limits and food-safety rules.
    """

    name: str
    cloud: CloudKind
    safety: SafetyRules

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
            if kind.name in self._kinds:
                raise ValueError(f"device kind {kind.name!r} is registered twice")
            self._kinds[kind.name] = kind

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
