"""The broker's send window: which QoS 1 publish goes out now, and which waits.

Each CONNACK's limits are kept (:mod:`bridge.mqtt.limits`): at most the
broker's Receive Maximum QoS 1 publishes await a PUBACK, and the rest wait
in the :class:`~bridge.mqtt.outbox.Outbox`, which decides who goes first
(``docs/architecture.md``, "The send window").
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import Callable

import paho.mqtt.client as mqtt
from paho.mqtt.properties import Properties

from bridge.logs import get_logger
from bridge.mqtt.limits import BrokerLimits, publish_size
from bridge.mqtt.outbox import Outbox, Outgoing
from bridge.mqtt.stats import MqttStats
from bridge.mqtt.transport import LoopTransport

_log = get_logger("mqtt")

MAX_UNACKED_CONNECTED = 60_000
"""Bound on QoS 1 publishes awaiting PUBACK while connected: below the 65 535
MQTT packet ids paho cycles through (it reuses an id still queued, replacing
that message: a response lost without trace). Reached only by a flood of
tens of thousands of commands answered faster than the broker acknowledges."""


class SendWindow:
    """Publishes through paho within the broker's Receive Maximum; the rest wait in the outbox.

    Args:
        client: the paho client that writes the publishes.
        transport: the socket's driver (is paho connecting; watch its writes).
        stats: the connection's counters (connected, published, dropped).
        is_urgent: whether a topic is an availability topic, sent before the rest.
        max_queued: bound on non-retained publishes held while the broker is away.
    """

    def __init__(
        self,
        client: mqtt.Client,
        transport: LoopTransport,
        stats: MqttStats,
        *,
        is_urgent: Callable[[str], bool],
        max_queued: int,
    ) -> None:
        self._client = client
        self._transport = transport
        self._stats = stats
        self._is_urgent = is_urgent
        self._max_queued = max_queued
        self.limits = BrokerLimits()  # what the last CONNACK said
        self.unacked: dict[int, str] = {}  # mid -> topic of QoS 1 publishes awaiting PUBACK
        self._in_flight: Counter[str] = Counter()  # of those, how many per topic
        self.outbox = Outbox()  # QoS 1 publishes waiting for the link or a window slot
        self._acked = asyncio.Event()

    def publish(
        self,
        topic: str,
        payload: bytes | str,
        retain: bool,
        qos: int,
        properties: Properties | None,
    ) -> bool:
        """Send now if the window has room, else hold it (see ``MqttConnection.publish``)."""
        if qos == 0:
            if self._transport.connecting or not self._stats.connected:
                return self._dropped(topic)
            return self._send(topic, payload, retain, qos, properties)
        if not retain and len(self.unacked) + self.outbox.queued >= self._hold_limit():
            return self._dropped(topic)
        if not self.outbox and self._window_open() and (retain or self._has_room(topic)):
            return self._send(topic, payload, retain, qos, properties)
        message = Outgoing(topic, payload, retain, qos, properties)
        self.outbox.put(message, urgent=self._is_urgent(topic))
        self.pump()  # a slot may be free for this topic while others wait for theirs
        return True

    def acknowledged(self, mid: int) -> None:
        """The broker acknowledged publish ``mid``: its slot is free for what waits."""
        self._stats.published += 1
        topic = self.unacked.pop(mid, None)
        if topic is not None:
            self._in_flight[topic] -= 1
            if not self._in_flight[topic]:
                del self._in_flight[topic]
        self._acked.set()
        if self.outbox:
            self.pump()

    def pump(self) -> None:
        """Send what waits in the outbox while the window has room."""
        while self.outbox and self._window_open():
            message = self.outbox.take(ready=self._has_room)
            if message is None:  # only topics at their share of the window wait
                return
            self._send(*message.fields())

    async def flush(self, deadline: float) -> None:
        """Wait until nothing waits or awaits a PUBACK, the link drops, or ``deadline``."""
        while (self.unacked or self.outbox) and self._stats.connected:
            self._acked.clear()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                _log.warning("mqtt flush timed out", unacked=len(self.unacked))
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._acked.wait(), min(remaining, 0.1))

    def _window_open(self) -> bool:
        """Connected, and fewer than the broker's Receive Maximum await a PUBACK."""
        return (
            self._stats.connected
            and not self._transport.connecting
            and len(self.unacked) < self.limits.receive_maximum
        )

    def _has_room(self, topic: str) -> bool:
        """The topic may take another slot: one topic never takes the last quarter of the window.

        Those slots stay free for other topics, so another cooker's answer
        goes out at once instead of waiting for a flood's PUBACK.
        """
        window = self.limits.receive_maximum
        return self._in_flight[topic] < max(1, window - max(1, window // 4))

    def _hold_limit(self) -> int:
        return MAX_UNACKED_CONNECTED if self._stats.connected else self._max_queued

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
        self._transport.watch_writes()
        if qos == 0 and info.rc != mqtt.MQTT_ERR_SUCCESS:
            return self._dropped(topic)
        if qos > 0:
            # Tracked by mid rather than info.is_published(): that raises for
            # a message queued while disconnected, because paho keeps the
            # NO_CONN rc on the info even after it is later delivered.
            self.unacked[info.mid] = topic
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
        self._stats.dropped += 1
        if self._stats.dropped == 1 or self._stats.dropped % 100 == 0:
            _log.warning("mqtt publish dropped", topic=topic, dropped=self._stats.dropped)
        return False
