"""The bridge against a misbehaving cloud: right error codes, recovery, never a second START.

Two cookers (an a7 and an a5). The simulator's faults are switched on and
off mid-run; every test ends by checking what the cloud itself recorded.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from bridge.simulator import DEMO_EMAIL, DEMO_PASSWORD
from tests.e2e.conftest import Stack
from tests.reliability.conftest import full_stack, scaled
from tests.support.waiting import async_wait_until

pytestmark = [pytest.mark.integration, pytest.mark.slow]

START = "CMD_APC_START"
SET_TARGET = "CMD_APC_SET_TARGET_TEMP"


@pytest.fixture
async def stack(tmp_path: Path) -> AsyncIterator[Stack]:
    async with full_stack(tmp_path, cookers=2, types=("a7", "a5")) as running:
        yield running


async def start_cook(stack: Stack, index: int = 0, request_id: str = "go") -> None:
    response = await stack.command(
        index, {"action": "start", "temperature": 60, "request_id": request_id}
    )
    assert response["status"] == "ok", response


def targets_at_cloud(stack: Stack) -> list[float]:
    return [c.payload["targetTemperature"] for c in stack.cloud_commands(SET_TARGET)]


async def test_cloud_restarts_mid_cook_give_clear_errors_then_recover(stack: Stack) -> None:
    await start_cook(stack)
    for outage in range(3):
        await stack.sim.stop()
        await async_wait_until(lambda: not stack.service.client.connected, timeout=10)
        during = await stack.command(0, {"action": "stop", "request_id": f"down-{outage}"})
        assert during["error"]["code"] in {"ANOVA_UNAVAILABLE", "DEVICE_OFFLINE"}, during
        await stack.sim.start()
        await async_wait_until(lambda: stack.service.client.connected, timeout=15)
        after = await stack.command(
            0,
            {"action": "set_temperature", "temperature": 61 + outage, "request_id": f"up-{outage}"},
        )
        assert after["status"] == "ok", after
    assert len(stack.cloud_commands(START)) == 1
    assert not stack.cloud_commands("CMD_APC_STOP"), "a refused stop must not reach the cloud"
    assert stack.sim.cookers[0].cooking


async def test_a_1005_close_after_every_command_loses_and_repeats_nothing(stack: Stack) -> None:
    stack.sim.faults.close_after_command = True
    await start_cook(stack)
    opened = stack.sim.connections_opened
    seen = len(stack.probe.on(stack.topic(0, "availability")))
    for n in range(10):
        response = await stack.command(
            0, {"action": "set_temperature", "temperature": 60.5 + n, "request_id": f"c{n}"}
        )
        assert response["status"] == "ok", response
        assert not response.get("warnings"), response
    assert targets_at_cloud(stack) == [60.5 + n for n in range(10)]
    assert len(stack.cloud_commands(START)) == 1
    assert stack.sim.connections_opened >= opened + 10  # it really was closed every time
    since = stack.probe.on(stack.topic(0, "availability"))[seen:]
    flaps = [m for m in since if m.payload == b"offline"]
    assert not flaps, "the routine close must not flap the cooker offline"


async def test_rejected_commands_are_reported_and_not_retried(stack: Stack) -> None:
    stack.sim.faults.reject_all = "failed to process command"
    response = await stack.command(0, {"action": "start", "temperature": 60, "request_id": "r1"})
    assert response["error"]["code"] == "ANOVA_REJECTED"
    assert "failed to process command" in response["error"]["message"]
    assert [c.status for c in stack.cloud_commands(START)] == ["error"]
    assert not stack.sim.cookers[0].cooking
    stack.sim.faults.reject_all = None
    await start_cook(stack, request_id="r2")
    assert [c.status for c in stack.cloud_commands(START)] == ["error", "ok"]


async def test_rate_limit_disconnects_cost_only_the_refused_command(stack: Stack) -> None:
    await start_cook(stack)
    stack.sim.faults.rate_limit_per_minute = 3  # per connection: the 4th command closes it
    opened = stack.sim.connections_opened
    codes: dict[float, str] = {}
    for n in range(12):
        temperature = 60.5 + n / 2
        body = {"action": "set_temperature", "temperature": temperature, "request_id": f"rl{n}"}
        response = await stack.command(0, body)
        codes[temperature] = response.get("error", {}).get("code", "ok")
        if codes[temperature] != "ok":
            await async_wait_until(lambda: stack.service.client.connected, timeout=15)
    assert set(codes.values()) == {"ok", "ANOVA_UNAVAILABLE"}, codes
    assert stack.sim.connections_opened > opened
    ok = sorted(t for t, code in codes.items() if code == "ok")
    assert targets_at_cloud(stack) == ok, "each accepted command reached the cloud exactly once"
    assert len(stack.cloud_commands(START)) == 1


async def test_silences_take_cookers_offline_and_they_come_back(tmp_path: Path) -> None:
    anova = {"offline_after": 4.0}
    async with full_stack(tmp_path, cookers=2, types=("a7", "a5"), anova=anova) as stack:
        await start_cook(stack)  # cooker 0 cooks and pushes; cooker 1 idles quietly
        for silence in range(scaled(1)):
            silent_since = time.monotonic()
            stack.sim.faults.silent = True
            for index in (0, 1):
                await stack.probe.until(
                    stack.topic(index, "availability"), lambda _b: True, timeout=1
                )

                def offline(i: int = index) -> bool:
                    return _last(stack, i, "availability") == b"offline"

                await async_wait_until(
                    offline, timeout=10, what=f"cooker {index} offline during the silence"
                )
            refused = await stack.command(0, {"action": "stop", "request_id": f"s{silence}"})
            assert refused["error"]["code"] == "DEVICE_OFFLINE"
            await asyncio.sleep(max(0.0, 15 - (time.monotonic() - silent_since)))  # a 15 s hang
            stack.sim.faults.silent = False
            for index in (0, 1):

                def online(i: int = index) -> bool:
                    return _last(stack, i, "availability") == b"online"

                await async_wait_until(
                    online, timeout=10, what=f"cooker {index} online again after the silence"
                )
        assert not stack.cloud_commands("CMD_APC_STOP")
        response = await stack.command(0, {"action": "stop", "request_id": "after"})
        assert response["status"] == "ok", response


def _last(stack: Stack, index: int, suffix: str) -> bytes | None:
    msg = stack.probe.last(stack.topic(index, suffix))
    return msg.payload if msg else None


async def test_expired_tokens_are_renewed_without_losing_commands(tmp_path: Path) -> None:
    anova = {"token": None, "email": DEMO_EMAIL, "password": SecretStr(DEMO_PASSWORD)}
    async with full_stack(tmp_path, anova=anova) as stack:
        await start_cook(stack)
        for n in range(3):
            opened = stack.sim.connections_opened
            stack.sim.expire_tokens()

            def reconnected(o: int = opened) -> bool:
                return stack.sim.connections_opened > o and stack.service.client.connected

            await async_wait_until(reconnected, timeout=15, what="reconnected with a fresh token")
            body = {"action": "set_temperature", "temperature": 61 + n, "request_id": f"e{n}"}
            response = await stack.command(0, body)
            assert response["status"] == "ok", response
        assert targets_at_cloud(stack) == [61.0, 62.0, 63.0]
        assert len(stack.cloud_commands(START)) == 1


async def test_a_9_s_answer_succeeds_and_an_11_s_one_times_out(tmp_path: Path) -> None:
    """The default 10 s command timeout, in real time; the two run side by side."""
    anova = {"command_timeout": 10.0, "confirm_timeout": 15.0}
    async with full_stack(tmp_path, cookers=2, types=("a7", "a5"), anova=anova) as stack:
        sim = stack.sim
        began = time.monotonic()
        sim.faults.response_delay = 9.0
        slow = asyncio.create_task(
            stack.command(0, {"action": "start", "temperature": 60, "request_id": "nine"})
        )
        await async_wait_until(lambda: len(sim.received_commands) == 1, what="first at cloud")
        sim.faults.response_delay = 11.0
        late = await stack.command(
            1, {"action": "start", "temperature": 60, "request_id": "eleven"}
        )
        ok = await slow
        assert ok["status"] == "ok", ok
        assert late["error"]["code"] == "ANOVA_TIMEOUT", late
        assert 9.0 <= time.monotonic() - began < 15.0
        # The cloud did start the cook it answered late; the state shows it, and
        # a user's retry is refused as busy instead of sending a second START.
        await stack.state(1, lambda body: body and body["state"] == "preheating")
        sim.faults.response_delay = 0.0
        retry = await stack.command(1, {"action": "start", "temperature": 60, "request_id": "re"})
        assert retry["error"]["code"] == "DEVICE_BUSY"
        assert len(stack.cloud_commands(START)) == 2  # one per cooker, never repeated
