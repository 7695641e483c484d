"""What the broker said it supports, from its MQTT 5 CONNACK, and the size of a publish.

A broker states its limits in CONNACK properties; a property it leaves out
has the default MQTT 5 gives it (§3.2.2.3). MQTT 3.1.1 has no such
properties: there the broker's limits are unknown, and the defaults stand.
A strict broker (EMQX, HiveMQ) disconnects a client that goes beyond them,
so the connection keeps to them: see ``docs/operations.md``, "Brokers".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from bridge.logs import get_logger

_log = get_logger("mqtt")

UNLIMITED_RECEIVE = 65_535
"""Receive Maximum when the broker names none (the protocol's largest)."""

OUR_MAXIMUM_PACKET_SIZE = 2 * 1024 * 1024
"""The largest packet the bridge accepts, announced in CONNECT (MQTT 5).

A broker then discards larger messages for us instead of sending them
(MQTT 5 §3.1.2.11.4), so a runaway publisher cannot make paho buffer
hundreds of megabytes. Commands are refused above 64 KiB anyway; between
64 KiB and this size they still get a ``PAYLOAD_TOO_LARGE`` answer, above
it they are dropped by the broker without one."""


@dataclass(frozen=True, slots=True)
class BrokerLimits:
    """The broker's CONNACK properties that change what the bridge may send.

    Attributes:
        receive_maximum: QoS 1/2 publishes it accepts unacknowledged.
        maximum_packet_size: its largest packet in bytes; None for no limit.
        topic_alias_maximum: topic aliases it accepts (the bridge uses none).
        retain_available: it keeps retained messages.
        wildcard_subscription_available: it accepts ``+``/``#`` in filters.
        shared_subscription_available: it accepts ``$share/`` filters (unused).
        maximum_qos: the highest QoS it accepts in a publish.
    """

    receive_maximum: int = UNLIMITED_RECEIVE
    maximum_packet_size: int | None = None
    topic_alias_maximum: int = 0
    retain_available: bool = True
    wildcard_subscription_available: bool = True
    shared_subscription_available: bool = True
    maximum_qos: int = 2

    @classmethod
    def from_connack(cls, properties: Any) -> BrokerLimits:
        """Read paho's CONNACK ``Properties`` (None or empty on MQTT 3.1.1)."""

        def value(name: str, default: Any) -> Any:
            return getattr(properties, name, default) if properties is not None else default

        return cls(
            receive_maximum=int(value("ReceiveMaximum", UNLIMITED_RECEIVE)),
            maximum_packet_size=value("MaximumPacketSize", None),
            topic_alias_maximum=int(value("TopicAliasMaximum", 0)),
            retain_available=bool(value("RetainAvailable", 1)),
            wildcard_subscription_available=bool(value("WildcardSubscriptionAvailable", 1)),
            shared_subscription_available=bool(value("SharedSubscriptionAvailable", 1)),
            maximum_qos=int(value("MaximumQoS", 2)),
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, for ``bridge/info`` and the logs."""
        return asdict(self)


def log_limits(limits: BrokerLimits, *, changed: bool) -> None:
    """Log the broker's limits when they are new, and loudly what will not work as usual."""
    if changed:
        _log.info("mqtt broker limits", **limits.as_dict())
    if not limits.retain_available:
        _log.error(
            "mqtt broker keeps no retained messages: states, availability and "
            "Home Assistant discovery are sent without retain, so a client that "
            "subscribes later sees nothing until the next publish; use a broker "
            "with retain enabled"
        )
    if not limits.wildcard_subscription_available:
        _log.error(
            "mqtt broker refuses wildcard subscriptions: the bridge subscribes to "
            "each cooker's command topics one by one, and does not scan Home "
            "Assistant's retained discovery configs for stale ones"
        )


def _varint_length(value: int) -> int:
    length = 1
    while value >= 128:
        value //= 128
        length += 1
    return length


def publish_size(topic: str, payload: bytes | str, *, qos: int, properties: Any = None) -> int:
    """Bytes a PUBLISH takes on the wire, the measure of Maximum Packet Size.

    Args:
        topic: the topic name.
        payload: the payload (str is sent as UTF-8).
        qos: 0 carries no packet identifier.
        properties: paho ``Properties`` on MQTT 5, or None; on MQTT 3.1.1
            pass None, and the size is one byte larger than on the wire,
            which errs on the safe side.
    """
    body = payload.encode() if isinstance(payload, str) else payload
    props = properties.pack() if properties is not None else b"\x00"
    remaining = 2 + len(topic.encode()) + (2 if qos else 0) + len(props) + len(body)
    return 1 + _varint_length(remaining) + remaining
