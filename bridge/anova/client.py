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
import enum
import json
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bridge.anova import commands
from bridge.anova.auth import token_source
from bridge.anova.backoff import Backoff
from bridge.anova.commands import CloudCommand, CommandOutcome
from bridge.anova.connection import (
    NO_STATUS,
    CloudSocket,
    Connector,
    SocketClosed,
    default_connector,
    open_socket,
    redact,
    socket_url,
)
from bridge.anova.device import CookerInfo
from bridge.anova.fields import MalformedStateError
from bridge.anova.listener import AnovaListener, ClientStats
from bridge.anova.parsing import parse_devices, parse_state
from bridge.anova.registry import CookerRegistry
from bridge.anova.replies import PendingReplies, check_reply
from bridge.anova.state import CookerState, TemperatureUnit
from bridge.errors import AnovaAuthError, AnovaTimeoutError, AnovaUnavailableError, UpstreamError
from bridge.logs import get_logger
from bridge.settings import AnovaSettings

if TYPE_CHECKING:
    import httpx

log = get_logger("anova.client")

RESPONSE = "RESPONSE"
DEVICE_LIST = "EVENT_APC_WIFI_LIST"
STATE = "EVENT_APC_STATE"
OFFLINE_GRACE_S = 5.0
REFRESH_RETRY_S = 5.0
MAX_TOKEN_REFUSALS = 2


