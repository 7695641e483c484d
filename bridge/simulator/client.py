"""One WebSocket client of the fake cloud and the ways the cloud can hang up on it."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import ServerConnection, broadcast
from websockets.frames import CloseCode

RATE_WINDOW_S = 60.0
NO_STATUS = 1005


@dataclass(eq=False)
class Client:
    """A connected socket, the token it came in with, and its recent commands.

    Attributes:
        ws: the websockets connection.
        number: 1-based order of acceptance (``ReceivedCommand.connection``).
        token: the token from the query string, kept only to check its expiry.
        accessories: the product lines the query's ``supportedAccessories``
            asked for (``APC``, ``APO``); ``APC`` alone when it named none.
        muted: set once the simulator decided to close it, so nothing more
            is pushed on a socket that is about to go.
    """

    ws: ServerConnection
    number: int
    token: str
    accessories: frozenset[str] = frozenset({"APC"})
    muted: bool = False
    _recent: deque[float] = field(default_factory=deque)

    def send(self, message: str) -> None:
        """Queue a text frame now, without yielding to the loop.

        ``broadcast`` writes synchronously, so a burst of sends (device list,
        then every state) cannot interleave with pushes from other tasks.
        """
        if not self.muted:
            broadcast([self.ws], message)

    def over_rate(self, limit: int | None) -> bool:
        """Count one command; True when more than ``limit`` arrived in the last minute."""
        now = time.monotonic()
        self._recent.append(now)
        while self._recent and now - self._recent[0] > RATE_WINDOW_S:
            self._recent.popleft()
        return limit is not None and len(self._recent) > limit

    async def close(self, code: int, reason: str) -> None:
        """Close with a status code the client will see."""
        self.muted = True
        await self.ws.close(code, reason)

    async def close_with(self, code: int, reason: str) -> None:
        """Close with ``code``; 1005 means an empty close frame (it cannot be sent)."""
        if code == NO_STATUS:
            await self.close_without_status()
        else:
            await self.close(code, reason)

    async def close_without_status(self) -> None:
        """Send an empty close frame, which the peer reports as code 1005.

        1005 ("no status received") may not be put on the wire; it is what a
        receiver reports when the close frame carries no code. That is how the
        real cloud's post-RESPONSE closes look to clients. websockets sends an
        empty close frame when ``close`` is given no code, which its type hints
        do not admit, hence the ignore.
        """
        self.muted = True
        await self.ws.close(None)  # type: ignore[arg-type]


def query_token(path: str) -> str | None:
    """The ``token`` query parameter of a WebSocket request path."""
    values = parse_qs(urlsplit(path).query).get("token")
    return values[0] if values else None


def query_accessories(path: str) -> frozenset[str]:
    """The ``supportedAccessories`` a WebSocket request path asks for (``APC,APO``)."""
    values = parse_qs(urlsplit(path).query).get("supportedAccessories")
    if not values:
        return frozenset({"APC"})
    return frozenset(part.strip().upper() for value in values for part in value.split(","))


POLICY_VIOLATION = CloseCode.POLICY_VIOLATION
