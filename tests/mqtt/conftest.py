"""Fixtures for driving a real MqttConnection against a private mosquitto."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bridge.mqtt import InboundMessage, MqttConnection
from bridge.settings import MqttSettings
from tests.support.broker import MosquittoBroker
from tests.support.probe import MqttProbe

_ids = itertools.count()

MakeConnection = Callable[..., MqttConnection]


class Recorder:
    """Collects what the connection hands to the service."""

    def __init__(self) -> None:
        self.messages: list[InboundMessage] = []
        self.connects = 0

    def on_message(self, msg: InboundMessage) -> None:
        self.messages.append(msg)

    def on_connect(self) -> None:
        self.connects += 1


def mqtt_settings(url: str, **overrides: Any) -> MqttSettings:
    """Settings for a test bridge with its own client id and base topic."""
    values: dict[str, Any] = {
        "url": url,
        "client_id": f"bridge-test-{next(_ids)}",
        "base_topic": "anova",
        "keepalive": 5,
    }
    values.update(overrides)
    return MqttSettings(**values)


AVAILABILITY = "anova/bridge/availability"


async def until_online(probe: MqttProbe) -> None:
    """Wait until ``probe`` (subscribed to AVAILABILITY first) sees the connection's ``online``.

    The connection subscribes before it publishes ``online``, and the broker
    handles one client's packets in order: from then on, what is published
    to the connection's topics reaches it.
    """
    seen = await probe.until(AVAILABILITY)
    assert seen.payload == b"online"


async def until_probe_subscribed(probe: MqttProbe, topic: str) -> None:
    """Publish a fence to ``topic`` (under a filter the probe subscribed) and wait for it.

    The probe's SUBSCRIBE goes out on its own connection, in a race with
    whatever the code under test publishes. The broker handles the probe's
    own packets in order, so its fence coming back proves the subscription
    is in place. What the probe received is then cleared.
    """
    probe.publish(topic, b"fence")
    await probe.until(topic)
    probe.clear()


def start_broker(workdir: Path, extra_config: str = "") -> MosquittoBroker:
    """A started private broker; the caller stops it."""
    instance = MosquittoBroker(workdir, extra_config=extra_config)
    instance.start()
    return instance


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
async def make_connection(recorder: Recorder) -> AsyncIterator[MakeConnection]:
    """Build connections wired to ``recorder``; all are disconnected afterwards."""
    made: list[MqttConnection] = []

    def make(settings: MqttSettings, **kwargs: Any) -> MqttConnection:
        kwargs.setdefault("on_message", recorder.on_message)
        kwargs.setdefault("on_connect", recorder.on_connect)
        conn = MqttConnection(settings, **kwargs)
        made.append(conn)
        return conn

    yield make
    for conn in made:
        await conn.disconnect(timeout=1)


@pytest.fixture
def probe(broker: MosquittoBroker) -> Iterator[MqttProbe]:
    """A user-side client on the private broker."""
    instance = MqttProbe(broker.port)
    yield instance
    instance.close()
