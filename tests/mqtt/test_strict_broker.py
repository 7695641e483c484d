"""The connection keeps to what a strict MQTT 5 broker says in CONNACK.

Each test puts ``StrictProxy`` (tests/support/strict_proxy.py) in front of
the private Mosquitto: it advertises the limits a test asks for and
disconnects the bridge, as EMQX does, on the first violation. The user's
probe talks to Mosquitto directly.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from structlog.testing import capture_logs

from bridge.mqtt import MqttConnection
from tests.mqtt.conftest import (
    AVAILABILITY,
    MakeConnection,
    Recorder,
    mqtt_settings,
    until_online,
    until_probe_subscribed,
)
from tests.support.broker import MosquittoBroker
from tests.support.probe import MqttProbe
from tests.support.strict_proxy import StrictLimits, StrictProxy
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.integration


MakeStrict = Callable[..., Awaitable[StrictProxy]]


@pytest.fixture
async def make_strict(broker: MosquittoBroker) -> AsyncIterator[MakeStrict]:
    """Start strict brokers advertising the given limits; all stopped afterwards."""
    made: list[StrictProxy] = []

    async def make(**limits: Any) -> StrictProxy:
        proxy = StrictProxy(broker.port, StrictLimits(**limits))
        await proxy.start()
        made.append(proxy)
        return proxy

    yield make
    for proxy in made:
        await proxy.stop()


async def connected_through(proxy: StrictProxy, make: MakeConnection, **kw: Any) -> MqttConnection:
    conn = make(mqtt_settings(proxy.url, protocol="5"), **kw)
    await conn.start()
    await conn.wait_connected(timeout=10)
    return conn


def assert_never_disconnected(proxy: StrictProxy, conn: MqttConnection) -> None:
    assert proxy.violations == [], proxy.violations
    assert conn.connected
    assert conn.stats.reconnects == 0
    assert proxy.connacks == 1


async def test_a_burst_over_the_receive_maximum_waits_instead_of_breaking_the_link(
    make_strict: MakeStrict, probe: MqttProbe, make_connection: MakeConnection
) -> None:
    strict = await make_strict(receive_maximum=10)
    # Reproduction: at connect the bridge published ~3 × cookers + 4 QoS 1
    # messages without waiting; EMQX (Receive Maximum 32) and HiveMQ (10)
    # disconnect with 0x93, and every reconnect did the same again.
    probe.subscribe("anova/#")
    await until_probe_subscribed(probe, "anova/fence")
    conn = await connected_through(strict, make_connection)
    for n in range(50):
        conn.publish(f"anova/cooker{n}/state", f"s{n}", retain=True)
        conn.publish(f"anova/cooker{n}/availability", "online", retain=True)
        conn.publish(f"anova/cooker{n}/response", f"r{n}", retain=False)
    assert len(conn._outbox) >= 150 - 10, "all but a window's worth wait for PUBACKs"
    await async_wait_until(
        lambda: len(probe.on("anova/cooker49/response")) == 1, timeout=10, what="all delivered"
    )
    await async_wait_until(lambda: not conn._outbox and not conn._unacked, timeout=10)
    assert_never_disconnected(strict, conn)
    assert strict.peak_in_flight <= 10
    await async_wait_until(
        lambda: len({m.topic for m in probe.messages if m.topic.endswith("/state")}) == 50,
        timeout=10,
        what="every state",
    )


async def test_another_topics_answer_overtakes_a_backlog_and_availability_goes_first(
    make_strict: MakeStrict, probe: MqttProbe, make_connection: MakeConnection
) -> None:
    strict = await make_strict(receive_maximum=2)
    probe.subscribe("anova/#")
    await until_probe_subscribed(probe, "anova/fence")
    conn = await connected_through(strict, make_connection)
    for n in range(2000):  # a flooded cooker's answers, far more than the window
        conn.publish("anova/flooded/response", str(n), retain=False)
    conn.publish("anova/quiet/response", "mine", retain=False)
    conn.publish("anova/quiet/availability", "offline", retain=True)
    await probe.until("anova/quiet/response", timeout=10)
    topics = [m.topic for m in probe.messages]
    flooded_before = topics[: topics.index("anova/quiet/response")].count("anova/flooded/response")
    assert flooded_before < 100, f"{flooded_before} flood answers went first"
    order = [m.topic for m in probe.messages if m.topic.startswith("anova/quiet/")]
    assert order == ["anova/quiet/availability", "anova/quiet/response"]
    await async_wait_until(
        lambda: len(probe.on("anova/flooded/response")) == 2000, timeout=20, what="flood drained"
    )
    answers = [m.payload for m in probe.on("anova/flooded/response")]
    assert answers == [str(n).encode() for n in range(2000)], "one topic keeps its order"
    assert_never_disconnected(strict, conn)


async def test_what_waited_through_an_outage_leaves_within_the_window(
    tmp_path: Path, make_connection: MakeConnection
) -> None:
    # paho used to send everything queued during an outage at once on
    # reconnect: on a strict broker, a disconnect (0x93) right after.
    broker = MosquittoBroker(tmp_path, persistent=True)  # keeps the probe's session
    broker.start()
    strict = StrictProxy(broker.port, StrictLimits(receive_maximum=5))
    await strict.start()
    probe = MqttProbe(broker.port, client_id="user-script")
    try:
        probe.subscribe("anova/#")
        await until_probe_subscribed(probe, "anova/fence")
        conn = await connected_through(strict, make_connection)
        broker.kill()
        await async_wait_until(lambda: not conn.connected, timeout=10, what="the drop noticed")
        for n in range(40):
            conn.publish(f"anova/cooker{n}/state", f"s{n}", retain=True)
            conn.publish(f"anova/cooker{n}/response", f"r{n}", retain=False)
        broker.start()
        await async_wait_until(
            lambda: len(probe.on("anova/cooker39/response")) == 1, timeout=15, what="answers"
        )
        await async_wait_until(
            lambda: len({m.topic for m in probe.messages if m.topic.endswith("/state")}) == 40,
            timeout=15,
            what="states, which take one turn among the answers' topics",
        )
        assert strict.violations == [], strict.violations
        assert strict.connacks == 2, "one reconnect, no loop"
        assert strict.peak_in_flight <= 5
    finally:
        probe.close()
        await strict.stop()
        broker.stop()


async def test_a_quarter_of_the_window_stays_free_for_other_topics(
    make_strict: MakeStrict, probe: MqttProbe, make_connection: MakeConnection
) -> None:
    strict = await make_strict(receive_maximum=8)
    probe.subscribe("anova/#")
    await until_probe_subscribed(probe, "anova/fence")
    conn = await connected_through(strict, make_connection)
    await async_wait_until(lambda: not conn._unacked, timeout=10, what="online acknowledged")
    for n in range(100):
        conn.publish("anova/flooded/response", str(n), retain=False)
    assert conn.waiting_on("anova/flooded/response") == 100 - 6, "the flood got 6 of 8 slots"
    conn.publish("anova/quiet/response", "mine", retain=False)
    assert conn.waiting_on("anova/quiet/response") == 0, "sent at once, no PUBACK awaited"
    await async_wait_until(
        lambda: len(probe.on("anova/flooded/response")) == 100, timeout=20, what="flood drained"
    )
    assert_never_disconnected(strict, conn)


async def test_waiting_retained_states_keep_only_the_latest_per_topic(
    make_strict: MakeStrict, probe: MqttProbe, make_connection: MakeConnection
) -> None:
    strict = await make_strict(receive_maximum=1)
    probe.subscribe("anova/#")
    await until_probe_subscribed(probe, "anova/fence")
    conn = await connected_through(strict, make_connection)
    for n in range(200):
        conn.publish("anova/kitchen/state", f"temp {n}", retain=True)
    await async_wait_until(lambda: not conn._outbox and not conn._unacked, timeout=10)
    await async_wait_until(
        lambda: [m.payload for m in probe.on("anova/kitchen/state")][-1:] == [b"temp 199"],
        timeout=10,
        what="the latest state",
    )
    states = [m.payload for m in probe.on("anova/kitchen/state")]
    assert len(states) <= 3, "superseded states were coalesced, not all sent"
    assert_never_disconnected(strict, conn)


async def test_a_publish_over_the_brokers_packet_size_is_logged_and_the_link_stays(
    make_strict: MakeStrict, probe: MqttProbe, make_connection: MakeConnection
) -> None:
    strict = await make_strict(maximum_packet_size=2048)
    probe.subscribe("anova/#")
    await until_probe_subscribed(probe, "anova/fence")
    conn = await connected_through(strict, make_connection)
    with capture_logs() as logs:
        assert not conn.publish("homeassistant/device/big/config", b"x" * 5000, retain=True)
    assert conn.publish("anova/kitchen/state", b"small", retain=True)
    await probe.until("anova/kitchen/state", timeout=10)
    (error,) = [e for e in logs if e["event"].startswith("mqtt publish larger")]
    assert error["maximum_packet_size"] == 2048
    assert error["topic"] == "homeassistant/device/big/config"
    assert_never_disconnected(strict, conn)


async def test_a_broker_without_retain_gets_plain_publishes_and_a_loud_log(
    make_strict: MakeStrict, probe: MqttProbe, make_connection: MakeConnection
) -> None:
    strict = await make_strict(retain_available=False)
    probe.subscribe("anova/#")
    await until_probe_subscribed(probe, "anova/fence")
    with capture_logs() as logs:
        conn = await connected_through(strict, make_connection)
    assert conn.limits.retain_available is False
    assert any(
        "keeps no retained messages" in e["event"] for e in logs if e["log_level"] == "error"
    )
    conn.publish("anova/kitchen/state", b"cooking", retain=True)
    seen = await probe.until("anova/kitchen/state", timeout=10)
    assert seen.payload == b"cooking"
    online = probe.on(AVAILABILITY)
    assert [m.payload for m in online][-1:] == [b"online"]
    assert_never_disconnected(strict, conn)


async def test_the_broker_drops_commands_over_the_size_the_bridge_announces(
    broker: MosquittoBroker, probe: MqttProbe, make_connection: MakeConnection, recorder: Recorder
) -> None:
    probe.subscribe(AVAILABILITY)
    conn = make_connection(mqtt_settings(broker.url, protocol="5"), subscriptions=["anova/+/set"])
    await conn.start()
    await until_online(probe)  # subscribed by now
    probe.publish("anova/kitchen/set", b"y" * (3 * 1024 * 1024))  # over the 2 MiB announced
    probe.publish("anova/kitchen/set", b"z" * (100 * 1024))  # refused by the bridge, but read
    # The broker handles the probe's publishes in order: once the second is
    # here, the first was either delivered before it or dropped.
    await async_wait_until(lambda: recorder.messages, timeout=10, what="the 100 KiB command")
    assert [len(m.payload) for m in recorder.messages] == [100 * 1024]
    assert conn.connected
