"""Commands that arrive before the bridge knows which cookers exist.

On connect, the broker at once delivers the QoS 1 commands that waited in
the bridge's persistent session, usually before the cloud has sent its device
list. Answering them ``UNKNOWN_DEVICE`` would lose commands the user rightly
expects to run, so they wait here, in arrival order, until the device list
arrives. If the cloud does not answer within ``hold_for`` seconds they are
answered ``ANOVA_UNAVAILABLE``: the user learns, and nothing runs late.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

from bridge.errors import CommandError, ErrorCode
from bridge.logs import get_logger
from bridge.mqtt.message import InboundMessage
from bridge.mqtt.topics import DeviceCommandTopic

log = get_logger("holding")
MAX_HELD = 1000

Held = tuple[DeviceCommandTopic, InboundMessage]


class HeldCommands(Protocol):
    """Where held commands go: the gate admits them, or answers them refused."""

    def release(self, route: DeviceCommandTopic, message: InboundMessage) -> None: ...
    def refuse(
        self, route: DeviceCommandTopic, message: InboundMessage, err: CommandError
    ) -> None: ...


class HoldingArea:
    """A bounded FIFO of early commands, released once or refused at a deadline."""

    def __init__(self, hold_for: float, gate: HeldCommands) -> None:
        self._hold_for = hold_for
        self._gate = gate
        self._held: list[Held] = []
        self._open = False
        self._deadline: asyncio.TimerHandle | None = None

    @property
    def is_open(self) -> bool:
        """True once the device list is known: commands pass straight through."""
        return self._open

    def offer(self, route: DeviceCommandTopic, message: InboundMessage) -> None:
        """Pass a command on, or hold it until the cookers are known."""
        if self._open:
            self._gate.release(route, message)
            return
        if len(self._held) >= MAX_HELD:
            self._gate.refuse(route, message, _unavailable("too many commands are already waiting"))
            return
        self._held.append((route, message))
        if self._deadline is None:
            loop = asyncio.get_running_loop()
            self._deadline = loop.call_later(self._hold_for, self._expire)

    def open(self) -> None:
        """The cookers are known: release everything held, in arrival order."""
        self._open = True
        self._cancel_deadline()
        held, self._held = self._held, []
        if held:
            log.info("early_commands_released", count=len(held))
        for route, message in held:
            self._gate.release(route, message)

    def _expire(self) -> None:
        self._deadline = None
        held, self._held = self._held, []
        # The cloud sent no device list in time.
        log.warning("early_commands_refused", count=len(held))
        for route, message in held:
            self._gate.refuse(route, message, _unavailable("the Anova cloud has not answered yet"))

    def _cancel_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None


def _unavailable(why: str) -> CommandError:
    return CommandError(
        ErrorCode.ANOVA_UNAVAILABLE,
        f"The command was not run: {why}, so the bridge does not know the cookers yet. "
        "Send it again once the bridge is online.",
    )
