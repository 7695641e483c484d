"""The whole daemon against a broker that is absent, refuses it, or speaks TLS.

Each broker has two listeners (``per_listener_settings``): a plain anonymous
one for the test's user client, and the one under test for the bridge, so
the test can check end to end that commands work once the bridge is in.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import signal
import urllib.error
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from structlog.testing import capture_logs

from bridge.service.app import BridgeService
from tests.e2e.conftest import Stack
from tests.reliability.conftest import Broker, answered, bridge_running, bridge_settings, simulator
from tests.support.broker import free_port
from tests.support.credentials import make_ca, make_leaf, set_password
from tests.support.probe import MqttProbe
from tests.support.waiting import async_wait_until

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def healthz(service: BridgeService) -> tuple[int, dict[str, Any]]:
    """GET /healthz of a running service: status code and JSON body."""
    assert service.health is not None
    url = f"http://127.0.0.1:{service.health.port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=5) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


async def command_works(stack: Stack) -> None:
    await answered(stack)
    response = await stack.command(0, {"action": "stop", "request_id": "probe-stop"})
    assert response["error"]["code"] == "NO_ACTIVE_COOK"  # answered by the bridge, end to end


async def test_bridge_started_before_the_broker_waits_and_connects(tmp_path: Path) -> None:
    broker = Broker(tmp_path)
    sim = simulator()
    await sim.start()
    service = BridgeService(bridge_settings(broker.url, sim))
    stop = asyncio.Event()
    runner = asyncio.create_task(service.run(stop))
    try:
        await async_wait_until(
            lambda: service.mqtt.stats.connect_failures >= 3, what="three failed attempts"
        )
        assert not runner.done(), "the daemon must keep trying, not exit"
        status, body = await asyncio.to_thread(healthz, service)
        assert status == 503
        assert "cannot reach the broker" in body["mqtt"]["last_error"]
        await asyncio.to_thread(broker.start)
        await async_wait_until(lambda: service.mqtt.connected, timeout=5, what="connected")
        probe = MqttProbe(broker.port)
        probe.subscribe("anova/#")
        await command_works(Stack(broker, sim, service, probe, stop, runner))
        probe.close()
        status, body = await asyncio.to_thread(healthz, service)
        assert (status, body["mqtt"]["last_error"]) == (200, None)
    finally:
        stop.set()
        await asyncio.wait_for(runner, 15)
        await sim.stop()
        broker.stop()


@contextlib.asynccontextmanager
async def two_listener_broker(tmp_path: Path, bridge_listener: str) -> AsyncIterator[Broker]:
    port = free_port()
    broker = Broker(
        tmp_path,
        head_config="per_listener_settings true",
        extra_config=f"listener {port} 127.0.0.1\n{bridge_listener}",
    )
    broker.extra_port = port
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()


@pytest.mark.skipif(shutil.which("mosquitto_passwd") is None, reason="needs mosquitto_passwd")
async def test_refused_credentials_are_logged_once_retried_and_then_accepted(
    tmp_path: Path,
) -> None:
    passwords = tmp_path / "passwords"
    set_password(passwords, "bridge", "right-pw")
    listener = f"allow_anonymous false\npassword_file {passwords}"
    sim = simulator()
    await sim.start()
    with capture_logs() as logs:
        async with two_listener_broker(tmp_path, listener) as broker:
            url = f"mqtt://bridge:wrong-pw@127.0.0.1:{broker.extra_port}"
            async with bridge_running(broker, sim, mqtt_url=url, ready=False) as stack:
                stats = stack.service.mqtt.stats
                await async_wait_until(lambda: stats.connect_failures >= 3, what="3 refusals")
                await asyncio.sleep(3)  # observe the retry rate over a known span
                assert not stack.runner.done(), "no crash loop: the daemon stays up"
                assert stats.connect_failures <= 20, "retries back off instead of hammering"
                status, body = await asyncio.to_thread(healthz, stack.service)
                assert status == 503
                assert "refused" in body["mqtt"]["last_error"]

                set_password(passwords, "bridge", "wrong-pw")  # the operator fixes it
                assert broker.process is not None
                broker.process.send_signal(signal.SIGHUP)
                await async_wait_until(lambda: stack.service.mqtt.connected, timeout=5)
                await command_works(stack)
    await sim.stop()
    failures = [e for e in logs if e["event"] == "mqtt connection failed, retrying"]
    assert len(failures) == 1, "the same refusal is logged once, not on every retry"
    assert failures[0]["log_level"] == "error"
    assert "not authori" in failures[0]["reason"].lower()
    assert "wrong-pw" not in repr(logs)
    assert "right-pw" not in repr(logs)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")
# paho's Client._ssl_wrap_socket does not close the SSLSocket when the
# handshake fails (paho-mqtt 2.2.0); CPython frees it by refcount, warning first.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
async def test_tls_broker_verifies_the_ca_and_refuses_a_wrong_one(tmp_path: Path) -> None:
    certs = tmp_path / "certs"
    certs.mkdir()
    make_ca(certs, "ca")
    make_ca(certs, "other-ca")
    make_leaf(certs, "ca", "server")
    listener = (
        f"allow_anonymous true\ncafile {certs}/ca.pem\n"
        f"certfile {certs}/server.pem\nkeyfile {certs}/server.key"
    )
    sim = simulator()
    await sim.start()
    async with two_listener_broker(tmp_path, listener) as broker:
        url = f"mqtts://127.0.0.1:{broker.extra_port}"
        wrong = {"url": url, "ca_file": str(certs / "other-ca.pem"), "client_id": "wrong-ca"}
        async with bridge_running(broker, sim, mqtt=wrong, ready=False) as stack:
            stats = stack.service.mqtt.stats
            await async_wait_until(lambda: stats.connect_failures >= 2, what="TLS refusals")
            assert not stack.service.mqtt.connected
            assert "CERTIFICATE_VERIFY_FAILED" in (stack.service.mqtt.last_error or "")
            assert not stack.runner.done()

        right = {"url": url, "ca_file": str(certs / "ca.pem"), "client_id": "right-ca"}
        async with bridge_running(broker, sim, mqtt=right) as stack:
            assert stack.service.mqtt.connected
            await command_works(stack)
    await sim.stop()
