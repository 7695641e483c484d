"""The cloud WebSocket: its URL, opening it, and websockets' errors mapped once.

Everything ``websockets`` can raise is converted here: a refused handshake
becomes :class:`AnovaAuthError` or :class:`AnovaUnavailableError`, and a
closed socket becomes :class:`SocketClosed` carrying the close code, which
the client needs to tell the harmless post-RESPONSE close (1005) from the
rest. The token travels in the query string, so URLs are only ever logged
through :func:`redact`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException

from bridge.errors import AnovaAuthError, AnovaUnavailableError

PING_INTERVAL_S = 20.0
PING_TIMEOUT_S = 20.0
OPEN_TIMEOUT_S = 10.0
MAX_MESSAGE_BYTES = 4 * 1024 * 1024
NO_STATUS = 1005  # RFC 6455: the peer closed without a status code
ABNORMAL = 1006  # RFC 6455: the connection dropped without a close frame
AUTH_HTTP_STATUSES = frozenset({401, 403})
# Application close codes that say "your token is no good" [unsure: the real
# cloud has not been seen closing for auth; docs/anova-cloud.md].
AUTH_CLOSE_CODES = frozenset({4001, 4003, 4401, 4403})
SECRET_PARAMS = frozenset({"token", "key"})

# websockets logs the request line, token included, at DEBUG: keep its
# logger at INFO whatever the root level is.
_wire_log = logging.getLogger("bridge.anova.wire")
_wire_log.setLevel(logging.INFO)


class WebSocket(Protocol):
    """The part of a websockets connection the client uses."""

    async def send(self, message: str) -> None:
        """Send one text frame."""

    async def recv(self) -> str | bytes:
        """Wait for the next message."""

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the connection."""


Connector = Callable[[str], Awaitable[WebSocket]]


class SocketClosed(Exception):  # noqa: N818 - an event, not a failure to fix
    """The socket closed; ``code`` is the peer's close code (1006 if none came)."""

    def __init__(self, code: int, reason: str = "") -> None:
        super().__init__(f"socket closed with code {code} {reason}".rstrip())
        self.code = code
        self.reason = reason

    @property
    def auth_refused(self) -> bool:
        """Whether the code says the token was refused."""
        return self.code in AUTH_CLOSE_CODES


async def default_connector(url: str) -> WebSocket:
    """Open a real socket with keep-alive pings (the cloud may stay silent for long)."""
    return await connect(
        url,
        ping_interval=PING_INTERVAL_S,
        ping_timeout=PING_TIMEOUT_S,
        open_timeout=OPEN_TIMEOUT_S,
        max_size=MAX_MESSAGE_BYTES,
        logger=_wire_log,
    )


def socket_url(base: str, token: str, platform: str | None) -> str:
    """The socket URL: ``base`` with token, accessories and (for ID tokens) platform."""
    parts = urlsplit(base)
    query = parse_qsl(parts.query)
    query += [("token", token), ("supportedAccessories", "APC,APO")]
    if platform:
        query.append(("platform", platform))
    return urlunsplit(parts._replace(query=urlencode(query, safe=",")))


def redact(url: str) -> str:
    """``url`` with credential query values replaced, safe to log."""
    parts = urlsplit(url)
    query = [(k, "***" if k in SECRET_PARAMS else v) for k, v in parse_qsl(parts.query)]
    return urlunsplit(parts._replace(query=urlencode(query, safe=",*")))


class CloudSocket:
    """One open connection, speaking JSON and raising :class:`SocketClosed`."""

    def __init__(self, ws: WebSocket) -> None:
        self._ws = ws

    async def send(self, message: Mapping[str, Any]) -> None:
        """Send one JSON message.

        Raises:
            SocketClosed: the connection is gone.
        """
        try:
            await self._ws.send(json.dumps(message))
        except ConnectionClosed as err:
            raise _closed(err) from err

    async def receive(self) -> str:
        """The next text message.

        Raises:
            SocketClosed: the connection closed (normally or not).
        """
        try:
            data = await self._ws.recv()
        except ConnectionClosed as err:
            raise _closed(err) from err
        except (WebSocketException, OSError) as err:
            raise SocketClosed(ABNORMAL, type(err).__name__) from err
        return data if isinstance(data, str) else data.decode("utf-8", errors="replace")

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close politely; errors while closing do not matter any more."""
        try:
            await self._ws.close(code, reason)
        except (WebSocketException, OSError):
            return


def _closed(err: ConnectionClosed) -> SocketClosed:
    if err.rcvd is None:
        return SocketClosed(ABNORMAL)
    return SocketClosed(err.rcvd.code, err.rcvd.reason)


async def open_socket(connector: Connector, url: str) -> CloudSocket:
    """Open the socket through ``connector`` and map every failure.

    Raises:
        AnovaAuthError: the handshake was refused with 401/403.
        AnovaUnavailableError: anything else went wrong.
    """
    try:
        return CloudSocket(await connector(url))
    except InvalidStatus as err:
        status = err.response.status_code
        if status in AUTH_HTTP_STATUSES:
            raise AnovaAuthError(f"the Anova cloud refused the token (HTTP {status})") from err
        raise AnovaUnavailableError(f"the Anova cloud answered HTTP {status}") from err
    except (WebSocketException, OSError, TimeoutError) as err:
        raise AnovaUnavailableError(
            f"the Anova cloud could not be reached ({type(err).__name__})"
        ) from err
