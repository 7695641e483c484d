"""Commands sent while the bridge is away run when it returns (persistent session)."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import pytest

from bridge.service.app import BridgeService
from bridge.simulator import DEMO_TOKEN, CloudSimulator, SimClock
from tests.e2e.conftest import stack_settings
from tests.support.broker import MosquittoBroker
from tests.support.probe import MqttProbe
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.integration


async def run_until_ready(service: BridgeService) -> tuple[asyncio.Event, asyncio.Task[int]]:
    stop = asyncio.Event()
    runner = asyncio.create_task(service.run(stop))
    await async_wait_until(lambda: service.ready and service.cookers, timeout=15, what="bridge up")
    return stop, runner


async def test_command_sent_while_the_bridge_was_down_runs_when_it_returns(tmp_path: Path) -> None:
    broker = MosquittoBroker(tmp_path, persistent=True)
    broker.start()
    sim = CloudSimulator(token=DEMO_TOKEN, cookers=1, types=["a7"], clock=SimClock())
    await sim.start()
    settings = stack_settings(broker, sim)
    user = MqttProbe(broker.port, client_id="user-script")
    user.subscribe("anova/+/response")
    try:
        first = BridgeService(settings)
        stop, runner = await run_until_ready(first)
        topic_id = next(iter(first.cookers.values())).topic_id
        stop.set()
        assert await asyncio.wait_for(runner, 15) == 0

        user.publish(
            f"anova/{topic_id}/set",
            {"action": "start", "temperature": 61.5, "request_id": "while-away"},
        )
        second = BridgeService(settings)
        stop, runner = await run_until_ready(second)
        answer = await user.until(f"anova/{topic_id}/response", timeout=15)
        assert answer.json()["request_id"] == "while-away"
        assert answer.json()["status"] == "ok", answer.json()
        starts = [c for c in sim.received_commands if c.command == "CMD_APC_START"]
        assert [c.payload["targetTemperature"] for c in starts] == [61.5]
        stop.set()
        await asyncio.wait_for(runner, 15)
    finally:
        user.close()
        with contextlib.suppress(Exception):
            await sim.stop()
        broker.stop()
