"""One long-lived MQTT connection, driven by paho's network thread.

paho runs its socket loop on its own thread (``loop_start``). Its callbacks
here do nothing but copy the event into plain values and hand it to the
asyncio loop with ``call_soon_threadsafe``; every bit of state (counters,
the connected flag, subscriptions, the service's hooks) is touched only on
the loop. The blocking TCP/TLS connect happens on paho's thread too
(``connect_async``), never on the loop.

Every successful connect — the first and each reconnect — publishes the
retained ``online``, resubscribes (the broker may have lost our session, e.g.
after a restart without persistence) and calls the ``on_connect`` hook so the
service republishes retained state. All of that is idempotent.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode
from paho.mqtt.subscribeoptions import SubscribeOptions

from bridge.logs import get_logger
from bridge.mqtt.client import (
    MAX_QUEUED_MESSAGES,
    OFFLINE,
    ONLINE,
    ack_now,
    build_client,
    connect_args,
    new_properties,
)
from bridge.mqtt.message import InboundMessage
from bridge.mqtt.stats import MqttStats
from bridge.mqtt.topics import Topics
from bridge.settings import MqttSettings

MessageHandler = Callable[[InboundMessage], Awaitable[None] | None]
ConnectHook = Callable[[], Awaitable[None] | None]

_log = get_logger("mqtt")

MAX_UNACKED_CONNECTED = 60_000
"""Bound on QoS 1 publishes awaiting PUBACK while connected: below the 65 535
MQTT packet ids paho cycles through (it reuses an id still queued, replacing
that message: a response lost without trace). Reached only by a flood of
tens of thousands of commands answered faster than the broker acknowledges."""


class MqttConnection:
    """The bridge's single MQTT client: connect, stay connected, publish, receive.

    Args:
        settings: the validated ``mqtt`` section.
        on_message: called on the loop for every inbound message; may be async.
        on_connect: called on the loop after every successful (re)connect,
            after ``online`` is published and subscriptions are renewed; may be async.
        subscriptions: topic filters to hold at QoS 1 (more via :meth:`subscribe`).
        max_queued: bound on QoS 1 publishes held while the broker is away.
    """

    def __init__(
        self,
        settings: MqttSettings,
        *,
        on_message: MessageHandler | None = None,
        on_connect: ConnectHook | None = None,
        subscriptions: Iterable[str] = (),
        max_queued: int = MAX_QUEUED_MESSAGES,
    ) -> None:
        self.settings = settings
        self.topics = Topics(settings.base_topic)
        self.stats = MqttStats()
        self._on_message = on_message
        self._on_connect = on_connect
        self._subscriptions: list[str] = list(dict.fromkeys(subscriptions))
        self._max_queued = max_queued
        self._client = build_client(settings, will_topic=self.topics.bridge_availability)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._connected = asyncio.Event()
        self._acked = asyncio.Event()
        self._ever_connected = False
        self._stopping = False
        self._unacked: set[int] = set()  # mids of QoS 1 publishes awaiting PUBACK
        self._tasks: set[asyncio.Task[None]] = set()
        self._wire_callbacks()

    # ------------------------------------------------------------------ state
    @property
    def connected(self) -> bool:
        """True while the broker has accepted us and the link is up."""
        return self.stats.connected

    @property
    def connected_event(self) -> asyncio.Event:
        """Set while connected, cleared while not: for code that must wait for the link."""
        return self._connected

    @property
    def last_error(self) -> str | None:
        """Why the last connection attempt failed, for logs and /healthz."""
        return self.stats.last_error

    # -------------------------------------------------------------- lifecycle
    async def start(self) -> None:
        """Start connecting in the background; returns at once.

        paho's thread retries with capped backoff until :meth:`disconnect`,
        whether the broker is down, refuses our credentials or fails TLS.
        """
        self._loop = asyncio.get_running_loop()
        self._client.connect_async(**connect_args(self.settings))
        self._client.loop_start()
        _log.info("mqtt connecting", host=self.settings.host, port=self.settings.port)

    async def wait_connected(self, timeout: float) -> None:  # noqa: ASYNC109 - deadline is the API
        """Wait until connected.

        Raises:
            TimeoutError: not connected within ``timeout`` s; names the last error.
        """
        try:
            await asyncio.wait_for(self._connected.wait(), timeout)
        except TimeoutError:
            reason = self.stats.last_error or "no answer from the broker"
            raise TimeoutError(
                f"not connected to MQTT at {self.settings.host}:{self.settings.port} "
                f"after {timeout}s: {reason}"
            ) from None

    async def disconnect(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Stop cleanly: publish ``offline``, flush QoS 1 messages, disconnect.

        The broker does not send the Last Will on a clean DISCONNECT, so the
        retained ``offline`` must be published by hand first. Flushing is
        bounded by ``timeout``; anything still unacknowledged is given up.
        """
        if self._loop is None:
            return
        self._stopping = True
        if self.connected:
            self.publish(self.topics.bridge_availability, OFFLINE, retain=True)
            await self._flush(time.monotonic() + timeout)
        self._client.disconnect()
        # loop_stop joins paho's thread: a blocking call, so keep it off the loop.
        await asyncio.to_thread(self._client.loop_stop)
        for task in list(self._tasks):
            task.cancel()
        self._mark_disconnected()
        self._loop = None
        self._stopping = False
        _log.info("mqtt disconnected")

    async def _flush(self, deadline: float) -> None:
        while self._unacked and self.connected:
            self._acked.clear()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                _log.warning("mqtt flush timed out", unacked=len(self._unacked))
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._acked.wait(), min(remaining, 0.1))

    # ------------------------------------------------------------ publishing
    def subscribe(self, topic_filter: str) -> None:
        """Hold ``topic_filter`` at QoS 1 from now on, across reconnects."""
        if topic_filter in self._subscriptions:
            return
        self._subscriptions.append(topic_filter)
        if self.connected:
            self._subscribe(topic_filter)

    def unsubscribe(self, topic_filter: str) -> None:
        """Stop holding ``topic_filter``, now and after future reconnects."""
        if topic_filter not in self._subscriptions:
            return
        self._subscriptions.remove(topic_filter)
        if self.connected:
            self._client.unsubscribe(topic_filter)

    def publish(
        self,
        topic: str,
        payload: bytes | str,
        *,
        retain: bool,
        qos: int = 1,
        properties: Properties | None = None,
    ) -> bool:
        """Publish, or queue it in paho while the broker is away.

        The queue is bounded by ``max_queued`` while the broker is away;
        connected, the broker's PUBACKs pace it, and a burst of commands must
        get every one of its responses, up to MAX_UNACKED_CONNECTED: beyond
        that paho's 16-bit message ids would wrap and a new message would
        silently replace a queued one with the same id.

        Returns:
            False when the message was dropped: the outage queue is full
            (retained state is republished on reconnect anyway), or QoS 0
            while disconnected.
        """
        limit = self._max_queued if not self.connected else MAX_UNACKED_CONNECTED
        if qos > 0 and len(self._unacked) >= limit:
            return self._dropped(topic)
        info = self._client.publish(topic, payload, qos=qos, retain=retain, properties=properties)
        if qos == 0 and info.rc != mqtt.MQTT_ERR_SUCCESS:
            return self._dropped(topic)
        if qos > 0:
            # Tracked by mid rather than info.is_published(): that raises for
            # a message queued while disconnected, because paho keeps the
            # NO_CONN rc on the info even after it is later delivered.
            self._unacked.add(info.mid)
        return True

    def _dropped(self, topic: str) -> bool:
        self.stats.dropped += 1
        if self.stats.dropped == 1 or self.stats.dropped % 100 == 0:
            _log.warning("mqtt publish dropped", topic=topic, dropped=self.stats.dropped)
        return False

    def publish_reply(self, msg: InboundMessage, payload: bytes | str) -> bool:
        """Answer an MQTT 5 request on its Response Topic with its Correlation Data.

        Returns:
            False when the request asked for no reply (or named an unusable
            topic, such as one with wildcards, which paho would refuse).
        """
        target = msg.response_topic
        if not target or any(ch in target for ch in "+#\x00"):
            return False
        props = new_properties(PacketTypes.PUBLISH)
        if msg.correlation_data is not None:
            props.CorrelationData = msg.correlation_data
        return self.publish(target, payload, retain=False, qos=1, properties=props)

    # -------------------------------------------------- paho thread (thin!)
    def _wire_callbacks(self) -> None:
        self._client.on_connect = self._paho_on_connect
        self._client.on_connect_fail = self._paho_on_connect_fail
        self._client.on_disconnect = self._paho_on_disconnect
        self._client.on_message = self._paho_on_message
        self._client.on_publish = self._paho_on_publish

    def _post(self, callback: Callable[..., None], *args: Any) -> None:
        loop = self._loop
        if loop is None:
            return
        # The loop may already be closed while paho's thread winds down.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(callback, *args)

    def _paho_on_connect(
        self, _c: mqtt.Client, _u: Any, _flags: Any, reason: ReasonCode, _props: Any
    ) -> None:
        self._post(self._handle_connack, reason.value, str(reason), reason.is_failure)

    def _paho_on_connect_fail(self, _c: mqtt.Client, _u: Any) -> None:
        # paho calls this from inside its `except OSError` around reconnect()
        # and does not pass the exception (paho client.py loop_forever), so
        # the handled exception is the only place the reason survives.
        err = sys.exception()
        self._post(self._handle_connect_fail, f"{type(err).__name__}: {err}" if err else None)

    def _paho_on_disconnect(
        self, _c: mqtt.Client, _u: Any, _flags: Any, reason: ReasonCode, _props: Any
    ) -> None:
        self._post(self._handle_disconnect, str(reason))

    def _paho_on_message(self, _c: mqtt.Client, _u: Any, msg: mqtt.MQTTMessage) -> None:
        self._post(self._handle_message, InboundMessage.from_paho(msg))

    def _paho_on_publish(self, c: mqtt.Client, _u: Any, mid: int, _rc: Any, _p: Any) -> None:
        ack_now(c.socket())
        self._post(self._count_published, mid)

    # -------------------------------------------------------- loop handlers
    def _handle_connack(self, code: int, reason: str, failed: bool) -> None:
        if failed:
            self._record_failure(f"broker refused the connection: {reason} (reason code {code})")
            return
        if self._ever_connected:
            self.stats.reconnects += 1
        self._ever_connected = True
        self.stats.connected = True
        self.stats.last_error = None
        self._connected.set()
        _log.info("mqtt connected", reconnects=self.stats.reconnects)
        self.publish(self.topics.bridge_availability, ONLINE, retain=True)
        for topic_filter in self._subscriptions:
            self._subscribe(topic_filter)
        self._run_hook(self._on_connect)

    def _subscribe(self, topic_filter: str) -> None:
        """Subscribe at QoS 1; on MQTT 5 with Retain As Published.

        A broker forwards a retained publish to current subscribers with the
        retain flag cleared (MQTT 3.1.1 §3.3.1.3), so without this option a
        command published with ``retain`` would look like a normal one and be
        executed, then replayed on every reconnect. MQTT 5's Retain As
        Published keeps the flag, so such commands are refused at once.
        """
        if self.settings.protocol == "5":
            options = SubscribeOptions(qos=1, retainAsPublished=True)
            self._client.subscribe(topic_filter, options=options)
        else:
            self._client.subscribe(topic_filter, qos=1)

    def _handle_connect_fail(self, reason: str | None) -> None:
        self._record_failure(f"cannot reach the broker: {reason or 'connection failed'}")

    def _record_failure(self, reason: str) -> None:
        self.stats.connect_failures += 1
        if reason != self.stats.last_error:
            _log.error(
                "mqtt connection failed, retrying",
                host=self.settings.host,
                port=self.settings.port,
                reason=reason,
            )
        self.stats.last_error = reason

    def _handle_disconnect(self, reason: str) -> None:
        if self.stats.connected and not self._stopping:
            _log.warning("mqtt connection lost, reconnecting", reason=reason)
        self._mark_disconnected()

    def _mark_disconnected(self) -> None:
        self.stats.connected = False
        self._connected.clear()

    def _handle_message(self, msg: InboundMessage) -> None:
        self.stats.received += 1
        if self._on_message is not None:
            self._run_hook(self._on_message, msg)

    def _count_published(self, mid: int) -> None:
        self.stats.published += 1
        self._unacked.discard(mid)
        self._acked.set()

    def _run_hook(self, hook: Callable[..., Awaitable[None] | None] | None, *args: Any) -> None:
        if hook is None:
            return
        try:
            result = hook(*args)
        except Exception:
            _log.exception("mqtt hook failed", hook=getattr(hook, "__name__", repr(hook)))
            return
        if result is not None:
            task = asyncio.ensure_future(result)
            self._tasks.add(task)
            task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            _log.error("mqtt hook failed", error=repr(task.exception()))
