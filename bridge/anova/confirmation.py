"""Waiting for a cooker's state to show that a command took effect.

The cloud acknowledges commands it then ignores (a wrong ``type``, a target
change on an idle cooker), so an ``ok`` proves nothing. Every command
therefore registers a predicate here *before* it is sent, and each parsed
state is offered to the waiters of its cooker until one matches or the
confirmation deadline passes. Waiters survive reconnects: the state that
confirms a command often arrives on the next socket, after a 1005 close.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from bridge.anova.state import CookerState

Applied = Callable[[CookerState], bool]


@dataclass(eq=False)
class Waiter:
    """One command waiting for a matching state of one cooker."""

    cooker_id: str
    applied: Applied
    future: asyncio.Future[CookerState] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class StateWaiters:
    """The open confirmations, offered every state as it arrives."""

    def __init__(self) -> None:
        self._waiters: list[Waiter] = []

    def add(self, cooker_id: str, applied: Applied) -> Waiter:
        """Start watching for a state of ``cooker_id`` for which ``applied`` holds."""
        waiter = Waiter(cooker_id, applied)
        self._waiters.append(waiter)
        return waiter

    def remove(self, waiter: Waiter) -> None:
        """Stop watching (confirmed, timed out or abandoned)."""
        if waiter in self._waiters:
            self._waiters.remove(waiter)

    def offer(self, state: CookerState) -> None:
        """Resolve every waiter of this cooker that ``state`` satisfies."""
        for waiter in list(self._waiters):
            mine = waiter.cooker_id == state.cooker_id and not waiter.future.done()
            if mine and waiter.applied(state):
                waiter.future.set_result(state)

    async def wait(self, waiter: Waiter, timeout: float) -> CookerState | None:  # noqa: ASYNC109
        """The confirming state, or None if none came within ``timeout`` seconds."""
        try:
            return await asyncio.wait_for(asyncio.shield(waiter.future), timeout)
        except TimeoutError:
            return None
        finally:
            self.remove(waiter)
