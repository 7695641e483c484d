"""The fake cloud's WebSocket side: handshake, greeting, frames and answers.

A mixin of :class:`~bridge.simulator.server.CloudSimulator`, kept apart so
the server module holds the lifecycle, views and clock, and this one what
happens on a socket. It reads the simulator's attributes declared below
and calls back ``_sync`` (run every device up to the clock) and
``_push_changed`` (push a device a command changed).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine
from http import HTTPStatus
from typing import Any

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from bridge.logs import get_logger
from bridge.simulator.auth import TokenBook
from bridge.simulator.client import POLICY_VIOLATION, Client, query_accessories, query_token
from bridge.simulator.clock import SimClock
from bridge.simulator.commands import (
    Envelope,
    Outcome,
    ReceivedCommand,
    parse_envelope,
    received,
)
from bridge.simulator.device import SimDevice
from bridge.simulator.faults import SimFaults
from bridge.simulator.kinds import SimKinds
from bridge.simulator.ratelimit import AccountLimiter

log = get_logger("simulator")


class SocketSide:
    """Handles every WebSocket connection of one simulator."""

    clock: SimClock
    faults: SimFaults
    tokens: TokenBook
    account_limits: AccountLimiter
    received_commands: list[ReceivedCommand]
    connections_opened: int
    connections_refused: int
    frames_received: int
    _kinds: SimKinds
    _fleet: dict[str, Any]
    _clients: dict[ServerConnection, Client]
    _tasks: set[asyncio.Task[Any]]

    def _sync(self) -> None:
        raise NotImplementedError

    def _push_changed(self, device: SimDevice) -> None:
        raise NotImplementedError

    def _check_token(self, connection: ServerConnection, request: Request) -> Response | None:
        # Refuse the handshake itself, as the real cloud does, so clients see 401.
        if self.tokens.accepts(query_token(request.path)):
            return None
        log.info("handshake_refused", reason="bad or expired token")
        return connection.respond(HTTPStatus.UNAUTHORIZED, "unauthorized\n")

    async def _handle(self, ws: ServerConnection) -> None:
        self.connections_opened += 1
        path = ws.request.path if ws.request is not None else ""
        client = Client(
            ws, self.connections_opened, query_token(path) or "", query_accessories(path)
        )
        log.info("client_connected", connection=client.number)
        if not self.faults.silent:
            self._greet(client)
        self._clients[ws] = client
        try:
            refusal = self.account_limits.on_connect(self.tokens.account_of(client.token))
            if refusal is not None:
                self.connections_refused += 1
                log.info("connection_refused", connection=client.number, code=refusal)
                await client.close_with(refusal, "rate limit exceeded")
                return
            async for raw in ws:
                await self._on_frame(client, raw)
        except ConnectionClosed:
            pass  # the client went away mid-conversation; that is its right
        finally:
            self._clients.pop(ws, None)
            log.info("client_disconnected", connection=client.number)

    def _greet(self, client: Client) -> None:
        """What the cloud sends on connect: each kind's device list and states."""
        self._sync()
        for kind in self._kinds:
            devices = list(self._fleet.get(kind.name, {}).values())
            for event in kind.greeting(devices, client.accessories):
                client.send(json.dumps(event))

    async def _on_frame(self, client: Client, raw: str | bytes) -> None:
        self.frames_received += 1
        if self.faults.silent:
            return
        try:
            parsed = parse_envelope(raw)
            if isinstance(parsed, Outcome):
                client.send(parsed.response())
                return
            over_account = self.account_limits.on_command(self.tokens.account_of(client.token))
            if client.over_rate(self.faults.rate_limit_per_minute) or over_account:
                log.info("rate_limited", connection=client.number)
                await client.close(POLICY_VIOLATION, "rate limit exceeded")
                return
            await self._on_command(client, parsed)
        except ConnectionClosed:
            raise
        except Exception:  # garbage must never take the server down
            log.exception("frame_handling_failed", connection=client.number)

    async def _on_command(self, client: Client, envelope: Envelope) -> None:
        self._sync()
        rejection = self.faults.reject_all
        if rejection is not None:
            outcome = Outcome(error=rejection, request_id=envelope.request_id)
        else:
            outcome = self._kinds.execute(envelope, self._fleet)
        self._record(client, envelope, outcome)
        if not outcome.answer:
            return
        delay = self.faults.response_delay
        if delay > 0:
            self._spawn(self._reply_later(client, outcome, delay))
        else:
            client.send(outcome.response())
            if self.faults.close_after_command:
                client.muted = True  # the push below must not reach this socket
        if outcome.changed is not None:
            self._push_changed(outcome.changed)
        if delay <= 0 and self.faults.close_after_command:
            await client.close_without_status()

    async def _reply_later(self, client: Client, outcome: Outcome, delay: float) -> None:
        await asyncio.sleep(delay)
        client.send(outcome.response())
        if self.faults.close_after_command:
            await client.close_without_status()

    def _record(self, client: Client, envelope: Envelope, outcome: Outcome) -> None:
        self.received_commands.append(received(envelope, outcome, client.number, self.clock.now()))
        log.info(
            "command_received",
            command=envelope.command,
            request_id=envelope.request_id,
            connection=client.number,
            error=outcome.error,
            answered=outcome.answer,
        )

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
