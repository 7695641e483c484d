"""What every kind's verbs share: the cloud call, the online check, the confirmation.

A verb set (:mod:`bridge.service.verbs`) carries out one kind's commands;
the parts that do not depend on the kind live here, once, so a cooker and
an oven report a round trip, refuse an offline device and warn about an
unconfirmed command in the same words.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bridge.anova.commands import CloudCommand
from bridge.errors import AnovaRejectedError, CommandError, ErrorCode
from bridge.kinds import KindRegistry
from bridge.safety.kind import SafetyRules
from bridge.service.contexts import CookContexts
from bridge.service.cookcontext import CookContext, bind
from bridge.service.cooker import CookerRecord
from bridge.settings import Settings

UNCONFIRMED = (
    "the cloud accepted the command but the device did not show it applied within {s:g} s; "
    "check that it is plugged in and on Wi-Fi"
)


class CommandOutcomeLike(Protocol):
    """What the Anova client returns for a command."""

    @property
    def confirmed(self) -> bool: ...


class CookerControl(Protocol):
    """The part of the Anova client the verbs drive: one entry for every cloud command."""

    async def execute(self, command: CloudCommand) -> CommandOutcomeLike: ...


@dataclass
class Executed:
    """The result a response is built from."""

    data: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    state_changed: bool = False


@dataclass
class VerbTools:
    """The cloud client, settings, cook contexts and clock every verb set uses.

    Attributes:
        control: the Anova client.
        settings: the bridge's settings.
        contexts: the running cooks' safety contexts, persisted.
        kinds: the device kinds, for each device's safety rules.
        on_round_trip: told how long each cloud round trip took.
        clock: the current time.
    """

    control: CookerControl
    settings: Settings
    contexts: CookContexts
    kinds: KindRegistry
    on_round_trip: Callable[[float], None]
    clock: Callable[[], datetime]

    def rules(self, cooker: CookerRecord) -> SafetyRules:
        """The safety rules of the device's kind."""
        return self.kinds.named(cooker.info.kind).safety

    async def cloud(self, command: CloudCommand) -> CommandOutcomeLike:
        """Run one cloud command, reporting how long the round trip took, even if it failed."""
        started = time.perf_counter()
        try:
            return await self.control.execute(command)
        finally:
            self.on_round_trip(time.perf_counter() - started)

    @staticmethod
    def require_online(cooker: CookerRecord) -> None:
        """Refuse a command for a device not heard from recently."""
        if not cooker.online:
            raise CommandError(
                ErrorCode.DEVICE_OFFLINE,
                f"{cooker.info.name} is offline: it has not been heard from recently, "
                "so the command was not sent.",
            )

    @staticmethod
    def refuse_busy(cooker: CookerRecord, *, replace: bool) -> None:
        """Refuse a start over a running cook unless it says ``replace``."""
        if cooker.cooking and not replace:
            raise CommandError(
                ErrorCode.DEVICE_BUSY,
                f"{cooker.info.name} is already cooking; stop it first or send "
                '"replace": true to start over.',
                field="action",
            )

    async def start_with(
        self, cooker: CookerRecord, context: CookContext, start: CloudCommand
    ) -> CommandOutcomeLike:
        """Send a start with its new cook context in place.

        The old context comes back only when the cloud refused the start. After
        a timeout the start may still have landed: the new context stays,
        waiting for its cook, and ends at the next idle state if it did not.
        """
        previous = cooker.context
        self.contexts.begin(cooker, context)
        with cooker.starting_cook():
            try:
                outcome = await self.cloud(start)
            except AnovaRejectedError:
                self.contexts.begin(cooker, previous)
                raise
        if cooker.state is not None:
            bind(context, cooker.state)
        self.contexts.save()
        return outcome

    def confirmation(self, outcome: CommandOutcomeLike) -> list[str]:
        """The warning for a command the device did not show applied; none when it did."""
        if outcome.confirmed:
            return []
        return [UNCONFIRMED.format(s=self.settings.anova.confirm_timeout)]


def not_for(cooker: CookerRecord, action: str) -> CommandError:
    """A command another kind's parser made reached this kind's verbs: a bug, said plainly."""
    return CommandError(
        ErrorCode.UNKNOWN_ACTION, f"{cooker.info.name} does not take the {action!r} action."
    )
