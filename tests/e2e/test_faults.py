"""The bridge recovers by itself: broker restarts, cloud restarts, expired tokens."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from pydantic import SecretStr

from bridge.service.app import BridgeService
from bridge.simulator import DEMO_EMAIL, DEMO_PASSWORD, DEMO_TOKEN, CloudSimulator, SimClock
from tests.e2e.conftest import (
    BROKERS,
    BrokerKind,
    Stack,
    make_broker,
    make_probe,
    running_stack,
    stack_settings,
)
from tests.support.probe import Received
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.integration


async def reconnected(stack: Stack, since: int) -> None:
    """Wait for the bridge's retained ``online`` to be re-announced after an outage."""
    await async_wait_until(
        lambda: [
            m for m in stack.probe.on("anova/bridge/availability")[since:] if m.payload == b"online"
        ],
        timeout=5.0,
        what="bridge back online within 5 s of the broker returning",
    )


@BROKERS
async def test_broker_restart_mid_cook_republishes_state_and_runs_queued_commands_once(
    tmp_path: Path, broker_kind: BrokerKind
) -> None:
    broker = make_broker(broker_kind, tmp_path, persistent=True)
    broker.start()
    sim = CloudSimulator(
        token=DEMO_TOKEN, cookers=1, types=["a7"], clock=SimClock(), push_interval=0.5
    )
    await sim.start()
    service = BridgeService(stack_settings(broker, sim))
    stop = asyncio.Event()
    runner = asyncio.create_task(service.run(stop))
    user = make_probe(broker, client_id="user-script")
    user.client.reconnect_delay_set(0.1, 0.5)  # type: ignore[arg-type]  # paho: int hint, float ok
    user.subscribe("anova/#")
    try:
        await async_wait_until(lambda: service.cookers and service.client.connected, timeout=10)
        topic_id = next(iter(service.cookers.values())).topic_id
        # The bridge's first retained state proves its subscriptions exist on this
        # brand-new broker; from then on its persistent session queues commands.
        await user.until(f"anova/{topic_id}/state", timeout=10)
        user.publish(
            f"anova/{topic_id}/set", {"action": "start", "temperature": 60, "request_id": "a"}
        )
        await user.until(f"anova/{topic_id}/response", lambda b: b and b.get("request_id") == "a")

        for outage in range(3):
            seen = len(user.on("anova/bridge/availability"))
            broker.kill()
            await async_wait_until(lambda: not service.mqtt.connected, timeout=10)
            command = {
                "action": "set_timer",
                "time_minutes": 30 + outage,
                "request_id": f"out-{outage}",
            }
            if broker.persistent:
                # A user's command sent during the outage waits in their client's queue.
                info = user.client.publish(f"anova/{topic_id}/set", json.dumps(command), qos=1)
                assert info.rc in (mqtt.MQTT_ERR_SUCCESS, mqtt.MQTT_ERR_NO_CONN)
            await sim.advance(120)
            broker.start()

            def back_online(seen: int = seen) -> list[Received]:
                return [
                    m for m in user.on("anova/bridge/availability")[seen:] if m.payload == b"online"
                ]

            await async_wait_until(back_online, timeout=5.0, what="bridge online again within 5 s")
            if not broker.persistent:
                # A broker that forgets sessions on restart (amqtt) drops a
                # command that arrives before the bridge has subscribed again:
                # the user sends once the bridge is back.
                user.publish(f"anova/{topic_id}/set", command)
            await user.until(
                f"anova/{topic_id}/response",
                lambda b, n=outage: b and b.get("request_id") == f"out-{n}",
                timeout=15,
            )
        timers = [c for c in sim.received_commands if c.command == "CMD_APC_SET_TIMER"]
        assert [c.payload["timer"] for c in timers] == [1800, 1860, 1920]
        assert len([c for c in sim.received_commands if c.command == "CMD_APC_START"]) == 1
        sim_cooker = sim.cookers[0]
        state = await user.until(
            f"anova/{topic_id}/state",
            lambda b: b and b.get("timer", {}).get("total_s") == 1920,
            timeout=10,
        )
        assert abs(state.json()["current_temperature"] - round(sim_cooker.water_c, 1)) < 1.0
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(runner, 15)
        user.close()
        await sim.stop()
        broker.stop()


async def test_cloud_restart_mid_cook_is_recovered_without_a_second_start(stack: Stack) -> None:
    await stack.command(0, {"action": "start", "temperature": 60, "request_id": "s"})
    await stack.sim.restart()
    await async_wait_until(
        lambda: stack.service.client.connected, timeout=10, what="cloud link back"
    )
    response = await stack.command(
        0, {"action": "set_temperature", "temperature": 61, "request_id": "t"}
    )
    assert response["status"] == "ok", response
    assert len(stack.cloud_commands("CMD_APC_START")) == 1
    await stack.state(
        0, lambda b: b and b.get("state") == "preheating" and b["target_temperature"] == 61
    )


async def test_close_after_every_command_is_survived(stack: Stack) -> None:
    stack.sim.faults.close_after_command = True
    for n, temperature in enumerate((60, 61, 62)):
        action = "start" if n == 0 else "set_temperature"
        response = await stack.command(
            0, {"action": action, "temperature": temperature, "request_id": f"c{n}"}
        )
        assert response["status"] == "ok", response
    assert len(stack.cloud_commands("CMD_APC_START")) == 1


@contextlib.asynccontextmanager
async def password_stack(tmp_path: Path) -> AsyncIterator[Stack]:
    async with running_stack(
        tmp_path,
        cookers=1,
        types=("a7",),
        anova={"token": None, "email": DEMO_EMAIL, "password": SecretStr(DEMO_PASSWORD)},
    ) as stack:
        yield stack


async def test_expired_tokens_are_renewed_and_commands_keep_working(tmp_path: Path) -> None:
    async with password_stack(tmp_path) as stack:
        opened = stack.sim.connections_opened
        stack.sim.expire_tokens()
        await async_wait_until(
            lambda: stack.sim.connections_opened > opened and stack.service.client.connected,
            timeout=15,
            what="reconnected with a fresh token",
        )
        response = await stack.command(0, {"action": "start", "temperature": 60, "request_id": "e"})
        assert response["status"] == "ok", response
