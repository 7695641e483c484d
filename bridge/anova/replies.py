"""Commands waiting for their RESPONSE, matched by ``requestId``.

The cloud answers each command with ``{"command": "RESPONSE", "requestId",
"payload": {"status": …}}``. Replies may interleave with state pushes and
with other commands' replies, so each request parks a future here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from bridge.errors import AnovaAuthError, AnovaRejectedError, UpstreamError

# Error texts the cloud uses when the token is not (or no longer) good.
AUTH_ERROR_TEXTS = frozenset({"unauthorized", "unauthorised", "forbidden"})


class PendingReplies:
    """Futures for outstanding requests, resolved by RESPONSE messages."""

    def __init__(self) -> None:
        self._waiting: dict[str, asyncio.Future[Mapping[str, Any]]] = {}
        self._idle = asyncio.Event()
        self._idle.set()

    def __len__(self) -> int:
        return len(self._waiting)

    def expect(self, request_id: str) -> asyncio.Future[Mapping[str, Any]]:
        """Park a future for ``request_id``; call :meth:`forget` when done with it."""
        future: asyncio.Future[Mapping[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[request_id] = future
        self._idle.clear()
        return future

    def forget(self, request_id: str) -> None:
        """Stop waiting for ``request_id`` (answered, timed out or cancelled)."""
        self._waiting.pop(request_id, None)
        if not self._waiting:
            self._idle.set()

    async def until_idle(self) -> None:
        """Wait until no request awaits its RESPONSE (each is bounded by its timeout)."""
        await self._idle.wait()

    def resolve(self, request_id: Any, payload: Any) -> bool:
        """Hand a RESPONSE payload to its waiter; False if nobody waits for it."""
        future = self._waiting.get(request_id) if isinstance(request_id, str) else None
        if future is None or future.done():
            return False
        future.set_result(payload if isinstance(payload, Mapping) else {})
        return True

    def fail_all(self, error: UpstreamError) -> None:
        """Fail every waiter, e.g. because the socket closed under them."""
        for future in self._waiting.values():
            if not future.done():
                future.set_exception(error)


def check_reply(payload: Mapping[str, Any]) -> None:
    """Raise unless the RESPONSE payload says ``status: ok``.

    Raises:
        AnovaAuthError: the cloud said the token is not allowed to do this.
        AnovaRejectedError: any other non-ok answer, carrying the cloud's text.
    """
    status = payload.get("status")
    if isinstance(status, str) and status.lower() == "ok":
        return
    error = payload.get("error")
    text = error if isinstance(error, str) and error else f"status {status!r}"
    if text.strip().lower() in AUTH_ERROR_TEXTS:
        raise AnovaAuthError(f"the Anova cloud refused the command: {text}")
    raise AnovaRejectedError(text)
