"""The pipeline's executor: one validated command, carried out by its device's kind.

Each device kind names a verb set (:mod:`bridge.service.verbs`) that knows
its commands: the cookers' start/stop/setpoint/timer/unit/food, the ovens'
plans. The executor picks the set by the device's kind, runs the command,
and answers only once what the command changed in the cook's context is on
disk.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bridge.commands.vocabulary import DeviceCommand
from bridge.kinds import KINDS, KindRegistry
from bridge.service.contexts import CookContexts
from bridge.service.cooker import CookerRecord
from bridge.service.payloads import utc_now
from bridge.service.verb_tools import (
    UNCONFIRMED,
    CommandOutcomeLike,
    CookerControl,
    Executed,
    VerbTools,
)
from bridge.service.verbs import VERB_SETS, VerbSet
from bridge.settings import Settings

__all__ = [
    "UNCONFIRMED",
    "CommandExecutor",
    "CommandOutcomeLike",
    "CookerControl",
    "Executed",
]


class CommandExecutor:
    """Runs commands against the cloud by the verbs of each device's kind."""

    def __init__(
        self,
        control: CookerControl,
        settings: Settings,
        contexts: CookContexts,
        *,
        on_round_trip: Callable[[float], None] = lambda _seconds: None,
        clock: Callable[[], datetime] = utc_now,
        kinds: KindRegistry = KINDS,
    ) -> None:
        tools = VerbTools(control, settings, contexts, kinds, on_round_trip, clock)
        self._kinds = kinds
        self._contexts = contexts
        self._verbs: dict[str, VerbSet] = {name: make(tools) for name, make in VERB_SETS.items()}

    async def execute(self, command: DeviceCommand, cooker: CookerRecord) -> Executed:
        """Carry out ``command`` on ``cooker``; raises the bridge's errors on refusal.

        It returns (and so is answered) only once what it changed in the
        cook's context is on disk.
        """
        verbs = self._verbs[self._kinds.named(cooker.info.kind).verbs]
        try:
            return await verbs.run(command, cooker)
        finally:
            await self._contexts.flushed()
