"""A plain paho client that tests use as the user: publish, and watch topics."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from tests.support.waiting import async_wait_until, wait_until


@dataclass(frozen=True)
class Received:
    """One message seen by the probe."""

    topic: str
    payload: bytes
    retain: bool
    properties: Any = None

    def json(self) -> Any:
        """The payload parsed as JSON."""
        return json.loads(self.payload)


class MqttProbe:
    """Subscribes to topics, records every message, and publishes like a user would."""

    def __init__(
        self, port: int, *, protocol: MQTTProtocolVersion = mqtt.MQTTv5, client_id: str = ""
    ) -> None:
        self.client = mqtt.Client(
            callback_api_version=CallbackAPIVersion.VERSION2, client_id=client_id, protocol=protocol
        )
        self.messages: list[Received] = []
        self._filters: list[str] = []
        self._lock = threading.Lock()
        self._subacked: set[int] = set()
        self._suback = threading.Condition()
        self.client.on_message = self._on_message
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = self._on_subscribe
        properties = None
        if client_id and protocol == mqtt.MQTTv5:
            # A named script keeps its session across broker restarts, like a real one.
            properties = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]  # paho: untyped
            properties.SessionExpiryInterval = 3600
        if protocol == mqtt.MQTTv5:
            self.client.connect("127.0.0.1", port, clean_start=not client_id, properties=properties)
        else:
            self.client.connect("127.0.0.1", port)
        self.client.loop_start()
        wait_until(self.client.is_connected, timeout=10, what="probe connected")

    def _on_message(self, _client: Any, _userdata: Any, msg: mqtt.MQTTMessage) -> None:
        props = getattr(msg, "properties", None)
        with self._lock:
            self.messages.append(Received(msg.topic, bytes(msg.payload), bool(msg.retain), props))

    def _on_connect(self, client: mqtt.Client, *_args: Any) -> None:
        for topic in list(self._filters):
            client.subscribe(topic, qos=1)

    def _on_subscribe(self, _client: Any, _userdata: Any, mid: int, *_args: Any) -> None:
        with self._suback:
            self._subacked.add(mid)
            self._suback.notify_all()

    def subscribe(self, *topics: str) -> None:
        """Subscribe at QoS 1 now and again after every reconnect; return once the broker has it.

        Waiting for the SUBACK is what makes "then the code under test
        publishes" safe: the subscription is in place before it does.
        """
        for topic in topics:
            self._filters.append(topic)
            rc, mid = self.client.subscribe(topic, qos=1)
            assert mid is not None
            if rc == mqtt.MQTT_ERR_SUCCESS:
                self._wait_for_suback(mid, topic)

    def _wait_for_suback(self, mid: int, topic: str) -> None:
        with self._suback:
            acked = self._suback.wait_for(lambda: mid in self._subacked, timeout=10)
        assert acked, f"no SUBACK for {topic} within 10 s"

    def publish(
        self,
        topic: str,
        payload: str | bytes | dict[str, Any],
        *,
        retain: bool = False,
        qos: int = 1,
        properties: Properties | None = None,
    ) -> None:
        """Publish and wait until the broker has it."""
        body = json.dumps(payload) if isinstance(payload, dict) else payload
        info = self.client.publish(topic, body, qos=qos, retain=retain, properties=properties)
        info.wait_for_publish(timeout=10)

    def publish_with_response_topic(
        self, topic: str, payload: str | bytes, response_topic: str, correlation: bytes
    ) -> None:
        """Publish an MQTT 5 request carrying a Response Topic and Correlation Data."""
        props = Properties(PacketTypes.PUBLISH)  # type: ignore[no-untyped-call]  # paho: untyped
        props.ResponseTopic = response_topic
        props.CorrelationData = correlation
        self.publish(topic, payload, properties=props)

    def on(self, topic: str) -> list[Received]:
        """Every message seen so far on ``topic``."""
        with self._lock:
            return [m for m in self.messages if m.topic == topic]

    def last(self, topic: str) -> Received | None:
        """The most recent message on ``topic``."""
        seen = self.on(topic)
        return seen[-1] if seen else None

    def wait_for(self, topic: str, predicate: Any = None, timeout: float = 10.0) -> Received:
        """Wait for a message on ``topic`` (matching ``predicate(json)`` when given)."""

        def found() -> Received | None:
            for msg in reversed(self.on(topic)):
                if predicate is None or predicate(_json_or_none(msg.payload)):
                    return msg
            return None

        return wait_until(found, timeout=timeout, what=f"message on {topic}")

    async def until(self, topic: str, predicate: Any = None, timeout: float = 10.0) -> Received:
        """Like :meth:`wait_for`, without blocking the event loop (bridge in-process)."""

        def found() -> Received | None:
            for msg in reversed(self.on(topic)):
                if predicate is None or predicate(_json_or_none(msg.payload)):
                    return msg
            return None

        return await async_wait_until(found, timeout=timeout, what=f"message on {topic}")

    def clear(self) -> None:
        """Forget what was seen."""
        with self._lock:
            self.messages.clear()

    def close(self) -> None:
        """Disconnect and stop the network thread."""
        self.client.disconnect()
        self.client.loop_stop()


def _json_or_none(payload: bytes) -> Any:
    try:
        return json.loads(payload)
    except ValueError:
        return None