class _Next(enum.Enum):
    """What the run loop does after a session ends."""

    AT_ONCE = "at once"
    BACKOFF = "after backoff"


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
        clock: wall-clock now (aware UTC), for ``last_seen`` and relative timers.
        offline_grace: seconds the socket may be down before all cookers are offline.
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
        clock: Callable[[], datetime] = _utcnow,
        offline_grace: float = OFFLINE_GRACE_S,
        probe_quiet: bool = True,
    ) -> None:
        self._settings = settings
        self._own_http = http is None and settings.token is None
        self._http = _new_http_client() if self._own_http else http
        self._tokens = token_source(settings, self._http)
        self._connector = connector or default_connector
        self._backoff = Backoff(backoff_base, backoff_cap)
        self._sleep = sleep
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
        self._probe_task: asyncio.Task[None] | None = None
        self._socket: CloudSocket | None = None
        self._run_task: asyncio.Task[None] | None = None
        self._closed = False
        self._planned_reconnect = False
        self._fatal: AnovaAuthError | None = None
        self._received = False
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
                after = _Next.BACKOFF
            if self._fatal is not None:
                raise self._fatal
            if after is _Next.BACKOFF and not self._closed:
                delay = self._backoff.next_delay()
                log.info("anova_reconnect_wait", delay_s=round(delay, 2))
                await self._sleep(delay)

    async def _session(self) -> _Next:
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
        return _Next.BACKOFF  # pragma: no cover - _read only ends by raising

    def _opened(self, socket: CloudSocket) -> None:
        if self._connections:
            self.stats.reconnects += 1
        self._connections += 1
        self._socket = socket
        self._received = False
        self._planned_reconnect = False
        self._cookers.liveness.link_up()
        log.info("anova_connected")
        self._cookers.connection_changed(True)

    def _lost(self) -> None:
        self._socket = None
        self._replies.fail_all(AnovaUnavailableError("the Anova cloud connection closed"))
        if not self._closed:
            self._cookers.liveness.link_down()
        self._cookers.connection_changed(False)

    def _after_close(self, closed: SocketClosed) -> _Next:
        log.info("anova_disconnected", code=closed.code, reason=closed.reason)
        if self._closed or self._planned_reconnect:
            return _Next.AT_ONCE
        if closed.auth_refused:
            if self._tokens.renewable:
                raise _TokenRefusedError
            raise AnovaAuthError(f"the Anova cloud refused the token (close {closed.code})")
        # The cloud closes without a status right after a RESPONSE; the
        # apps reconnect at once. Only if the session did get data, so a
        # server that closes every fresh socket cannot make us spin.
        if closed.code == NO_STATUS and self._received:
            return _Next.AT_ONCE
        return _Next.BACKOFF

    async def _read(self, socket: CloudSocket) -> None:
        while True:
            raw = await socket.receive()
            if not self._received:
                self._received = True
                self._backoff.reset()
            self._handle(raw)

    async def _refresh_later(self, socket: CloudSocket) -> None:
        """Renew an expiring ID token, then reconnect with it."""
        delay = self._tokens.refresh_in()
        if delay is None:
            return
        await asyncio.sleep(delay)
        while True:
            try:
                await self._tokens.refresh()
                break
            except AnovaUnavailableError as err:
                log.warning("anova_token_refresh_failed", error=err.message)
                await asyncio.sleep(REFRESH_RETRY_S)
            except AnovaAuthError as err:
                self._fatal = err
                break
        self._planned_reconnect = True
        await socket.close(1000, "token refresh")

    def _probe(self, cooker_id: str) -> None:
        """A cooker is quiet: reconnect once so the cloud re-sends every state."""
        socket = self._socket
        # Never under a command in flight: its RESPONSE would be lost.
        if socket is None or self._planned_reconnect or self._closed or len(self._replies):
            return
        log.info("anova_probe_quiet_cooker", cooker_id=cooker_id)
        self._planned_reconnect = True
        self._probe_task = asyncio.create_task(socket.close(1000, "state probe"))

    # ---------------------------------------------------------------- messages

    def _handle(self, raw: str) -> None:
        try:
            message = json.loads(raw)
        except ValueError:
            log.debug("anova_message_not_json", size=len(raw))
            return
        if not isinstance(message, dict):
            log.debug("anova_message_not_object")
            return
        kind = message.get("command")
        payload = message.get("payload")
        if kind == RESPONSE:
            if not self._replies.resolve(message.get("requestId"), payload):
                log.debug("anova_response_unmatched")
        elif kind == DEVICE_LIST:
            self._on_devices(payload)
        elif kind == STATE:
            self._on_state(payload)
        else:
            log.debug("anova_event_ignored", kind=str(kind)[:64])

    def _on_devices(self, payload: Any) -> None:
        try:
            devices = parse_devices(payload)
        except MalformedStateError as err:
            log.warning("anova_device_list_malformed", error=str(err))
            return
        self._cookers.replace_devices(devices)

    def _on_state(self, payload: Any) -> None:
        try:
            state = parse_state(payload, self._clock())
        except MalformedStateError as err:
            cooker_id = payload.get("cookerId") if isinstance(payload, dict) else None
            log.warning("anova_state_malformed", cooker_id=str(cooker_id), error=str(err))
            return
        self._cookers.accept(state)

    # ---------------------------------------------------------------- commands

    async def start_cook(
        self, cooker_id: str, target_c: float, timer_s: int, unit: TemperatureUnit
    ) -> CommandOutcome:
        """Start cooking at ``target_c`` (sent in ``unit``) with a timer (0: none).

        Over a running cook (``replace``), only a state of the new cook confirms it.
        """
        running = self.states.get(cooker_id)
        command = commands.start(self._device(cooker_id), target_c, timer_s, unit, running)
        return await self.execute(command)

    async def stop_cook(self, cooker_id: str) -> CommandOutcome:
        """Stop the running cook."""
        return await self.execute(commands.stop(self._device(cooker_id)))

    async def set_target_temperature(
        self, cooker_id: str, target_c: float, unit: TemperatureUnit
    ) -> CommandOutcome:
        """Change the setpoint; only a running cook applies it (see the idle trap)."""
        return await self.execute(commands.set_target(self._device(cooker_id), target_c, unit))

    async def set_timer(self, cooker_id: str, timer_s: int) -> CommandOutcome:
        """Set the timer length in seconds."""
        return await self.execute(commands.set_timer(self._device(cooker_id), timer_s))

    async def set_unit(self, cooker_id: str, unit: TemperatureUnit) -> CommandOutcome:
        """Switch the cooker's display unit."""
        return await self.execute(commands.set_unit(self._device(cooker_id), unit))

    def _device(self, cooker_id: str) -> CookerInfo:
        return self._cookers.device(cooker_id)

    async def execute(self, command: CloudCommand) -> CommandOutcome:
        """Send ``command``, then wait up to ``confirm_timeout`` for a state showing it.

        The lower-level entry the public commands share; tests use it to send
        deliberately wrong payloads.

        Raises:
            AnovaUnavailableError: not connected, or the socket closed before the answer.
            AnovaTimeoutError: no RESPONSE within ``command_timeout``.
            AnovaRejectedError: the cloud answered with a non-ok status.
            AnovaAuthError: the cloud said the token may not do this.
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

    async def _exchange(
        self, request_id: str, name: str, payload: Mapping[str, Any]
    ) -> Mapping[str, Any]:
        socket = self._socket
        if socket is None:
            raise AnovaUnavailableError("not connected to the Anova cloud")
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
