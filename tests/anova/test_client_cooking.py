"""Cooking through the client against the simulator, over real sockets."""

from __future__ import annotations

import dataclasses

import pytest

from bridge.anova import commands
from bridge.anova.client import AnovaClient
from bridge.anova.commands import SetTarget, SetTimer, SetUnit, StartCook, StopCook
from bridge.anova.state import CookerPhase, CookerState
from bridge.errors import CommandError, ErrorCode
from bridge.simulator import CloudSimulator
from tests.anova.conftest import cooker_of_type
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.integration


async def advance_until(
    sim: CloudSimulator,
    client: AnovaClient,
    cooker_id: str,
    phase: CookerPhase,
    *,
    step: float = 30.0,
    limit: int = 400,
) -> CookerState:
    """Move the simulator's clock in steps until the client sees ``phase``."""
    for _ in range(limit):
        before = client.states.get(cooker_id)
        if before is not None and before.phase is phase:
            return before
        await sim.advance(step)

        def pushed(seen: CookerState | None = before) -> bool:
            return client.states[cooker_id] is not seen

        await async_wait_until(pushed, timeout=2, what="a pushed state")
    raise AssertionError(f"{cooker_id} never reached {phase}")


@pytest.mark.parametrize(("cooker_type", "unit"), [("a7", "C"), ("a5", "F")])
async def test_a_cook_runs_through_its_phases_and_stops(harness, cooker_type, unit):
    client, recorder, _ = await harness.start()
    cooker_id = cooker_of_type(harness.sim, cooker_type)

    outcome = await client.execute(StartCook(cooker_id, 58.5, 600, unit))

    assert outcome.confirmed
    assert outcome.state is not None
    assert outcome.state.phase is CookerPhase.PREHEATING
    assert outcome.state.target_temperature_c == pytest.approx(58.5, abs=0.05)
    sent = harness.sim.received_commands[-1]
    assert sent.command == "CMD_APC_START"
    assert sent.payload["type"] == cooker_type
    assert sent.payload["unit"] == unit
    assert sent.payload["targetTemperature"] == (137.3 if unit == "F" else 58.5)
    assert sent.payload["timer"] == 600

    cooking = await advance_until(harness.sim, client, cooker_id, CookerPhase.COOKING)
    assert cooking.timer.running
    assert cooking.timer.total_s == 600
    assert cooking.cook is not None
    assert cooking.cook.ends_at is not None
    maintaining = await advance_until(harness.sim, client, cooker_id, CookerPhase.MAINTAINING)
    assert maintaining.timer.remaining_s == 0
    phases = recorder.phases(cooker_id)
    wanted = [
        CookerPhase.IDLE,
        CookerPhase.PREHEATING,
        CookerPhase.COOKING,
        CookerPhase.MAINTAINING,
    ]
    assert phases[: len(wanted)] == wanted

    stopped = await client.execute(StopCook(cooker_id))
    assert stopped.confirmed
    assert stopped.state is not None
    assert stopped.state.phase is CookerPhase.IDLE


async def test_timer_and_unit_changes_are_confirmed(harness):
    client, _, _ = await harness.start()
    cooker_id = cooker_of_type(harness.sim, "a7")
    timer = await client.execute(SetTimer(cooker_id, 5400))
    assert timer.confirmed
    assert timer.state.timer.total_s == 5400
    unit = await client.execute(SetUnit(cooker_id, "F"))
    assert unit.confirmed
    assert unit.state.unit == "F"
    await client.execute(StartCook(cooker_id, 60.0, 0, "C"))
    target = await client.execute(SetTarget(cooker_id, 61.5, "F"))
    assert target.confirmed
    assert target.state.target_temperature_c == pytest.approx(61.5, abs=0.05)
    assert harness.sim.received_commands[-1].payload["targetTemperature"] == 142.7


async def test_wrong_type_is_acknowledged_but_not_confirmed(harness):
    client, _, _ = await harness.start(harness.settings(confirm_timeout=0.8))
    cooker_id = cooker_of_type(harness.sim, "a7")
    honest = commands.start(client.devices[cooker_id], 60.0, 0, "C")
    corrupted = dataclasses.replace(honest, payload=honest.payload | {"type": "a5"})

    outcome = await client.send(corrupted)

    assert not outcome.confirmed
    assert outcome.state is not None
    assert outcome.state.phase is CookerPhase.IDLE
    assert harness.sim.received_commands[-1].status == "ok"
    assert client.stats.unconfirmed == 1
    assert client.stats.commands_failed == 0


async def test_set_target_on_an_idle_cooker_is_not_confirmed(harness):
    client, _, _ = await harness.start(harness.settings(confirm_timeout=0.8))
    cooker_id = cooker_of_type(harness.sim, "a5")
    before = client.states[cooker_id].target_temperature_c

    outcome = await client.execute(SetTarget(cooker_id, 71.0, "C"))

    assert not outcome.confirmed
    assert outcome.state.target_temperature_c == before


async def test_unknown_cooker_is_refused_before_the_cloud(harness):
    client, _, _ = await harness.start()
    sent = len(harness.sim.received_commands)
    with pytest.raises(CommandError) as caught:
        await client.execute(StopCook("no-such-cooker"))
    assert caught.value.code is ErrorCode.UNKNOWN_DEVICE
    assert len(harness.sim.received_commands) == sent


async def test_devices_come_from_the_list(harness):
    client, recorder, _ = await harness.start()
    assert sorted(d.type for d in client.devices.values()) == ["a5", "a7"]
    assert recorder.device_lists
    assert recorder.connections == [True]
