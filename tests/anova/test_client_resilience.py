"""Reconnects, offline inference and command failures, against the simulator."""

from __future__ import annotations

import asyncio

import pytest
from pydantic import SecretStr

from bridge.anova.client import AnovaClient
from bridge.anova.commands import SetTimer, StartCook, StopCook
from bridge.anova.state import CookerPhase
from bridge.errors import (
    AnovaAuthError,
    AnovaRejectedError,
    AnovaTimeoutError,
    AnovaUnavailableError,
    ErrorCode,
)
from tests.anova.conftest import Recorder, cooker_of_type
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.integration


class CountingSleep:
    """A backoff sleep that records its delays and returns (almost) at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        await asyncio.sleep(0.01)


async def test_reconnects_after_the_cloud_restarts(harness):
    sleep = CountingSleep()
    client, recorder, _ = await harness.start(sleep=sleep)
    cooker_id = cooker_of_type(harness.sim, "a7")

    await harness.sim.restart()

    await async_wait_until(
        lambda: recorder.connections.count(True) == 2 and client.connected,
        timeout=5,
        what="a second connection",
    )
    assert recorder.connections[:2] == [True, False]
    assert client.stats.reconnects == 1
    assert sleep.delays, "a dropped connection reconnects with backoff"
    assert all(0 <= d <= 0.5 for d in sleep.delays[:1])
    assert (await client.execute(StartCook(cooker_id, 55.0, 0, "C"))).confirmed


async def test_close_after_a_response_reconnects_at_once(harness):
    sleep = CountingSleep()
    client, recorder, _ = await harness.start(sleep=sleep)
    cooker_id = cooker_of_type(harness.sim, "a5")
    opened = harness.sim.connections_opened
    harness.sim.faults.close_after_command = True

    outcome = await client.execute(StartCook(cooker_id, 60.0, 3600, "C"))

    assert outcome.confirmed, "the confirming state arrives on the next socket"
    await async_wait_until(lambda: client.connected, timeout=5, what="reconnected")
    assert harness.sim.connections_opened == opened + 1
    assert sleep.delays == [], "a 1005 close must not wait for backoff"
    assert recorder.connections == [True, False, True]


async def test_a_silent_cooker_goes_offline_and_comes_back(harness):
    client, recorder, _ = await harness.start(harness.settings(offline_after=1.0))
    quiet, busy = cooker_of_type(harness.sim, "a7"), cooker_of_type(harness.sim, "a5")
    # Cooking cookers push every push_interval; idle ones may stay silent.
    await client.execute(StartCook(quiet, 60.0, 0, "C"))
    await client.execute(StartCook(busy, 60.0, 0, "C"))

    harness.sim.unplug(quiet)

    await async_wait_until(
        lambda: client.states[quiet].phase is CookerPhase.OFFLINE, timeout=5, what="offline"
    )
    offline = recorder.latest(quiet)
    assert offline.online is False
    assert offline.target_temperature_c == pytest.approx(60.0), "last known values are kept"
    assert client.states[busy].phase is not CookerPhase.OFFLINE
    assert sum(s.phase is CookerPhase.OFFLINE for s in recorder.states if s.cooker_id == quiet) == 1

    harness.sim.plug(quiet)
    await async_wait_until(
        lambda: client.states[quiet].phase is not CookerPhase.OFFLINE, timeout=5, what="back"
    )


async def test_quiet_idle_cookers_are_probed_by_reconnecting_not_declared_offline(harness):
    client, recorder, _ = await harness.start(harness.settings(offline_after=1.0))
    unplugged = cooker_of_type(harness.sim, "a7")
    harness.sim.unplug(unplugged)
    opened = harness.sim.connections_opened

    await async_wait_until(
        lambda: client.states[unplugged].phase is CookerPhase.OFFLINE, timeout=5, what="offline"
    )

    idle = cooker_of_type(harness.sim, "a5")
    assert client.states[idle].phase is CookerPhase.IDLE, "re-sent on the probe reconnect"
    assert harness.sim.connections_opened > opened
    assert not any(s.phase is CookerPhase.OFFLINE for s in recorder.states if s.cooker_id == idle)


async def test_without_probes_silence_alone_decides(harness):
    client, _, _ = await harness.start(harness.settings(offline_after=0.5), probe_quiet=False)
    await async_wait_until(
        lambda: all(s.phase is CookerPhase.OFFLINE for s in client.states.values()),
        timeout=5,
        what="idle silent cookers offline",
    )
    assert harness.sim.connections_opened == 1


async def test_every_cooker_goes_offline_when_the_cloud_stays_down(harness):
    client, recorder, _ = await harness.start(offline_grace=0.3)

    await harness.sim.stop()

    await async_wait_until(
        lambda: all(s.phase is CookerPhase.OFFLINE for s in client.states.values()),
        timeout=5,
        what="all offline",
    )
    assert not client.connected
    assert recorder.connections[-1] is False


async def test_a_rejected_command_carries_the_server_text(harness):
    client, _, _ = await harness.start()
    harness.sim.faults.reject_all = "failed to process command"
    with pytest.raises(AnovaRejectedError) as caught:
        await client.execute(StopCook(cooker_of_type(harness.sim, "a7")))
    assert caught.value.code is ErrorCode.ANOVA_REJECTED
    assert caught.value.message == "failed to process command"
    assert client.stats.commands_failed == 1


async def test_an_unauthorized_answer_is_an_auth_error(harness):
    client, _, _ = await harness.start()
    harness.sim.faults.reject_all = "unauthorized"
    with pytest.raises(AnovaAuthError):
        await client.execute(SetTimer(cooker_of_type(harness.sim, "a7"), 60))


async def test_a_late_answer_times_out(harness):
    client, _, _ = await harness.start(harness.settings(command_timeout=0.3))
    harness.sim.faults.response_delay = 1.0
    with pytest.raises(AnovaTimeoutError) as caught:
        await client.execute(SetTimer(cooker_of_type(harness.sim, "a7"), 120))
    assert caught.value.code is ErrorCode.ANOVA_TIMEOUT


async def test_the_socket_closing_under_a_command_is_unavailable(harness):
    client, _, _ = await harness.start()
    harness.sim.faults.response_delay = 5.0
    command = asyncio.create_task(client.execute(SetTimer(cooker_of_type(harness.sim, "a7"), 120)))
    await async_wait_until(lambda: harness.sim.received_commands, timeout=2, what="sent")
    await harness.sim.restart()
    with pytest.raises(AnovaUnavailableError):
        await command


async def test_commands_without_a_connection_are_unavailable(harness):
    client = AnovaClient(harness.settings(), Recorder())
    with pytest.raises(AnovaUnavailableError):
        await client.request("CMD_APC_STOP", {"cookerId": "x", "type": "a7"})


async def test_a_refused_personal_token_ends_run(harness):
    settings = harness.settings(token=SecretStr("anova-not-the-token"))
    _, recorder, task = await harness.start(settings, wait=False)
    with pytest.raises(AnovaAuthError):
        await asyncio.wait_for(task, 5)
    assert recorder.connections == []


async def test_rate_limited_socket_is_reopened_with_backoff(harness):
    sleep = CountingSleep()
    client, recorder, _ = await harness.start(sleep=sleep)
    harness.sim.faults.rate_limit_per_minute = 1
    cooker_id = cooker_of_type(harness.sim, "a7")
    await client.execute(SetTimer(cooker_id, 60))
    with pytest.raises(AnovaUnavailableError):
        await client.execute(SetTimer(cooker_id, 120))
    await async_wait_until(
        lambda: recorder.connections.count(True) == 2, timeout=5, what="reconnected"
    )
    assert len(sleep.delays) == 1


async def test_close_stops_run_promptly_even_while_backing_off(harness):
    slow = CountingSleep()

    async def long_sleep(seconds: float) -> None:
        slow.delays.append(seconds)
        await asyncio.sleep(60)

    client, _, task = await harness.start(sleep=long_sleep)
    await harness.sim.stop()
    await async_wait_until(lambda: slow.delays, timeout=5, what="backing off")
    await client.close()
    await asyncio.wait_for(task, 2)
    assert task.done()
    assert task.exception() is None
