"""The Anova cloud client: one socket, kept open, turned into typed news and commands.

:class:`AnovaClient` owns the WebSocket for the life of the daemon. It
reconnects on its own (at once after the cloud's routine 1005 close or a
token refresh, otherwise with capped, jittered backoff), keeps Firebase ID
tokens fresh, parses every push into :class:`CookerState`, declares silent
cookers offline, and runs commands: send, match the RESPONSE by request id,
then wait for a state that shows the command applied (the cloud acks
commands it ignores). Everything runs on the event loop that calls
:meth:`AnovaClient.run`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bridge.anova import commands
from bridge.anova.auth import renew, token_source
from bridge.anova.backoff import Backoff
from bridge.anova.commands import CloudCommand, CommandOutcome, WireCommand
from bridge.anova.connection import (
    CloudSocket,
    Connector,
    SocketClosed,
    default_connector,
    open_socket,
    redact,
    socket_url,
)
from bridge.anova.device import CookerInfo
from bridge.anova.kind import CloudKind, CloudKinds
from bridge.anova.listener import AnovaListener, ClientStats
from bridge.anova.messages import CloudMessages
from bridge.anova.reconnect import HEALTHY_AFTER_S, Reconnect, ReconnectPolicy
from bridge.anova.registry import CookerRegistry
from bridge.anova.replies import PendingReplies, check_reply
from bridge.anova.sous_vide import SOUS_VIDE_CLOUD
from bridge.anova.state import CookerState
from bridge.errors import AnovaAuthError, AnovaTimeoutError, AnovaUnavailableError, UpstreamError
from bridge.logs import get_logger
from bridge.settings import AnovaSettings

if TYPE_CHECKING:
    import httpx

log = get_logger("anova.client")

OFFLINE_GRACE_S = 5.0
MAX_TOKEN_REFUSALS = 2


class _TokenRefusedError(Exception):
    """The socket refused a token that asking again might replace."""


def _new_http_client() -> httpx.AsyncClient:
    # Imported here: only an email/password login needs HTTP, and httpx is
    # 2 MiB of the daemon's idle RSS with a personal access token (bench/load.py).
    import httpx  # noqa: PLC0415

    return httpx.AsyncClient()


def _utcnow() -> datetime:
    return datetime.now(UTC)


class AnovaClient:
    """A long-lived connection to the Anova cloud.

    Args:
        settings: credentials, URLs and timeouts.
        listener: told about connection changes, device lists and states.
        http: client for the email/password login; one is made (and closed) if None.
        connector: opens the WebSocket for a URL; tests and proxies inject their own.
        backoff_base: first reconnect delay ceiling, seconds.
        backoff_cap: largest reconnect delay ceiling, seconds.
        sleep: how backoff waits; tests pass a fast one.
        monotonic: the clock session uptime is measured on (see ``healthy_after``).
        refresh_sleep: how the client waits until an ID token is due for
            renewal; tests pass one they release themselves.
        healthy_after: seconds a session must stay up, without completing a
            command, before the backoff starts again from ``backoff_base``.
        clock: wall-clock now (aware UTC), for ``last_seen`` and relative timers.
        offline_grace: seconds the socket may be down before all cookers are offline.
        kinds: the device kinds this client serves (default: sous-vide cookers).
        probe_quiet: reconnect when a cooker has been silent for half of
            ``offline_after``, so the cloud re-sends its state (idle cookers
            may push nothing); off, silence alone decides.
    """

    def __init__(
        self,
        settings: AnovaSettings,
        listener: AnovaListener,
        *,
        http: httpx.AsyncClient | None = None,
        connector: Connector | None = None,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        refresh_sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        healthy_after: float = HEALTHY_AFTER_S,
        clock: Callable[[], datetime] = _utcnow,
        offline_grace: float = OFFLINE_GRACE_S,
        probe_quiet: bool = True,
        kinds: Sequence[CloudKind] = (SOUS_VIDE_CLOUD,),
    ) -> None:
        self._settings = settings
        self._own_http = http is None and settings.token is None
        self._http = _new_http_client() if self._own_http else http
        self._tokens = token_source(settings, self._http)
        self._connector = connector or default_connector
        self._reconnect = ReconnectPolicy(
            Backoff(backoff_base, backoff_cap), healthy_after=healthy_after, monotonic=monotonic
        )
        self._sleep = sleep
        self._refresh_sleep = refresh_sleep
        self._clock = clock
        self._replies = PendingReplies()
        self.stats = ClientStats()
        self._cookers = CookerRegistry(
            listener,
            self.stats,
            clock,
            offline_after=settings.offline_after,
            offline_grace=offline_grace,
            on_quiet=self._probe if probe_quiet else None,
        )
        self._kinds = CloudKinds(kinds)
        self._messages = CloudMessages(
            self._kinds, self._cookers, self._replies, self._reconnect.answered, clock
        )
        self._probe_task: asyncio.Task[None] | None = None
        self._socket: CloudSocket | None = None
        self._run_task: asyncio.Task[None] | None = None
        self._closed = False
        self._planned_reconnect = False
        self._handing_over = False
        # Set while the socket takes new commands; cleared for a hand-over.
        self._accepting = asyncio.Event()
        self._fatal: AnovaAuthError | None = None
        self._connections = 0

    @property
    def connected(self) -> bool:
        """Whether the cloud socket is open right now."""
        return self._socket is not None

    @property
    def devices(self) -> dict[str, CookerInfo]:
        """The latest device list, by cooker id."""
        return self._cookers.devices

    @property
    def states(self) -> dict[str, CookerState]:
        """The latest state of every cooker heard from (OFFLINE when silent)."""
        return self._cookers.states

    # ----------------------------------------------------------------- running

    async def run(self) -> None:
        """Connect, read and reconnect until :meth:`close`.

        Raises:
            AnovaAuthError: the credentials were definitively refused.
        """
        self._run_task = asyncio.current_task()
        try:
            await self._run_forever()
        except asyncio.CancelledError:
            if not self._closed:
                raise
            if self._run_task is not None:
                self._run_task.uncancel()
        finally:
            self._run_task = None
            self._cookers.liveness.close()

    async def close(self) -> None:
        """Stop :meth:`run`, close the socket, and release the HTTP client if ours."""
        self._closed = True
        if self._run_task is not None and self._run_task is not asyncio.current_task():
            self._run_task.cancel()
        socket = self._socket
        if socket is not None:
            await socket.close(1000, "bridge stopping")
        if self._own_http and self._http is not None:
            await self._http.aclose()

    async def _run_forever(self) -> None:
        refusals = 0
        while not self._closed:
            try:
                after = await self._session()
                refusals = 0
            except _TokenRefusedError as err:
                refusals += 1
                if refusals > MAX_TOKEN_REFUSALS:
                    raise AnovaAuthError("the Anova cloud keeps refusing fresh tokens") from err
                log.warning("anova_token_refused", action="renewing")
                self._tokens.invalidate(relogin=refusals > 1)
                continue
            except AnovaUnavailableError as err:
                log.warning("anova_unavailable", error=err.message)
                self._planned_reconnect = False  # commands stop waiting for it
                after = Reconnect.BACKOFF
            if self._fatal is not None:
                raise self._fatal
            if after is Reconnect.BACKOFF and not self._closed:
                delay = self._reconnect.next_delay()
                log.info("anova_reconnect_wait", delay_s=round(delay, 2))
                await self._sleep(delay)

    async def _session(self) -> Reconnect:
        """One connection from opening to close; says how to reconnect."""
        token = await self._tokens.token()
        url = socket_url(self._settings.url, token, self._tokens.platform)
        log.info("anova_connecting", url=redact(url))
        try:
            socket = await open_socket(self._connector, url)
        except AnovaAuthError as err:
            if self._tokens.renewable:
                raise _TokenRefusedError from err
            raise
        self._opened(socket)
        refresher = asyncio.create_task(self._refresh_later(socket))
        try:
            await self._read(socket)
        except SocketClosed as closed:
            return self._after_close(closed)
        finally:
            refresher.cancel()
            self._lost()
        return Reconnect.BACKOFF  # pragma: no cover - _read only ends by raising

    def _opened(self, socket: CloudSocket) -> None:
        if self._connections:
            self.stats.reconnects += 1
        self._connections += 1
        self._socket = socket
        self._reconnect.opened()
        self._planned_reconnect = False
        self._handing_over = False
        self._accepting.set()
        self._cookers.liveness.link_up()
        log.info("anova_connected")
        self._cookers.connection_changed(True)

    def _lost(self) -> None:
        self._socket = None
        self._accepting.clear()
        self._handing_over = False
        self._replies.fail_all(AnovaUnavailableError("the Anova cloud connection closed"))
        if not self._closed:
            self._cookers.liveness.link_down()
        self._cookers.connection_changed(False)

    def _after_close(self, closed: SocketClosed) -> Reconnect:
        log.info("anova_disconnected", code=closed.code, reason=closed.reason)
        planned = self._closed or self._planned_reconnect
        after = self._reconnect.closed(closed.code, planned=planned)
        if not planned and closed.auth_refused:
            if self._tokens.renewable:
                raise _TokenRefusedError
            raise AnovaAuthError(f"the Anova cloud refused the token (close {closed.code})")
        return after

    async def _read(self, socket: CloudSocket) -> None:
        while True:
            self._messages.handle(await socket.receive())

    async def _refresh_later(self, socket: CloudSocket) -> None:
        """Renew an expiring ID token, then reconnect with it between commands."""
        delay = self._tokens.refresh_in()
        if delay is None:
            return
        await self._refresh_sleep(delay)
        self._fatal = await renew(self._tokens, asyncio.sleep)
        await self._hand_over(socket, "token refresh")

    async def _hand_over(self, socket: CloudSocket, reason: str) -> None:
        """Close ``socket`` to reconnect at once, but never under a command.

        Commands awaiting their RESPONSE get it on this socket first (closing
        under them would fail them as unavailable although the cooker may have
        applied them); new commands wait for the next socket meanwhile.
        """
        self._handing_over = True
        self._accepting.clear()
        await self._replies.until_idle()
        if self._socket is not socket:
            return  # it closed on its own meanwhile; the run loop reconnects
        self._planned_reconnect = True
        await socket.close(1000, reason)

    def _probe(self, cooker_id: str) -> None:
        """A cooker is quiet: reconnect once so the cloud re-sends every state."""
        socket = self._socket
        busy = self._handing_over or self._planned_reconnect or len(self._replies)
        if socket is None or busy or self._closed:
            return
        log.info("anova_probe_quiet_cooker", cooker_id=cooker_id)
        self._probe_task = asyncio.create_task(self._hand_over(socket, "state probe"))

    # ---------------------------------------------------------------- commands

    async def execute(self, command: CloudCommand) -> CommandOutcome:
        """Run one cloud command: send it, then wait for a state that shows it applied.

        Raises:
            AnovaUnavailableError: not connected, or the socket closed before the answer.
            AnovaTimeoutError: no RESPONSE within ``command_timeout``.
            AnovaRejectedError: the cloud answered with a non-ok status.
            AnovaAuthError: the cloud said the token may not do this.
            CommandError: UNKNOWN_DEVICE, the account has no such cooker.
        """
        device = self._cookers.device(command.cooker_id)
        kind = self._kinds.named(device.kind)
        return await self.send(kind.to_wire(command, device, self.states.get(device.cooker_id)))

    async def send(self, command: WireCommand) -> CommandOutcome:
        """Send ``command``, then wait up to ``confirm_timeout`` for a state showing it.

        The wire-level entry :meth:`execute` uses; tests use it to send
        deliberately wrong payloads.

        Raises:
            As :meth:`execute`.
        """
        waiter = self._cookers.waiters.add(command.cooker_id, command.applied)
        try:
            await self.request(command.name, command.payload, cooker_id=command.cooker_id)
        except BaseException:
            self._cookers.waiters.remove(waiter)
            raise
        state = await self._cookers.waiters.wait(waiter, self._settings.confirm_timeout)
        if state is None:
            self.stats.unconfirmed += 1
            log.warning(
                "anova_command_unconfirmed", cooker_id=command.cooker_id, command=command.name
            )
            return CommandOutcome(False, self.states.get(command.cooker_id))
        return CommandOutcome(True, state)

    async def request(
        self, name: str, payload: Mapping[str, Any], *, cooker_id: str | None = None
    ) -> Mapping[str, Any]:
        """Send one command and return its ok RESPONSE payload (no confirmation).

        Raises:
            AnovaUnavailableError, AnovaTimeoutError, AnovaRejectedError, AnovaAuthError:
                as for :meth:`execute`.
        """
        request_id = commands.new_request_id()
        bound = log.bind(cooker_id=cooker_id, cloud_request_id=request_id, command=name)
        try:
            reply = await self._exchange(request_id, name, payload)
            check_reply(reply)
        except UpstreamError as err:
            self.stats.commands_failed += 1
            bound.warning("anova_command_failed", code=err.code.value, error=err.message)
            raise
        bound.info("anova_command_acknowledged")
        return reply

    async def _command_socket(self) -> CloudSocket:
        """The socket to send on; during a hand-over, the next one (within the timeout)."""
        if self._handing_over or self._planned_reconnect:
            timeout = self._settings.command_timeout
            try:
                await asyncio.wait_for(self._accepting.wait(), timeout)
            except TimeoutError as err:
                raise AnovaUnavailableError("the Anova cloud connection was not renewed") from err
        socket = self._socket
        if socket is None or not self._accepting.is_set():
            raise AnovaUnavailableError("not connected to the Anova cloud")
        return socket

    async def _exchange(
        self, request_id: str, name: str, payload: Mapping[str, Any]
    ) -> Mapping[str, Any]:
        socket = await self._command_socket()
        reply = self._replies.expect(request_id)
        try:
            self.stats.commands_sent += 1
            await socket.send({"command": name, "requestId": request_id, "payload": payload})
            return await asyncio.wait_for(reply, self._settings.command_timeout)
        except SocketClosed as err:
            raise AnovaUnavailableError("the Anova cloud connection closed") from err
        except TimeoutError as err:
            timeout = self._settings.command_timeout
            raise AnovaTimeoutError(f"the Anova cloud did not answer within {timeout:g} s") from err
        finally:
            self._replies.forget(request_id)
