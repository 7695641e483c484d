"""The hourly ID-token refresh never closes the socket under a command.

Reproduced first: the refresh closed the socket at once, so a command
awaiting its RESPONSE failed ``ANOVA_UNAVAILABLE`` although the cooker may
have applied it. The refresh now hands over between commands: the commands
in flight get their answers on the old socket, new ones wait for the new
socket. The test releases the refresh itself (``refresh_sleep``) at the
moment a command is in flight, over real sockets.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from bridge.anova.commands import SetTimer
from bridge.simulator import CloudSimulator, SimClock
from tests.anova.conftest import Harness, cooker_of_type
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.integration


class RefreshGate:
    """A refresh wait that ends when the test says so."""

    def __init__(self) -> None:
        self.due = asyncio.Event()

    async def __call__(self, _seconds: float) -> None:
        await self.due.wait()


async def test_a_refresh_waits_for_the_command_in_flight(
    make_sim: Callable[..., Awaitable[CloudSimulator]],
) -> None:
    # A frozen simulated clock: the cloud itself never expires the token here.
    sim = await make_sim(clock=SimClock(speed=0))
    harness = Harness(sim)
    gate = RefreshGate()
    try:
        client, _, _ = await harness.start(
            harness.login_settings(command_timeout=5.0), refresh_sleep=gate
        )
        a7, a5 = cooker_of_type(sim, "a7"), cooker_of_type(sim, "a5")
        sim.faults.response_delay = 1.0
        in_flight = asyncio.create_task(client.execute(SetTimer(a7, 120)))
        await async_wait_until(lambda: sim.received_commands, timeout=5, what="command sent")

        gate.due.set()
        await async_wait_until(lambda: sim.tokens.refreshes == 1, timeout=5, what="refresh")
        # The cloud counts the refresh when it gets the request; the client
        # holds new commands once it has the answer and starts the hand-over.
        await async_wait_until(lambda: client._handing_over, timeout=5, what="hand-over begun")
        sim.faults.response_delay = 0.0
        during = asyncio.create_task(client.execute(SetTimer(a5, 240)))

        outcome = await in_flight
        assert outcome.confirmed, "answered on the old socket, not failed as unavailable"
        assert (await during).confirmed, "a command sent during the hand-over waits for it"
        first, second = sim.received_commands
        assert (first.payload["cookerId"], first.connection) == (a7, 1)
        assert (second.payload["cookerId"], second.connection) == (a5, 2)
        assert sim.connections_opened == 2, "one reconnect, with the refreshed token"
        assert client.connected
    finally:
        await harness.stop_all()
