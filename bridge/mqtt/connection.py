"""The bridge's one MQTT connection: what the rest of the bridge calls.

:class:`MqttConnection` is a facade over three parts, each in its own module:

- :mod:`bridge.mqtt.link`: connect, reconnect with backoff, CONNACK,
  ``online``/``offline`` (:class:`~bridge.mqtt.link.LinkSupervisor`);
- :mod:`bridge.mqtt.transport`: paho's socket on the asyncio loop, bounded
  read batches, corked batched writes, paused reading
  (:class:`~bridge.mqtt.transport.LoopTransport`);
- :mod:`bridge.mqtt.send_window`: the broker's Receive Maximum and the
  :class:`~bridge.mqtt.outbox.Outbox` behind it
  (:class:`~bridge.mqtt.send_window.SendWindow`).

paho's client comes from :mod:`bridge.mqtt.paho_factory`, and every use of
paho's private API is in :mod:`bridge.mqtt.paho_internals`. The service
sees only this class's publish methods, its state and two back-pressure
words: :meth:`hold_reading` and :meth:`publishing_batch`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from contextlib import AbstractContextManager
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

from bridge.logs import get_logger
from bridge.mqtt.limits import BrokerLimits
from bridge.mqtt.link import LinkSupervisor
from bridge.mqtt.message import InboundMessage
from bridge.mqtt.outbox import Outbox
from bridge.mqtt.paho_factory import MAX_QUEUED_MESSAGES, build_client, new_properties
from bridge.mqtt.send_window import SendWindow
from bridge.mqtt.stats import MqttStats
from bridge.mqtt.subscriptions import Subscriptions
from bridge.mqtt.topics import Topics
from bridge.mqtt.transport import LoopTransport
from bridge.settings import MqttSettings

MessageHandler = Callable[[InboundMessage], Awaitable[None] | None]
ConnectHook = Callable[[], Awaitable[None] | None]

_log = get_logger("mqtt")


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
        self._tasks: set[asyncio.Task[None]] = set()
        self._client = build_client(settings, will_topic=self.topics.bridge_availability)
        self._subscriptions = Subscriptions(
            self._client, base=self.topics.base, v5=settings.protocol == "5", filters=subscriptions
        )
        self._transport = LoopTransport(self._client)
        self._window = SendWindow(
            self._client,
            self._transport,
            self.stats,
            is_urgent=self._is_availability,
            max_queued=max_queued,
        )
        self._link = LinkSupervisor(
            self._client,
            self._transport,
            self._window,
            subscriptions=self._subscriptions,
            settings=settings,
            stats=self.stats,
            availability_topic=self.topics.bridge_availability,
            on_accepted=lambda: self._run_hook(self._on_connect),
        )
        self._wire_callbacks()

    # ------------------------------------------------------------------ state
    @property
    def connected(self) -> bool:
        """True while the broker has accepted us and the link is up."""
        return self.stats.connected

    @property
    def connected_event(self) -> asyncio.Event:
        """Set while connected, cleared while not: for code that must wait for the link."""
        return self._link.connected

    @property
    def last_error(self) -> str | None:
        """Why the last connection attempt failed, for logs and /healthz."""
        return self.stats.last_error

    @property
    def limits(self) -> BrokerLimits:
        """What the last CONNACK said."""
        return self._window.limits

    @property
    def holding_back(self) -> bool:
        """Non-retained publishes are waiting for the broker's send window."""
        return self._window.outbox.queued > 0

    # The send window's books, which the tests of the window read and fill.
    @property
    def _unacked(self) -> dict[int, str]:
        return self._window.unacked

    @property
    def _outbox(self) -> Outbox:
        return self._window.outbox

    # -------------------------------------------------------------- lifecycle
    async def start(self) -> None:
        """Start connecting in the background; returns at once.

        A supervisor task retries with capped backoff until :meth:`disconnect`,
        whether the broker is down, refuses our credentials or fails TLS.
        """
        self._link.start()

    async def wait_connected(self, timeout: float) -> None:  # noqa: ASYNC109 - deadline is the API
        """Wait until connected.

        Raises:
            TimeoutError: not connected within ``timeout`` s; names the last error.
        """
        await self._link.wait_connected(timeout)

    async def disconnect(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Stop cleanly: publish ``offline``, flush QoS 1 messages, disconnect.

        The broker does not send the Last Will on a clean DISCONNECT, so the
        retained ``offline`` must be published by hand first. Flushing is
        bounded by ``timeout``; anything still unacknowledged is given up.
        """
        if self._transport.loop is None:
            return
        await self._link.stop(time.monotonic() + timeout)
        for task in list(self._tasks):
            task.cancel()
        self._link.stopped()
        _log.info("mqtt disconnected")

    # ----------------------------------------------------------- back-pressure
    def hold_reading(self, held: bool) -> None:
        """Hold (True) or resume (False) reading commands: the receiver's backlog is full.

        While held the broker keeps what it has for our session, as it does
        while the bridge is away; the link stays up until the keep-alive
        runs out, which a short hold never reaches.
        """
        self._transport.pause_reading(held)

    def publishing_batch(self) -> AbstractContextManager[None]:
        """Publishes made inside leave together when it ends, in as few TCP segments as fit.

        For a run of answers (the command inbox's slice): one system call
        and one broker wake-up for all of them instead of one each.
        """
        return self._transport.batched_writes()

    # ----------------------------------------------------------- subscribing
    def subscribe(self, topic_filter: str) -> None:
        """Hold ``topic_filter`` at QoS 1 from now on, across reconnects."""
        if self._subscriptions.add(topic_filter, live=self.connected):
            self._transport.watch_writes()

    def unsubscribe(self, topic_filter: str) -> None:
        """Stop holding ``topic_filter``, now and after future reconnects."""
        if self._subscriptions.remove(topic_filter, live=self.connected):
            self._transport.watch_writes()

    def set_topic_ids(self, topic_ids: Iterable[str]) -> None:
        """The cookers' topic ids: a broker without wildcards gets their topics one by one."""
        if self._subscriptions.set_topic_ids(topic_ids, live=self.connected):
            self._transport.watch_writes()

    # ------------------------------------------------------------ publishing
    def publish(
        self,
        topic: str,
        payload: bytes | str,
        *,
        retain: bool,
        qos: int = 1,
        properties: Properties | None = None,
    ) -> bool:
        """Publish now if the broker's send window has room, else hold it in the outbox.

        QoS 1 publishes go out at once while fewer than the broker's Receive
        Maximum await a PUBACK, their topic holds less than its share of
        that window and nothing is waiting; otherwise they wait in the
        :class:`Outbox`, which lets availability out first and answers of
        different topics out in turns (``docs/architecture.md``, "The send
        window"). While the broker is away they wait there too.

        Non-retained publishes held are bounded: by ``max_queued`` while the
        broker is away (retained state is republished on reconnect anyway),
        and by MAX_UNACKED_CONNECTED while connected, below the 16-bit
        message ids paho cycles through. Retained ones keep only the latest
        payload per topic, so they need no bound.

        Returns:
            False when the message was dropped: over a bound, bigger than
            the broker's Maximum Packet Size, or QoS 0 without a link.
        """
        return self._window.publish(topic, payload, retain, qos, properties)

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

    def waiting_on(self, topic: str) -> int:
        """Publishes on ``topic`` held back by the broker's send window (not retained ones)."""
        return self._window.outbox.waiting_on(topic)

    def _is_availability(self, topic: str) -> bool:
        """``<base>/<id>/availability`` or the bridge's: sent before everything else waiting."""
        prefix = f"{self.topics.base}/"
        rest = topic[len(prefix) :] if topic.startswith(prefix) else ""
        return rest.count("/") == 1 and rest.endswith("/availability")

    # ------------------------------------------------------- paho callbacks
    # All of them run on the loop, inside reads, writes and loop_misc; only
    # on_socket_open/close may also run on the connecting thread. No write
    # callbacks are set: then paho writes at once when called outside its
    # callbacks, which is the lowest latency, and the transport covers the rest.
    def _wire_callbacks(self) -> None:
        self._client.on_connect = self._paho_on_connect
        self._client.on_disconnect = self._paho_on_disconnect
        self._client.on_message = self._paho_on_message
        self._client.on_publish = self._paho_on_publish
        self._client.on_socket_close = self._paho_socket_closed

    def _paho_on_connect(
        self, _c: mqtt.Client, _u: Any, _flags: Any, reason: ReasonCode, props: Any
    ) -> None:
        self._link.on_connack(reason, props)

    def _paho_on_disconnect(
        self, _c: mqtt.Client, _u: Any, _flags: Any, reason: ReasonCode, _props: Any
    ) -> None:
        self._link.on_disconnect(reason)

    def _paho_on_message(self, _c: mqtt.Client, _u: Any, msg: mqtt.MQTTMessage) -> None:
        self.stats.received += 1
        if self._on_message is not None:
            self._run_hook(self._on_message, InboundMessage.from_paho(msg))

    def _paho_on_publish(self, _c: mqtt.Client, _u: Any, mid: int, _rc: Any, _p: Any) -> None:
        self._transport.note_puback()
        self._window.acknowledged(mid)

    def _paho_socket_closed(self, _c: mqtt.Client, _u: Any, _sock: Any) -> None:
        self._link.on_socket_closed()

    # ------------------------------------------------------------------ hooks
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
