"""Fault handling against a real mosquitto: Last Will, broker restarts, sessions."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bridge.mqtt.paho_factory import RECONNECT_MAX_DELAY
from tests.mqtt.conftest import MakeConnection, Recorder, mqtt_settings
from tests.support.broker import MosquittoBroker
from tests.support.probe import MqttProbe
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]


def test_last_will_marks_the_bridge_offline_when_its_process_dies(
    broker: MosquittoBroker, probe: MqttProbe
) -> None:
    probe.subscribe("anova/bridge/availability")
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.mqtt.lwt_child", broker.url, "bridge-lwt"], cwd=REPO
    )
    try:
        probe.wait_for("anova/bridge/availability", timeout=20)
        last = probe.last("anova/bridge/availability")
        assert last is not None
        assert last.payload == b"online"
        probe.clear()
        child.kill()  # SIGKILL: no DISCONNECT, so the broker must fire the will
        child.wait(timeout=10)
        will = probe.wait_for("anova/bridge/availability", timeout=10)
        assert will.payload == b"offline"
    finally:
        child.kill()
        child.wait(timeout=10)
    late = MqttProbe(broker.port)  # and it stays retained for newcomers
    try:
        late.subscribe("anova/bridge/availability")
        assert late.wait_for("anova/bridge/availability").payload == b"offline"
        last = late.last("anova/bridge/availability")
        assert last is not None
        assert last.retain
    finally:
        late.close()


async def test_dropped_socket_fires_will_then_online_again_and_resubscribes(
    broker: MosquittoBroker, probe: MqttProbe, make_connection: MakeConnection, recorder: Recorder
) -> None:
    conn = make_connection(mqtt_settings(broker.url), subscriptions=["anova/+/set"])
    await conn.start()
    await conn.wait_connected(timeout=10)
    await async_wait_until(lambda: recorder.connects == 1, what="first on_connect")
    probe.subscribe("anova/bridge/availability")
    probe.wait_for("anova/bridge/availability")
    probe.clear()

    sock = conn._client.socket()  # simulate a network cut under paho's feet
    assert isinstance(sock, socket.socket)
    sock.shutdown(socket.SHUT_RDWR)

    await async_wait_until(lambda: recorder.connects == 2, what="on_connect hook called again")
    payloads = [m.payload for m in probe.on("anova/bridge/availability")]
    await async_wait_until(
        lambda: (
            [m.payload for m in probe.on("anova/bridge/availability")][-2:]
            == [b"offline", b"online"]
        ),
        what=f"offline then online, saw {payloads}",
    )
    assert conn.stats.reconnects == 1
    probe.publish("anova/kitchen/set", b"{}")
    await async_wait_until(lambda: recorder.messages, what="command after reconnect")


async def test_reconnects_within_5s_of_broker_restart_after_long_outage(
    broker: MosquittoBroker, make_connection: MakeConnection, recorder: Recorder
) -> None:
    assert RECONNECT_MAX_DELAY <= 2.0
    conn = make_connection(mqtt_settings(broker.url), subscriptions=["anova/+/set"])
    await conn.start()
    await conn.wait_connected(timeout=10)

    broker.kill()
    await async_wait_until(lambda: not conn.connected, what="drop noticed")
    # Let the backoff climb to its cap: 0.1+0.2+0.4+0.8+1.6 s of failed attempts.
    await async_wait_until(lambda: conn.stats.connect_failures >= 6, timeout=15, what="backoff")
    assert "ConnectionRefusedError" in (conn.last_error or "")
    broker.start()
    back = time.monotonic()
    await conn.wait_connected(timeout=5)
    assert time.monotonic() - back < 5

    # the new broker has no session for us: resubscribed and the hook re-ran
    await async_wait_until(lambda: recorder.connects == 2, what="on_connect after restart")
    probe = MqttProbe(broker.port)
    try:

        def heard_after_publishing() -> bool:
            probe.publish("anova/kitchen/set", b"{}")
            return bool(recorder.messages)

        await async_wait_until(heard_after_publishing, what="resubscribed after restart")
    finally:
        probe.close()
    assert conn.stats.reconnects == 1
    assert conn.last_error is None


async def test_state_published_during_outage_arrives_after_reconnect(
    broker: MosquittoBroker, make_connection: MakeConnection
) -> None:
    conn = make_connection(mqtt_settings(broker.url))
    await conn.start()
    await conn.wait_connected(timeout=10)
    broker.kill()
    await async_wait_until(lambda: not conn.connected, what="drop noticed")

    assert conn.publish("anova/kitchen/state", b'{"state": "cooking"}', retain=True)
    broker.start()
    await conn.wait_connected(timeout=5)

    probe = MqttProbe(broker.port)
    try:
        probe.subscribe("anova/kitchen/state")
        assert probe.wait_for("anova/kitchen/state").payload == b'{"state": "cooking"}'
    finally:
        probe.close()


async def test_outage_queue_is_bounded(
    broker: MosquittoBroker, make_connection: MakeConnection
) -> None:
    conn = make_connection(mqtt_settings(broker.url), max_queued=10)
    await conn.start()
    await conn.wait_connected(timeout=10)
    broker.kill()
    await async_wait_until(lambda: not conn.connected, what="drop noticed")

    accepted = [conn.publish(f"anova/d/state/{i}", b"x", retain=False) for i in range(25)]

    assert accepted.count(True) <= 10
    assert conn.stats.dropped >= 15
    assert accepted[0] is True


@pytest.mark.parametrize("protocol", ["3.1.1", "5"])
async def test_persistent_session_delivers_commands_sent_while_away(
    broker: MosquittoBroker,
    probe: MqttProbe,
    make_connection: MakeConnection,
    recorder: Recorder,
    protocol: str,
) -> None:
    settings = mqtt_settings(broker.url, protocol=protocol)
    first = make_connection(settings, subscriptions=["anova/+/set"], on_message=None)
    await first.start()
    await first.wait_connected(timeout=10)
    await first.disconnect()

    probe.publish("anova/kitchen/set", b'{"action": "stop", "request_id": "away"}')

    second = make_connection(settings, subscriptions=["anova/+/set"])
    await second.start()
    await async_wait_until(lambda: recorder.messages, what="queued command delivered")
    assert recorder.messages[0].payload == b'{"action": "stop", "request_id": "away"}'
    assert recorder.messages[0].retain is False
