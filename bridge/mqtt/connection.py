"""One long-lived MQTT connection, driven by the asyncio loop.

paho's network I/O runs on the bridge's own event loop (paho's "external
event loop" interface: ``loop_read``/``loop_write``/``loop_misc`` driven by
``add_reader``/``add_writer``), not on paho's thread. A command therefore
goes from the socket to the command router and its response back to the
socket without a thread hand-off, a socket-pair wake-up per publish or the
GIL changing hands, which let the bridge refuse about half as many
commands again per CPU-second (``docs/performance.md``). Only the blocking
TCP/TLS connect runs on a worker thread, so a slow or unreachable broker
never stalls the loop.

Every successful connect — the first and each reconnect — resubscribes (the
broker may have lost our session, e.g. after a restart without persistence),
then publishes the retained ``online`` and calls the ``on_connect`` hook so
the service republishes retained state. All of that is idempotent. The
broker handles one client's packets in order, so by the time anyone sees
``online`` our subscriptions are in place: a command sent then is received.

Each CONNACK's limits are kept (:mod:`bridge.mqtt.limits`): at most the
broker's Receive Maximum QoS 1 publishes await a PUBACK, and the rest wait
in the :class:`~bridge.mqtt.outbox.Outbox`, which decides who goes first
(``docs/architecture.md``, "The send window").
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Iterator
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

from bridge.logs import get_logger
from bridge.mqtt.client import (
    MAX_QUEUED_MESSAGES,
    OFFLINE,
    ONLINE,
    RECONNECT_MAX_DELAY,
    RECONNECT_MIN_DELAY,
    ack_now,
    build_client,
    connect_args,
    cork,
    new_properties,
)
from bridge.mqtt.limits import BrokerLimits, log_limits, publish_size
from bridge.mqtt.message import InboundMessage
from bridge.mqtt.outbox import Outbox, Outgoing
from bridge.mqtt.stats import MqttStats
from bridge.mqtt.subscriptions import Subscriptions
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


READ_BATCH = 256
"""Packets read per readable event before other work on the loop gets a turn.

Reading is cheap (commands are queued, not handled, as they are read), so a
batch takes a few milliseconds at most; it must outpace a flood of commands
plus the broker's acknowledgements of our answers."""


def _queue_writes(_client: mqtt.Client, _userdata: Any, _sock: Any) -> None:
    """paho's "writes are watched elsewhere" hook: it queues instead of writing."""


