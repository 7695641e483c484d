"""Link supervision: connect, notice the link drop, back off, reconnect; online and offline.

Only the blocking TCP/TLS connect runs on a worker thread, so a slow or
unreachable broker never stalls the event loop.

Every successful connect — the first and each reconnect — resubscribes (the
broker may have lost our session, e.g. after a restart without persistence),
then publishes the retained ``online`` and calls the ``on_connect`` hook so
the service republishes retained state. All of that is idempotent. The
broker handles one client's packets in order, so by the time anyone sees
``online`` our subscriptions are in place: a command sent then is received.
Stopping publishes the retained ``offline`` by hand, because the broker does
not send the Last Will on a clean DISCONNECT.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.reasoncodes import ReasonCode

from bridge.logs import get_logger
from bridge.mqtt.limits import BrokerLimits, log_limits
from bridge.mqtt.paho_factory import (
    OFFLINE,
    ONLINE,
    RECONNECT_MAX_DELAY,
    RECONNECT_MIN_DELAY,
    connect_args,
)
from bridge.mqtt.send_window import SendWindow
from bridge.mqtt.stats import MqttStats
from bridge.mqtt.subscriptions import Subscriptions
from bridge.mqtt.transport import LoopTransport
from bridge.settings import MqttSettings

_log = get_logger("mqtt")


class LinkSupervisor:
    """Keeps the one MQTT link up until stopped, and says so on the bridge's availability topic.

    Args:
        client: the paho client to connect.
        transport: drives each new socket on the loop.
        window: the send window, which learns each CONNACK's limits.
        subscriptions: renewed on every accepted connection.
        settings: the validated ``mqtt`` section (where to connect).
        stats: the connection's counters (connected, reconnects, last error).
        availability_topic: where ``online`` and ``offline`` are published.
        on_accepted: called on the loop after every accepted connection,
            once ``online`` is published.
    """

    def __init__(
        self,
        client: mqtt.Client,
        transport: LoopTransport,
        window: SendWindow,
        *,
        subscriptions: Subscriptions,
        settings: MqttSettings,
        stats: MqttStats,
        availability_topic: str,
        on_accepted: Callable[[], None],
    ) -> None:
        self._client = client
        self._transport = transport
        self._window = window
        self._subscriptions = subscriptions
        self._settings = settings
        self._stats = stats
        self._availability_topic = availability_topic
        self._on_accepted = on_accepted
        self.connected = asyncio.Event()  # set while connected, cleared while not
        self._ever_connected = False
        self._stopping = False
        self._accepted = False  # the broker accepted the current connection
        self._link_down = asyncio.Event()  # the current socket has closed
        self._wake_supervisor = asyncio.Event()  # cut a reconnect wait short (stopping)
        self._supervisor: asyncio.Task[None] | None = None
        self._housekeeper: asyncio.Task[None] | None = None

    # -------------------------------------------------------------- lifecycle
    def start(self) -> None:
        """Start connecting in the background, on the running loop."""
        self._transport.attach(asyncio.get_running_loop())
        self._client.connect_async(**connect_args(self._settings))
        self._supervisor = asyncio.create_task(self._stay_connected(), name="mqtt-link")
        self._housekeeper = asyncio.create_task(self._keep_alive(), name="mqtt-keepalive")
        _log.info("mqtt connecting", host=self._settings.host, port=self._settings.port)

    async def wait_connected(self, timeout: float) -> None:  # noqa: ASYNC109 - deadline is the API
        """Wait until connected.

        Raises:
            TimeoutError: not connected within ``timeout`` s; names the last error.
        """
        try:
            await asyncio.wait_for(self.connected.wait(), timeout)
        except TimeoutError:
            reason = self._stats.last_error or "no answer from the broker"
            raise TimeoutError(
                f"not connected to MQTT at {self._settings.host}:{self._settings.port} "
                f"after {timeout}s: {reason}"
            ) from None

    async def stop(self, deadline: float) -> None:
        """Publish ``offline``, flush QoS 1 messages and disconnect, until ``deadline``."""
        self._stopping = True
        self._wake_supervisor.set()
        if self._stats.connected:
            self._window.publish(self._availability_topic, OFFLINE, True, 1, None)
            await self._window.flush(deadline)
        if self._client.socket() is not None and not self._transport.connecting:
            self._client.disconnect()  # DISCONNECT is written, then the socket closed
            self._transport.watch_writes()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._link_down.wait(), max(deadline - time.monotonic(), 0.1)
                )
        await self._stop_tasks(deadline)

    def stopped(self) -> None:
        """The connection is stopped: the link counts as down and may be started again."""
        self._transport.detach()
        self._mark_disconnected()
        self._stopping = False

    async def _stop_tasks(self, deadline: float) -> None:
        if self._housekeeper is not None:
            self._housekeeper.cancel()
        if self._supervisor is not None:
            # It may be inside a blocking connect on a worker thread: give it
            # until the deadline to notice we are stopping.
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(self._supervisor, max(deadline - time.monotonic(), 0.1))
        self._housekeeper = self._supervisor = None

    async def _stay_connected(self) -> None:
        """Connect, wait for the link to drop, back off, connect again; until stopped.

        The delay doubles from RECONNECT_MIN_DELAY to RECONNECT_MAX_DELAY and
        starts over after every accepted connection, so the bridge is back
        within ~2 s of the broker however long the outage was.
        """
        delay = RECONNECT_MIN_DELAY
        while not self._stop_requested():
            if not await self._connect_once():
                return
            if self._accepted:
                delay = RECONNECT_MIN_DELAY
            if self._stop_requested():
                return
            self._wake_supervisor.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake_supervisor.wait(), delay)
            delay = min(delay * 2, RECONNECT_MAX_DELAY)

    async def _connect_once(self) -> bool:
        """One attempt, and the link's life if it succeeds; False if stopped meanwhile."""
        self._link_down.clear()
        self._accepted = False
        # While paho connects on a worker thread, publishes wait here: a
        # publish from the loop could otherwise be written before CONNECT,
        # or at the same time as it.
        self._transport.connecting = True
        try:
            await asyncio.to_thread(self._client.reconnect)
        except (OSError, ValueError) as err:  # refused, unreachable, TLS, DNS
            self._transport.connecting = False
            self._record_failure(f"cannot reach the broker: {type(err).__name__}: {err}")
            return True
        # The attempt is over: publishes wait in the outbox until CONNACK.
        self._transport.connecting = False
        if self._stop_requested():
            self._transport.abandon_socket()
            return False
        if not self._transport.watch_socket():  # closed already (refused before we got here)
            self._link_down.set()
        await self._link_down.wait()
        return True

    def _stop_requested(self) -> bool:
        # A method, not the attribute: stop() sets it while this task
        # awaits, and a type checker would otherwise narrow it to False.
        return self._stopping

    async def _keep_alive(self) -> None:
        """paho's housekeeping: PINGREQ when idle, and drop a link the broker stopped answering."""
        while True:
            await asyncio.sleep(1.0)
            if self._client.socket() is not None:
                self._client.loop_misc()
                self._transport.watch_writes()

    # ------------------------------------------------------- paho callbacks
    def on_connack(self, reason: ReasonCode, props: Any) -> None:
        """paho's ``on_connect``: the broker accepted or refused us."""
        if reason.is_failure:
            self._record_failure(
                f"broker refused the connection: {reason} (reason code {reason.value})"
            )
            return
        self._take_limits(BrokerLimits.from_connack(props))
        if self._ever_connected:
            self._stats.reconnects += 1
        self._ever_connected = True
        self._accepted = True
        self._stats.connected = True
        self._stats.last_error = None
        self.connected.set()
        _log.info("mqtt connected", reconnects=self._stats.reconnects)
        # Subscriptions first: `online` then tells every client (and Home
        # Assistant) that commands sent from now on are received.
        self._subscriptions.renew(wildcards=self._window.limits.wildcard_subscription_available)
        self._window.publish(self._availability_topic, ONLINE, True, 1, None)
        self._window.pump()  # what waited for the link, availability first
        self._on_accepted()

    def on_disconnect(self, reason: ReasonCode) -> None:
        """paho's ``on_disconnect``: the link is gone (or we closed it)."""
        if self._stats.connected and not self._stopping:
            _log.warning("mqtt connection lost, reconnecting", reason=str(reason))
        self._mark_disconnected()

    def on_socket_closed(self) -> None:
        """paho's ``on_socket_close``, on the loop or on the connecting thread."""
        loop = self._transport.loop
        if loop is None:
            return
        if self._transport.on_loop_thread():
            self._transport.forget_socket()
            self._link_down.set()
        else:
            with contextlib.suppress(RuntimeError):  # the loop is closing
                loop.call_soon_threadsafe(self._link_down.set)

    def _take_limits(self, limits: BrokerLimits) -> None:
        """Keep to what this CONNACK says; say loudly what will not work as usual."""
        log_limits(limits, changed=limits != self._window.limits or not self._ever_connected)
        self._window.limits = limits

    def _record_failure(self, reason: str) -> None:
        self._stats.connect_failures += 1
        if reason != self._stats.last_error:
            _log.error(
                "mqtt connection failed, retrying",
                host=self._settings.host,
                port=self._settings.port,
                reason=reason,
            )
        self._stats.last_error = reason

    def _mark_disconnected(self) -> None:
        self._stats.connected = False
        self.connected.clear()
