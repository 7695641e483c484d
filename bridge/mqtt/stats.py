"""Connection counters for ``<base>/bridge/health`` and ``/metrics``."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(slots=True)
class MqttStats:
    """Live counters, only ever written on the event loop thread.

    Attributes:
        connected: a CONNACK accepted the connection and no drop since.
        reconnects: successful connects after the first one.
        published: publishes the broker acknowledged (PUBACK for QoS 1).
        received: messages delivered to the bridge.
        dropped: publishes refused because paho's outage queue was full.
        connect_failures: attempts that failed (network, TLS or refused CONNACK).
        last_error: why the most recent attempt failed; None once connected.
    """

    connected: bool = False
    reconnects: int = 0
    published: int = 0
    received: int = 0
    dropped: int = 0
    connect_failures: int = 0
    last_error: str | None = None

    def snapshot(self) -> dict[str, Any]:
        """A JSON-ready copy for the health report."""
        return asdict(self)