def _tls_pending(sock: Any) -> bool:
    """TLS may hold decrypted bytes already read off the socket, which the selector cannot see."""
    pending = getattr(sock, "pending", None)
    return bool(pending is not None and pending() > 0)


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
        self._max_queued = max_queued
        self._client = build_client(settings, will_topic=self.topics.bridge_availability)
        self._subscriptions = Subscriptions(
            self._client, base=self.topics.base, v5=settings.protocol == "5", filters=subscriptions
        )
        self._loop: asyncio.AbstractEventLoop | None = None
        self._connected = asyncio.Event()
        self._acked = asyncio.Event()
        self._ever_connected = False
        self._stopping = False
        self._unacked: dict[int, str] = {}  # mid -> topic of QoS 1 publishes awaiting PUBACK
        self._in_flight: Counter[str] = Counter()  # of those, how many per topic
        self._tasks: set[asyncio.Task[None]] = set()
        self._loop_thread: int | None = None
        self._fd: int | None = None  # the socket's descriptor while the loop watches it
        self._writer_on = False  # the selector watches _fd for writability
        self._link_down = asyncio.Event()  # the current socket has closed
        self._wake_supervisor = asyncio.Event()  # cut a reconnect wait short (stopping)
        self._accepted = False  # the broker accepted the current connection
        self._pubacks_read = False  # the current read batch held a PUBACK
        self._connecting = False  # paho is connecting on a worker thread
        self._reading_paused = False  # the receiver's backlog is full (pause_reading)
        self._outbox = Outbox()  # QoS 1 publishes waiting for the link or a window slot
        self.limits = BrokerLimits()  # what the last CONNACK said
        self._supervisor: asyncio.Task[None] | None = None
        self._housekeeper: asyncio.Task[None] | None = None
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

        A supervisor task retries with capped backoff until :meth:`disconnect`,
        whether the broker is down, refuses our credentials or fails TLS.
        """
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._client.connect_async(**connect_args(self.settings))
        self._supervisor = asyncio.create_task(self._stay_connected(), name="mqtt-link")
        self._housekeeper = asyncio.create_task(self._keep_alive(), name="mqtt-keepalive")
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
        self._wake_supervisor.set()
        deadline = time.monotonic() + timeout
        if self.connected:
            self.publish(self.topics.bridge_availability, OFFLINE, retain=True)
            await self._flush(deadline)
        if self._client.socket() is not None and not self._connecting:
            self._client.disconnect()  # DISCONNECT is written, then the socket closed
            self._watch_writes()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._link_down.wait(), max(deadline - time.monotonic(), 0.1)
                )
        await self._stop_tasks(deadline)
        self._forget_socket()
        for task in list(self._tasks):
            task.cancel()
        self._mark_disconnected()
        self._loop = None
        self._stopping = False
        _log.info("mqtt disconnected")

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
            self._link_down.clear()
            self._accepted = False
            # While paho connects on a worker thread, publishes wait here: a
            # publish from the loop could otherwise be written before CONNECT,
            # or at the same time as it.
            self._connecting = True
            try:
                await asyncio.to_thread(self._client.reconnect)
            except (OSError, ValueError) as err:  # refused, unreachable, TLS, DNS
                self._release_held()
                self._record_failure(f"cannot reach the broker: {type(err).__name__}: {err}")
            else:
                if self._stop_requested():
                    self._release_held()
                    self._abandon_socket()
                    return
                self._watch_socket()
                self._release_held()
                await self._link_down.wait()
            if self._accepted:
                delay = RECONNECT_MIN_DELAY
            if self._stop_requested():
                return
            self._wake_supervisor.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake_supervisor.wait(), delay)
            delay = min(delay * 2, RECONNECT_MAX_DELAY)

    def _release_held(self) -> None:
        """The connect attempt is over: publishes wait in the outbox until CONNACK."""
        self._connecting = False

    def _stop_requested(self) -> bool:
        # A method, not the attribute: disconnect() sets it while this task
        # awaits, and a type checker would otherwise narrow it to False.
        return self._stopping

    async def _keep_alive(self) -> None:
        """paho's housekeeping: PINGREQ when idle, and drop a link the broker stopped answering."""
        while True:
            await asyncio.sleep(1.0)
            if self._client.socket() is not None:
                self._client.loop_misc()
                self._watch_writes()

    def _watch_socket(self) -> None:
        sock = self._client.socket()
        if sock is None:  # closed already (refused before we got here)
            self._link_down.set()
            return
        self._fd = sock.fileno()
        if not self._reading_paused:
            self._require_loop().add_reader(self._fd, self._on_readable)
        self._watch_writes()

    def pause_reading(self, paused: bool) -> None:
        """Stop (True) or resume (False) reading from the broker: back-pressure.

        While paused the broker keeps what it has for our session, as it
        does while the bridge is away; the link stays up until the keep-alive
        runs out, which a short pause never reaches.
        """
        self._reading_paused = paused
        if self._fd is None or self._loop is None:
            return
        if paused:
            self._loop.remove_reader(self._fd)
        else:
            self._loop.add_reader(self._fd, self._on_readable)
            self._loop.call_soon(self._on_readable)  # what was read ahead is not signalled

    @contextlib.contextmanager
    def batched_writes(self) -> Iterator[None]:
        """Publishes made inside leave together at the end, in as few TCP segments as fit.

        Outside its callbacks paho writes each publish at once, its own
        segment and system call; for a run of answers (the command inbox's
        slice) that costs the bridge and the broker a wake-up each. Inside
        this, paho queues them (it does so when told writes are watched
        elsewhere) and they are written corked at the end.
        """
        sock = self._client.socket()
        if sock is None or self._connecting:
            yield
            return
        self._client.on_socket_register_write = _queue_writes
        cork(sock, True)
        try:
            yield
        finally:
            self._client.on_socket_register_write = None
            if self._client.socket() is sock:
                if self._client.want_write():
                    self._client.loop_write()
                cork(sock, False)
                self._watch_writes()

    def _abandon_socket(self) -> None:
        """A connect that finished after stop was asked for: say goodbye at once."""
        self._client.disconnect()
        self._client.loop_write()

    def _forget_socket(self) -> None:
        if self._fd is None or self._loop is None:
            return
        self._loop.remove_reader(self._fd)
        self._loop.remove_writer(self._fd)
        self._fd = None
        self._writer_on = False

    def _on_readable(self) -> None:
        """Read up to READ_BATCH packets, then let the loop breathe.

        paho's own ``loop_read`` reads as many packets as it has messages in
        flight, thousands under a flood, and nothing else on the loop (the
        cloud's WebSocket, timers, other cookers' commands) would run
        meanwhile. What the batch publishes (PUBACKs, answers) leaves
        together at its end (:meth:`batched_writes`). Packets already read
        off the socket (our read chunk, TLS's buffer) are invisible to the
        selector, so when the batch stops with some left, it calls itself
        again.
        """
        client = self._client
        sock = client.socket()
        if sock is None:
            return
        self._pubacks_read = False
        more = False
        with self.batched_writes():
            for _ in range(READ_BATCH):
                rc = client._packet_read()  # private: loop_read has no usable bound
                if rc == mqtt.MQTT_ERR_AGAIN:
                    if not self._waiting_unseen():
                        break
                elif rc != mqtt.MQTT_ERR_SUCCESS:
                    client._loop_rc_handle(rc)  # close and report, as loop_read does
                    return
                if self._reading_paused:
                    break
            else:
                more = self._waiting_unseen()
            if self._pubacks_read:
                ack_now(sock)
        if more and not self._reading_paused:
            self._require_loop().call_soon(self._on_readable)

    def _waiting_unseen(self) -> bool:
        """Packets read off the socket but not yet handled, which the selector cannot see."""
        return self._client.buffered() > 0 or _tls_pending(self._client.socket())

    def _on_writable(self) -> None:
        self._client.loop_write()
        self._watch_writes()

    def _watch_writes(self) -> None:
        """Have the selector call back while paho holds bytes the socket would not take.

        Outside its callbacks paho writes at once; only what a full socket
        buffer refused (or a callback queued) is left for the selector.
        """
        if self._fd is None or self._loop is None:
            return
        wanted = self._client.want_write()
        if wanted == self._writer_on:  # the usual case, and the selector needs no call
            return
        self._writer_on = wanted
        if wanted:
            self._loop.add_writer(self._fd, self._on_writable)
        else:
            self._loop.remove_writer(self._fd)

    def _require_loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            raise RuntimeError("the MQTT connection is not started")
        return self._loop

    async def _flush(self, deadline: float) -> None:
        while (self._unacked or self._outbox) and self.connected:
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
        if self._subscriptions.add(topic_filter, live=self.connected):
            self._watch_writes()

    def unsubscribe(self, topic_filter: str) -> None:
        """Stop holding ``topic_filter``, now and after future reconnects."""
        if self._subscriptions.remove(topic_filter, live=self.connected):
            self._watch_writes()

    def set_topic_ids(self, topic_ids: Iterable[str]) -> None:
        """The cookers' topic ids: a broker without wildcards gets their topics one by one."""
        if self._subscriptions.set_topic_ids(topic_ids, live=self.connected):
            self._watch_writes()

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
        if qos == 0:
            if self._connecting or not self.connected:
                return self._dropped(topic)
            return self._send(topic, payload, retain, qos, properties)
        if not retain and len(self._unacked) + self._outbox.queued >= self._hold_limit():
            return self._dropped(topic)
        if not self._outbox and self._window_open() and (retain or self._has_room(topic)):
            return self._send(topic, payload, retain, qos, properties)
        message = Outgoing(topic, payload, retain, qos, properties)
        self._outbox.put(message, urgent=self._is_availability(topic))
        self._pump()  # a slot may be free for this topic while others wait for theirs
        return True

    @property
    def holding_back(self) -> bool:
        """Non-retained publishes are waiting for the broker's send window."""
        return self._outbox.queued > 0

    def _is_availability(self, topic: str) -> bool:
        """``<base>/<id>/availability`` or the bridge's: sent before everything else waiting."""
        prefix = f"{self.topics.base}/"
        rest = topic[len(prefix) :] if topic.startswith(prefix) else ""
        return rest.count("/") == 1 and rest.endswith("/availability")

    def waiting_on(self, topic: str) -> int:
        """Publishes on ``topic`` held back by the broker's send window (not retained ones)."""
        return self._outbox.waiting_on(topic)

    def _window_open(self) -> bool:
        """Connected, and fewer than the broker's Receive Maximum await a PUBACK."""
        return (
            self.stats.connected
            and not self._connecting
            and len(self._unacked) < self.limits.receive_maximum
        )

    def _has_room(self, topic: str) -> bool:
        """The topic may take another slot: one topic never takes the last quarter of the window.

        Those slots stay free for other topics, so another cooker's answer
        goes out at once instead of waiting for a flood's PUBACK.
        """
        window = self.limits.receive_maximum
        return self._in_flight[topic] < max(1, window - max(1, window // 4))

    def _hold_limit(self) -> int:
        return MAX_UNACKED_CONNECTED if self.stats.connected else self._max_queued

    def _pump(self) -> None:
        """Send what waits in the outbox while the window has room."""
        while self._outbox and self._window_open():
            message = self._outbox.take(ready=self._has_room)
            if message is None:  # only topics at their share of the window wait
                return
            self._send(*message.fields())

    def _send(
        self,
        topic: str,
        payload: bytes | str,
        retain: bool,
        qos: int,
        properties: Properties | None,
    ) -> bool:
        limits = self.limits
        if limits.maximum_packet_size is not None and self._too_large(
            topic, payload, qos, properties
        ):
            return self._dropped(topic)
        info = self._client.publish(
            topic,
            payload,
            qos=qos,
            retain=retain and limits.retain_available,
            properties=properties,
        )
        self._watch_writes()
        if qos == 0 and info.rc != mqtt.MQTT_ERR_SUCCESS:
            return self._dropped(topic)
        if qos > 0:
            # Tracked by mid rather than info.is_published(): that raises for
            # a message queued while disconnected, because paho keeps the
            # NO_CONN rc on the info even after it is later delivered.
            self._unacked[info.mid] = topic
            self._in_flight[topic] += 1
        return True

    def _too_large(
        self, topic: str, payload: bytes | str, qos: int, properties: Properties | None
    ) -> bool:
        """Bigger than the broker's Maximum Packet Size: it would disconnect us (0x95)."""
        limit = self.limits.maximum_packet_size or 0
        size = publish_size(topic, payload, qos=qos, properties=properties)
        if size <= limit:
            return False
        _log.error(
            "mqtt publish larger than the broker accepts, not sent",
            topic=topic,
            size=size,
            maximum_packet_size=limit,
        )
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

    # ------------------------------------------------------- paho callbacks
    # All of them run on the loop, inside reads, writes and loop_misc; only
    # on_socket_open/close may also run on the connecting thread. No write
    # callbacks are set: then paho writes at once when called outside its
    # callbacks, which is the lowest latency, and _watch_writes covers the rest.
    def _wire_callbacks(self) -> None:
        self._client.on_connect = self._paho_on_connect
        self._client.on_disconnect = self._paho_on_disconnect
        self._client.on_message = self._paho_on_message
        self._client.on_publish = self._paho_on_publish
        self._client.on_socket_close = self._paho_socket_closed

    def _on_loop_thread(self) -> bool:
        return self._loop is not None and threading.get_ident() == self._loop_thread

    def _paho_on_connect(
        self, _c: mqtt.Client, _u: Any, _flags: Any, reason: ReasonCode, props: Any
    ) -> None:
        if not reason.is_failure:
            self._take_limits(BrokerLimits.from_connack(props))
        self._handle_connack(reason.value, str(reason), reason.is_failure)

    def _paho_on_disconnect(
        self, _c: mqtt.Client, _u: Any, _flags: Any, reason: ReasonCode, _props: Any
    ) -> None:
        self._handle_disconnect(str(reason))

    def _paho_on_message(self, _c: mqtt.Client, _u: Any, msg: mqtt.MQTTMessage) -> None:
        self._handle_message(InboundMessage.from_paho(msg))

    def _paho_on_publish(self, _c: mqtt.Client, _u: Any, mid: int, _rc: Any, _p: Any) -> None:
        self._pubacks_read = True
        self._count_published(mid)

    def _paho_socket_closed(self, _c: mqtt.Client, _u: Any, _sock: Any) -> None:
        loop = self._loop
        if loop is None:
            return
        if self._on_loop_thread():
            self._forget_socket()
            self._link_down.set()
        else:
            with contextlib.suppress(RuntimeError):  # the loop is closing
                loop.call_soon_threadsafe(self._link_down.set)

    # -------------------------------------------------------- loop handlers
    def _handle_connack(self, code: int, reason: str, failed: bool) -> None:
        if failed:
            self._record_failure(f"broker refused the connection: {reason} (reason code {code})")
            return
        if self._ever_connected:
            self.stats.reconnects += 1
        self._ever_connected = True
        self._accepted = True
        self.stats.connected = True
        self.stats.last_error = None
        self._connected.set()
        _log.info("mqtt connected", reconnects=self.stats.reconnects)
        # Subscriptions first: `online` then tells every client (and Home
        # Assistant) that commands sent from now on are received.
        self._subscriptions.renew(wildcards=self.limits.wildcard_subscription_available)
        self.publish(self.topics.bridge_availability, ONLINE, retain=True)
        self._pump()  # what waited for the link, availability first
        self._run_hook(self._on_connect)

    def _take_limits(self, limits: BrokerLimits) -> None:
        """Keep to what this CONNACK says; say loudly what will not work as usual."""
        log_limits(limits, changed=limits != self.limits or not self._ever_connected)
        self.limits = limits

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
        topic = self._unacked.pop(mid, None)
        if topic is not None:
            self._in_flight[topic] -= 1
            if not self._in_flight[topic]:
                del self._in_flight[topic]
        self._acked.set()
        if self._outbox:
            self._pump()

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
