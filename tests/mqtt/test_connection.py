"""MqttConnection against a real private mosquitto: connect, receive, publish, reply."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bridge.mqtt import MqttConnection
from tests.mqtt.conftest import (
    AVAILABILITY,
    MakeConnection,
    Recorder,
    mqtt_settings,
    start_broker,
    until_online,
    until_probe_subscribed,
)
from tests.support.broker import MosquittoBroker, free_port
from tests.support.credentials import make_ca, make_leaf
from tests.support.probe import MqttProbe
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("protocol", ["3.1.1", "5"])
async def test_connects_publishes_online_and_receives_commands(
    broker: MosquittoBroker,
    probe: MqttProbe,
    make_connection: MakeConnection,
    recorder: Recorder,
    protocol: str,
) -> None:
    settings = mqtt_settings(broker.url, protocol=protocol)
    conn = make_connection(settings, subscriptions=["anova/+/set"])
    probe.subscribe("anova/bridge/availability")

    await conn.start()
    await conn.wait_connected(timeout=10)

    await async_wait_until(lambda: recorder.connects == 1, what="on_connect hook")
    assert probe.wait_for("anova/bridge/availability").payload == b"online"
    last = probe.last("anova/bridge/availability")
    assert last is not None
    assert last.retain is False  # live, not replayed
    probe.publish("anova/kitchen/set", b'{"action": "stop"}')
    await async_wait_until(lambda: recorder.messages, what="command delivered")
    msg = recorder.messages[0]
    assert (msg.topic, msg.payload, msg.retain, msg.qos) == (
        "anova/kitchen/set",
        b'{"action": "stop"}',
        False,
        1,
    )
    assert msg.response_topic is None
    assert conn.stats.received == 1
    assert conn.connected
    assert conn.last_error is None


async def test_online_is_published_only_once_the_subscriptions_are_in_place(
    tmp_path: Path, make_connection: MakeConnection
) -> None:
    """A client that sends a command as soon as it sees ``online`` must not lose it.

    The broker handles one client's packets in order, so its log shows
    whether our SUBSCRIBE came before the PUBLISH of ``online``. mosquitto
    buffers its log, so it is read once the broker has stopped.
    """
    broker = start_broker(tmp_path, "log_type all")
    probe = MqttProbe(broker.port)
    try:
        probe.subscribe(AVAILABILITY)
        conn = make_connection(mqtt_settings(broker.url), subscriptions=["anova/+/set"])
        await conn.start()
        await until_online(probe)
    finally:
        probe.close()
        broker.stop()
    ours = re.compile(rf" from {re.escape(conn.settings.client_id)}( |$)")
    lines = [line for line in broker.log_path.read_text().splitlines() if ours.search(line)]
    subscribe = [i for i, line in enumerate(lines) if "Received SUBSCRIBE" in line]
    online = [
        i for i, line in enumerate(lines) if "Received PUBLISH" in line and AVAILABILITY in line
    ]
    assert subscribe, lines
    assert online, lines
    assert subscribe[0] < online[0], lines


async def test_retained_command_is_flagged(
    broker: MosquittoBroker, probe: MqttProbe, make_connection: MakeConnection, recorder: Recorder
) -> None:
    probe.publish("anova/kitchen/set", b"{}", retain=True)
    conn = make_connection(mqtt_settings(broker.url), subscriptions=["anova/+/set"])
    await conn.start()
    await async_wait_until(lambda: recorder.messages, what="retained command delivered")
    assert recorder.messages[0].retain is True


async def test_mqtt5_response_topic_round_trip(
    broker: MosquittoBroker, probe: MqttProbe, make_connection: MakeConnection, recorder: Recorder
) -> None:
    probe.subscribe(AVAILABILITY, "replies/me")
    conn = make_connection(mqtt_settings(broker.url), subscriptions=["anova/+/set"])
    await conn.start()
    await until_online(probe)

    probe.publish_with_response_topic("anova/kitchen/set", b"{}", "replies/me", b"\x00corr-1")
    await async_wait_until(lambda: recorder.messages, what="request delivered")
    request = recorder.messages[0]
    assert request.response_topic == "replies/me"
    assert request.correlation_data == b"\x00corr-1"

    assert conn.publish_reply(request, b'{"status": "ok"}')
    reply = probe.wait_for("replies/me")
    assert reply.payload == b'{"status": "ok"}'
    assert reply.properties.CorrelationData == b"\x00corr-1"


async def test_publish_reply_without_response_topic_is_a_no_op(
    broker: MosquittoBroker, make_connection: MakeConnection
) -> None:
    from bridge.mqtt import InboundMessage

    conn = make_connection(mqtt_settings(broker.url))
    await conn.start()
    await conn.wait_connected(timeout=10)
    plain = InboundMessage("anova/x/set", b"{}", retain=False, qos=1)
    wildcard = InboundMessage("anova/x/set", b"{}", False, 1, response_topic="evil/#")
    assert conn.publish_reply(plain, b"x") is False
    assert conn.publish_reply(wildcard, b"x") is False


async def test_publish_counts_acknowledged_messages(
    broker: MosquittoBroker, probe: MqttProbe, make_connection: MakeConnection
) -> None:
    conn = make_connection(mqtt_settings(broker.url))
    await conn.start()
    await conn.wait_connected(timeout=10)
    probe.subscribe("anova/kitchen/state")

    assert conn.publish("anova/kitchen/state", '{"state": "idle"}', retain=True)
    assert probe.wait_for("anova/kitchen/state").payload == b'{"state": "idle"}'
    # "online" and the state: both acknowledged
    await async_wait_until(lambda: conn.stats.published == 2, what="PUBACKs counted")
    snapshot = conn.stats.snapshot()
    assert snapshot["connected"] is True
    assert set(snapshot) >= {"connected", "reconnects", "published", "received"}


async def test_disconnect_publishes_offline_first(
    broker: MosquittoBroker, probe: MqttProbe, make_connection: MakeConnection
) -> None:
    conn = make_connection(mqtt_settings(broker.url))
    await conn.start()
    await conn.wait_connected(timeout=10)
    for i in range(50):
        conn.publish(f"anova/dev{i}/state", b"{}", retain=True)

    await conn.disconnect(timeout=5)

    assert not conn.connected
    probe.subscribe("anova/bridge/availability", "anova/+/state")
    assert probe.wait_for("anova/bridge/availability").payload == b"offline"
    probe.wait_for("anova/dev49/state")  # flushed before the DISCONNECT
    assert len({m.topic for m in probe.messages if m.topic.endswith("/state")}) == 50


async def test_wait_connected_times_out_naming_the_reason(make_connection: MakeConnection) -> None:
    from tests.support.broker import free_port

    conn = make_connection(mqtt_settings(f"mqtt://127.0.0.1:{free_port()}"))
    await conn.start()
    with pytest.raises(TimeoutError, match="ConnectionRefusedError"):
        await conn.wait_connected(timeout=0.5)
    assert conn.stats.connect_failures >= 1


async def test_subscribe_after_connect_is_kept(
    broker: MosquittoBroker, probe: MqttProbe, make_connection: MakeConnection, recorder: Recorder
) -> None:
    conn: MqttConnection = make_connection(mqtt_settings(broker.url))
    await conn.start()
    await conn.wait_connected(timeout=10)
    conn.subscribe("homeassistant/status")
    conn.subscribe("homeassistant/status")  # idempotent

    def heard_after_publishing() -> bool:
        probe.publish("homeassistant/status", b"online")
        return bool(recorder.messages)

    await async_wait_until(heard_after_publishing, what="late subscription active")
    assert recorder.messages[0].payload == b"online"


async def test_connected_queue_stops_short_of_wrapping_paho_message_ids(
    broker: MosquittoBroker, make_connection: MakeConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Regression: a 10 000/s flood queued >65 535 responses; paho's 16-bit
    # message ids wrapped and new responses silently replaced queued ones.
    # Past the bound the excess is dropped, counted and logged instead.
    from bridge.mqtt import send_window as connection

    monkeypatch.setattr(connection, "MAX_UNACKED_CONNECTED", 3)
    conn = make_connection(mqtt_settings(broker.url))
    await conn.start()
    await conn.wait_connected(timeout=10)
    await async_wait_until(lambda: not conn._unacked, what="online acknowledged")
    conn._unacked.update(dict.fromkeys((60_001, 60_002, 60_003), "anova/k/response"))
    assert not conn.publish("anova/kitchen/response", b"{}", retain=False)
    assert conn.stats.dropped == 1


async def test_what_is_published_while_connecting_arrives_once_connected_in_order(
    broker: MosquittoBroker, probe: MqttProbe, make_connection: MakeConnection
) -> None:
    probe.subscribe("anova/early/#")
    await until_probe_subscribed(probe, "anova/early/fence")
    conn = make_connection(mqtt_settings(broker.url))
    await conn.start()
    await asyncio.sleep(0)  # the link task is now connecting on its worker thread
    for n in range(5):
        assert conn.publish(f"anova/early/{n}", str(n).encode(), retain=False)
    await conn.wait_connected(timeout=10)
    await probe.until("anova/early/4", timeout=10)
    early = [m.topic for m in probe.messages if m.topic.startswith("anova/early/")]
    assert early == [f"anova/early/{n}" for n in range(5)]


@pytest.fixture
def tls_broker(tmp_path: Path) -> Iterator[tuple[MosquittoBroker, str, str]]:
    """A broker with a second, TLS listener: (broker, its mqtts:// URL, the CA file)."""
    certs = tmp_path / "certs"
    certs.mkdir()
    make_ca(certs, "ca")
    make_leaf(certs, "ca", "server")
    tls_port = free_port()
    instance = start_broker(
        tmp_path,
        f"listener {tls_port} 127.0.0.1\ncafile {certs}/ca.pem\n"
        f"certfile {certs}/server.pem\nkeyfile {certs}/server.key",
    )
    yield instance, f"mqtts://127.0.0.1:{tls_port}", str(certs / "ca.pem")
    instance.stop()


@pytest.mark.parametrize("transport", ["tcp", "tls"])
async def test_a_burst_of_commands_of_every_size_arrives_whole_and_in_order(
    request: pytest.FixtureRequest,
    make_connection: MakeConnection,
    recorder: Recorder,
    transport: str,
) -> None:
    """Packets are read a chunk at a time: many per read, and big ones across reads."""
    if transport == "tls":
        broker, url, ca_file = request.getfixturevalue("tls_broker")
        settings = mqtt_settings(url, ca_file=ca_file)
    else:
        broker = request.getfixturevalue("broker")
        settings = mqtt_settings(broker.url)
    probe = MqttProbe(broker.port)
    probe.subscribe(AVAILABILITY)
    conn = make_connection(settings, subscriptions=["anova/+/set"])
    await conn.start()
    await until_online(probe)  # before it, the first commands could beat our SUBSCRIBE
    sizes = [10, 200, 1_000, 70_000, 3, 130_000] * 50  # some larger than one read
    payloads = [f"{n:06d}".encode() + b"x" * size for n, size in enumerate(sizes)]
    try:
        for payload in payloads:  # not waiting for each: they queue up on the socket
            probe.client.publish("anova/kitchen/set", payload, qos=1)
        await async_wait_until(
            lambda: len(recorder.messages) >= len(payloads), timeout=30, what="the whole burst"
        )
    finally:
        probe.close()
    assert [m.payload for m in recorder.messages] == payloads


async def test_paused_reading_leaves_commands_with_the_broker_until_resumed(
    broker: MosquittoBroker, probe: MqttProbe, make_connection: MakeConnection, recorder: Recorder
) -> None:
    probe.subscribe(AVAILABILITY, "anova/+/set")
    conn = make_connection(mqtt_settings(broker.url), subscriptions=["anova/+/set"])
    await conn.start()
    await until_online(probe)
    conn.hold_reading(True)
    for n in range(5):
        probe.publish("anova/kitchen/set", f"held-{n}".encode())
    # The probe has its copies, so the broker has dispatched the bridge's too.
    await async_wait_until(
        lambda: len(probe.on("anova/kitchen/set")) == 5, what="the probe's copies"
    )
    assert conn.publish("anova/kitchen/state", b"still publishing", retain=False)
    assert recorder.messages == [], "read while paused"
    conn.hold_reading(False)
    await async_wait_until(lambda: len(recorder.messages) == 5, what="held commands read")
    assert [m.payload for m in recorder.messages] == [f"held-{n}".encode() for n in range(5)]


async def test_publishes_in_a_batch_all_arrive_in_order_when_it_ends(
    broker: MosquittoBroker, probe: MqttProbe, make_connection: MakeConnection
) -> None:
    conn = make_connection(mqtt_settings(broker.url))
    await conn.start()
    await conn.wait_connected(timeout=10)
    probe.subscribe("anova/kitchen/response")
    await until_probe_subscribed(probe, "anova/kitchen/response")
    with conn.publishing_batch():
        for n in range(500):
            assert conn.publish("anova/kitchen/response", f"answer-{n}".encode(), retain=False)
    await async_wait_until(
        lambda: len(probe.on("anova/kitchen/response")) == 500, what="every answer"
    )
    got = [m.payload for m in probe.on("anova/kitchen/response")]
    assert got == [f"answer-{n}".encode() for n in range(500)]
    await async_wait_until(lambda: conn.stats.published >= 500, what="the broker's PUBACKs")
    assert conn.publish("anova/kitchen/response", b"after", retain=False)
    await async_wait_until(
        lambda: (
            (last := probe.last("anova/kitchen/response")) is not None and last.payload == b"after"
        ),
        what="a publish after the batch goes out at once",
    )
