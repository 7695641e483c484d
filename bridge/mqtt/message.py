"""The typed inbound message the rest of the bridge sees instead of paho's."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import paho.mqtt.client as mqtt


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """One message received from the broker, copied out of paho's object.

    Attributes:
        topic: the topic it was published on.
        payload: the raw bytes; decoding and size checks belong to ``commands/``.
        retain: True when the broker delivered it as a retained message
            (commands with it are refused: they would replay on every reconnect).
        qos: the delivery QoS.
        response_topic: MQTT 5 Response Topic, if the sender asked for a reply.
        correlation_data: MQTT 5 Correlation Data to echo in that reply.
    """

    topic: str
    payload: bytes
    retain: bool
    qos: int
    response_topic: str | None = None
    correlation_data: bytes | None = None

    @classmethod
    def from_paho(cls, msg: mqtt.MQTTMessage) -> InboundMessage:
        """Copy what we need out of paho's message into a plain, immutable value.

        paho only sets ``properties`` on MQTT 5 connections, and only sets the
        individual attributes the sender included, hence the ``getattr``.
        """
        props = getattr(msg, "properties", None)
        response_topic = getattr(props, "ResponseTopic", None) if props is not None else None
        correlation = getattr(props, "CorrelationData", None) if props is not None else None
        return cls(
            # Interned: queued commands on one topic (a flood) share one string.
            topic=sys.intern(msg.topic),
            payload=bytes(msg.payload),
            retain=bool(msg.retain),
            qos=int(msg.qos),
            response_topic=str(response_topic) if response_topic else None,
            correlation_data=bytes(correlation) if correlation is not None else None,
        )
