"""The service's verb sets: how each device kind's commands are carried out.

A verb set takes a parsed command and the device's record, applies the
kind's device-state and safety rules and calls the cloud. A kind names the
set it uses (:attr:`bridge.kinds.kind.DeviceKind.verbs`); this is the one
place a set is registered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from bridge.commands.vocabulary import DeviceCommand
from bridge.service.cooker import CookerRecord
from bridge.service.cooker_verbs import CookerVerbs
from bridge.service.oven_verbs import OvenVerbs
from bridge.service.verb_tools import Executed, VerbTools


class VerbSet(Protocol):
    """Carries out one kind's commands."""

    async def run(self, command: DeviceCommand, cooker: CookerRecord) -> Executed:
        """Carry out ``command`` on ``cooker``; raises the bridge's errors on refusal."""
        ...


VERB_SETS: dict[str, Callable[[VerbTools], VerbSet]] = {
    "sous_vide": CookerVerbs,
    "oven": OvenVerbs,
}
"""Each verb set by name, built once per executor from the shared tools."""
