"""A deliberately tiny HTTP/1.1 server for the login endpoints and the control surface.

Why not a framework: the simulator needs four JSON routes, aiohttp is not
a dependency, and the WebSocket server refuses request bodies. So: one
request per connection (``Connection: close``), bodies only with
``Content-Length``, hard limits on sizes and read time, and any failure
answered with a JSON error instead of a dropped socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from bridge.logs import get_logger

MAX_HEAD_BYTES = 16 * 1024
MAX_BODY_BYTES = 1024 * 1024
READ_TIMEOUT_S = 10.0

log = get_logger("simulator.http")


class BadRequestError(Exception):
    """The request cannot be read; answered 400 (or the given status)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class HttpRequest:
    """One parsed request."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""

    def json(self) -> Any:
        """The body as JSON.

        Raises:
            BadRequestError: the body is not JSON.
        """
        try:
            return json.loads(self.body or b"null")
        except ValueError as err:
            raise BadRequestError("body is not JSON") from err

    def form_or_json(self) -> dict[str, Any]:
        """Fields of a form-encoded or JSON object body (Google accepts both)."""
        if "json" in self.headers.get("content-type", ""):
            data = self.json()
            return data if isinstance(data, dict) else {}
        return dict(parse_qsl(self.body.decode("utf-8", "replace")))


@dataclass(frozen=True)
class HttpResponse:
    """A JSON response."""

    status: int
    body: Any = field(default_factory=dict)

    def encode(self) -> bytes:
        """The full response bytes, closing the connection afterwards."""
        payload = json.dumps(self.body).encode()
        reason = HTTPStatus(self.status).phrase
        head = (
            f"HTTP/1.1 {self.status} {reason}\r\n"
            "Content-Type: application/json; charset=UTF-8\r\n"
            f"Content-Length: {len(payload)}\r\n"
            "Connection: close\r\n\r\n"
        )
        return head.encode() + payload


Handler = Callable[[HttpRequest], Awaitable[HttpResponse]]


class HttpServer:
    """Serves ``handler`` on ``host:port`` (0 picks a free port)."""

    def __init__(self, handler: Handler, host: str, port: int) -> None:
        self._handler = handler
        self._host = host
        self._port = port
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def port(self) -> int:
        """The bound port (the requested one, or the free one picked)."""
        if self._server is None:
            return self._port
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    async def start(self) -> None:
        """Bind and start accepting connections."""
        self._server = await asyncio.start_server(
            self._serve, self._host, self._port, limit=MAX_HEAD_BYTES
        )
        self._port = self.port

    async def stop(self) -> None:
        """Stop listening and drop connections still being served."""
        if self._server is None:
            return
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()
        self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            response = await self._respond(reader)
            writer.write(response.encode())
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the client went away; nothing to answer
        finally:
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                await writer.wait_closed()

    async def _respond(self, reader: asyncio.StreamReader) -> HttpResponse:
        try:
            async with asyncio.timeout(READ_TIMEOUT_S):
                request = await read_request(reader)
            return await self._handler(request)
        except BadRequestError as err:
            return HttpResponse(err.status, {"error": {"code": err.status, "message": str(err)}})
        except TimeoutError:
            return HttpResponse(408, {"error": {"code": 408, "message": "request timeout"}})
        except Exception:  # a simulator bug must not kill the server; log it, answer 500
            log.exception("http_handler_failed")
            return HttpResponse(500, {"error": {"code": 500, "message": "internal error"}})


async def read_request(reader: asyncio.StreamReader) -> HttpRequest:
    """Read one request head and its ``Content-Length`` body.

    Raises:
        BadRequestError: malformed, oversized or chunked requests.
    """
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.LimitOverrunError as err:
        raise BadRequestError("request head too large", 431) from err
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise BadRequestError("malformed request line")
    headers = _headers(lines[1:])
    if "chunked" in headers.get("transfer-encoding", "").lower():
        raise BadRequestError("chunked bodies are not supported; send Content-Length", 411)
    body = await reader.readexactly(_content_length(headers))
    target = urlsplit(parts[1])
    return HttpRequest(
        method=parts[0].upper(),
        path=unquote(target.path),
        query=dict(parse_qsl(target.query, keep_blank_values=True)),
        headers=headers,
        body=body,
    )


def _headers(lines: list[str]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in lines:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise BadRequestError("malformed header line")
        headers[name.strip().lower()] = value.strip()
    return headers


def _content_length(headers: dict[str, str]) -> int:
    raw = headers.get("content-length", "0")
    if not raw.isdigit():
        raise BadRequestError("bad Content-Length")
    length = int(raw)
    if length > MAX_BODY_BYTES:
        raise BadRequestError("body too large", 413)
    return length
