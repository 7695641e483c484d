"""Remembers answered ``request_id``s so a redelivered command runs once.

MQTT QoS 1 is at-least-once: a broker may deliver the same command twice
after a reconnect. The contract says a repeat within the window is answered
again but executed once, so the first execution's response is kept and
re-sent. A repeat that arrives while the first is still running waits for it.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable

MAX_REMEMBERED = 10_000


class RequestLedger:
    """request_id → the future of its response bytes, for ``window`` seconds."""

    def __init__(self, window: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, asyncio.Future[bytes]]] = OrderedDict()

    def _expire(self) -> None:
        horizon = self._clock() - self.window
        while self._entries:
            key, (seen_at, _future) = next(iter(self._entries.items()))
            if seen_at >= horizon and len(self._entries) <= MAX_REMEMBERED:
                break
            self._entries.pop(key)

    def seen(self, key: str) -> asyncio.Future[bytes] | None:
        """The response future of an earlier command with this key, if still remembered."""
        self._expire()
        entry = self._entries.get(key)
        return entry[1] if entry is not None else None

    def remember(self, key: str) -> asyncio.Future[bytes]:
        """Record a new command; resolve the returned future with its response."""
        self._expire()
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._entries[key] = (self._clock(), future)
        return future

    def __len__(self) -> int:
        return len(self._entries)
