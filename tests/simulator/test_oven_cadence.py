"""When oven states are pushed: at once on change, every 30 s idle, every 2 s cooking (§4).

The cadence runs on simulated time, so the frozen clock shows exactly when
each push is due. An answered command is the barrier that says every push
made before it has arrived.
"""

from __future__ import annotations

from bridge.simulator import CloudSimulator
from tests.simulator.conftest import CloudClient
from tests.simulator.oven_support import (
    open_oven_client,
    oven_command,
    oven_sim,
    oven_states,
    v2_plan,
)


async def barrier(client: CloudClient) -> None:
    """Wait until every frame sent so far has arrived: any answer will do."""
    await client.command("CMD_APO_LEVITATE", {})


async def pushes_after(sim: CloudSimulator, client: CloudClient, seconds: float) -> list[int]:
    """How many states each oven pushed while the clock moved ``seconds``."""
    before = [len(oven_states(client, o.cooker_id)) for o in sim.ovens]
    await sim.advance(seconds)
    await barrier(client)
    after = [len(oven_states(client, o.cooker_id)) for o in sim.ovens]
    return [a - b for a, b in zip(after, before, strict=True)]


async def test_idle_ovens_push_every_thirty_simulated_seconds() -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        assert await pushes_after(sim, client, 29) == [0, 0]
        assert await pushes_after(sim, client, 1) == [1, 1]
        assert await pushes_after(sim, client, 29.5) == [0, 0]
        assert await pushes_after(sim, client, 0.5) == [1, 1]


async def test_a_cooking_oven_pushes_at_once_then_every_two_seconds() -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        v2 = sim.ovens[1]
        before = len(oven_states(client, v2.cooker_id))
        rid, _ = await oven_command(client, "CMD_APO_START", v2.cooker_id, v2_plan(v2))
        await barrier(client)
        states = oven_states(client, v2.cooker_id)
        assert len(states) == before + 1
        assert states[-1]["state"]["processedCommandIds"] == [rid]
        assert await pushes_after(sim, client, 1) == [0, 0]
        assert await pushes_after(sim, client, 1) == [0, 1]
        assert await pushes_after(sim, client, 2) == [0, 1]


async def test_a_hook_that_changes_an_oven_pushes_it_at_once() -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        v1 = sim.ovens[0]
        before = len(oven_states(client, v1.cooker_id))
        sim.set_oven_door(v1.cooker_id, True)
        await barrier(client)
        assert len(oven_states(client, v1.cooker_id)) == before + 1
        assert oven_states(client, v1.cooker_id)[-1]["nodes"]["door"] == {"closed": False}
