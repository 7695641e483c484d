"""No reconnect storm: a rate-limited cloud sees fewer and fewer attempts.

Reproduced first: a cloud that greets and then closes with 1008 got about
three connections a second from the client, for ever, because the backoff
restarted on the first message of each session. Time here is virtual: the
client's backoff sleep and uptime clock, and the simulator's clock, all move
together through :class:`VirtualTime`, so ten minutes of backoff take a
second over real sockets.
"""

from __future__ import annotations

import asyncio

import pytest

from bridge.anova.client import AnovaClient
from bridge.anova.commands import SetTimer, StopCook
from bridge.simulator import CloudSimulator
from tests.anova.conftest import TOKEN, Harness, cooker_of_type
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.integration

BASE_S, CAP_S = 0.5, 30.0


class VirtualTime:
    """One virtual clock for the client's backoff and uptime and the simulator."""

    def __init__(self, sim: CloudSimulator) -> None:
        self.sim = sim
        self.now = 0.0
        self.delays: list[float] = []
        # After each backoff sleep: (virtual time, connections opened before it).
        self._wakes: list[tuple[float, int]] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        opened_before = self.sim.connections_opened
        self.delays.append(seconds)
        self.now += seconds
        self.sim.clock.advance(seconds)
        self._wakes.append((self.now, opened_before))
        await asyncio.sleep(0.001)

    def connection_times(self) -> list[float]:
        """When each connection opened, in virtual time; at once = as the one before."""
        woke_after = {opened: at for at, opened in self._wakes}
        times = [0.0]
        for number in range(2, self.sim.connections_opened + 1):
            times.append(woke_after.get(number - 1, times[-1]))
        return times

    def at_once(self) -> list[int]:
        """Numbers of the connections opened with no backoff sleep before them."""
        slept_after = {opened for _, opened in self._wakes}
        return [n for n in range(2, self.sim.connections_opened + 1) if n - 1 not in slept_after]

    def opened_within(self, start: float, end: float) -> int:
        """Connections the simulator accepted between two virtual moments."""
        return len([at for at in self.connection_times() if start <= at < end])


async def run_until(virtual: VirtualTime, until: float, max_connections: int) -> None:
    """Let the client run to virtual time ``until`` (or fail fast in a storm)."""
    sim = virtual.sim
    await async_wait_until(
        lambda: virtual.now >= until or sim.connections_opened > max_connections,
        timeout=30,
        what=f"virtual time {until}s",
    )


async def start_client(harness: Harness, virtual: VirtualTime) -> AnovaClient:
    client, _, _ = await harness.start(
        wait=False,
        sleep=virtual.sleep,
        monotonic=virtual.monotonic,
        backoff_base=BASE_S,
        backoff_cap=CAP_S,
    )
    return client


async def test_a_cloud_closing_after_the_device_list_gets_no_storm(harness: Harness) -> None:
    harness.sim.faults.close_after_device_list = 1008
    virtual = VirtualTime(harness.sim)
    await start_client(harness, virtual)

    await run_until(virtual, until=600, max_connections=200)

    opened = harness.sim.connections_opened
    # Each wait is at least half its ceiling: 0.25, 0.5, 1, 2, 4, 8, then 15 s
    # at the cap; at most the ceiling: 0.5 ... 16, then 30 s.
    assert 25 <= opened <= 46, f"{opened} connections in 10 minutes"
    assert virtual.opened_within(0, 40) <= 8, "the issue saw 121 in 40 s"
    assert len(virtual.delays) > 6
    assert min(virtual.delays[6:]) >= CAP_S / 2, "never reset by the data each session brings"
    for later_minute in range(2, 10):
        assert virtual.opened_within(later_minute * 60, (later_minute + 1) * 60) <= 4


async def test_an_account_rate_limit_is_outwaited_not_hammered(harness: Harness) -> None:
    sim = harness.sim
    sim.clock.speed = 0  # only the client's backoff moves the account's window
    sim.faults.account_rate_limit_per_minute = 5
    for _ in range(6):  # another of the account's clients just hit the limit
        sim.account_limits.attempt(sim.tokens.account_of(TOKEN), 5)
    virtual = VirtualTime(sim)
    client = await start_client(harness, virtual)

    await async_wait_until(
        lambda: sim.connections_opened - sim.connections_refused == 1 and client.connected,
        timeout=30,
        what="a connection that the cloud keeps open",
    )
    refused = sim.connections_refused
    # About seven to nine attempts, spread over the minute the burst needs to leave the window.
    assert 5 <= refused <= 10, f"{refused} refused attempts before the account recovered"
    assert virtual.now >= 60, "nothing gets back in before the burst leaves the window"
    opened = sim.connections_opened
    await sim.advance(60)  # a quiet minute later, commands are welcome again
    outcome = await client.execute(StopCook(cooker_of_type(sim, "a7")))
    assert outcome.confirmed
    assert sim.connections_opened == opened, "the kept connection carried the command"


async def test_a_1005_close_reconnects_at_once_only_once_per_command(harness: Harness) -> None:
    virtual = VirtualTime(harness.sim)
    client = await start_client(harness, virtual)
    await async_wait_until(lambda: client.connected, timeout=5, what="connected")
    harness.sim.faults.close_after_command = True
    harness.sim.faults.close_after_device_list = 1005

    await client.execute(SetTimer(cooker_of_type(harness.sim, "a7"), 60))
    await run_until(virtual, until=120, max_connections=200)

    assert virtual.at_once() == [2], "once after the RESPONSE, then never at once again"
    # Then 0.25-0.5, 0.5-1, ... 15-30 s waits for the rest of the 120 s.
    assert 10 <= harness.sim.connections_opened <= 15
