"""The oven's stage machine over a real socket, driven by the simulated clock (§6.3–6.6)."""

from __future__ import annotations

from datetime import datetime

from bridge.simulator.cavity import ROOM_C, seconds_to_reach
from tests.simulator.oven_support import (
    open_oven_client,
    oven_command,
    oven_sim,
    v1_plan,
    v1_plan_of,
    v1_stage,
    v2_plan,
    v2_plan_of,
    v2_stage,
    wait_oven_state,
)

PREHEAT_210_S = seconds_to_reach(210.0, start_c=ROOM_C, watts=1600)
PREHEAT_200_S = seconds_to_reach(200.0, start_c=ROOM_C, watts=1600)
TIMER_DONE = {"and": {"nodes.timer.mode": {"=": "completed"}}}


def stamp(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


async def test_v1_preheat_hands_over_to_the_cook_stage_at_the_setpoint() -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        v1 = sim.ovens[0]
        await oven_command(client, "CMD_APO_START", v1.cooker_id, v1_plan(v1))
        await sim.advance(PREHEAT_210_S - 5)
        assert v1.run is not None
        assert v1.run.index == 0
        await sim.advance(70)
        state = await wait_oven_state(
            client, v1.cooker_id, lambda s: s["cook"]["activeStageIndex"] == 1
        )
        timer = state["nodes"]["timer"]
        assert timer["mode"] == "running"
        assert timer["initial"] == 1800
        assert 5 <= timer["current"] <= 65
        assert state["nodes"]["fan"]["speed"] == 100


async def test_v1_stage_waits_for_the_panel_then_counts_its_timer_up_and_ends_idle() -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        v1 = sim.ovens[0]
        plan = v1_plan(v1, userActionRequired=True)
        await oven_command(client, "CMD_APO_START", v1.cooker_id, plan)
        await sim.advance(PREHEAT_210_S + 120)
        waiting = await wait_oven_state(
            client, v1.cooker_id, lambda s: s["cook"]["stageTransitionPendingUserAction"]
        )
        assert waiting["cook"]["activeStageIndex"] == 0
        assert waiting["nodes"]["timer"] == {"mode": "idle", "initial": 0, "current": 0}
        assert sim.press_oven_panel(v1.cooker_id) is True
        pressed = await wait_oven_state(
            client, v1.cooker_id, lambda s: s["cook"]["activeStageIndex"] == 1
        )
        assert pressed["cook"]["stageTransitionPendingUserAction"] is False
        await sim.advance(600)
        counting = await wait_oven_state(
            client, v1.cooker_id, lambda s: s["nodes"]["timer"]["current"] == 600
        )
        assert counting["cook"]["activeStageSecondsElapsed"] == 600
        await sim.advance(1200)
        done = await wait_oven_state(client, v1.cooker_id, lambda s: s["state"]["mode"] == "idle")
        assert "cook" not in done
        assert sim.press_oven_panel(v1.cooker_id) is False


async def test_v1_probe_stage_ends_when_the_core_reaches_the_target() -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        v1 = sim.ovens[0]
        probe = {"setpoint": {"celsius": 60, "fahrenheit": 140}}
        plan = v1_plan_of(v1_stage("c1", temperatureProbe=probe, probeAdded=True))
        sim.set_oven_probe(v1.cooker_id, inserted=True, core_c=5.0)
        await oven_command(client, "CMD_APO_START", v1.cooker_id, plan)
        cores = []
        while v1.cooking:
            cores.append(v1.cavity.probe_c)
            await sim.advance(30)
        assert max(cores) < 60.0 <= v1.cavity.probe_c
        done = await wait_oven_state(client, v1.cooker_id, lambda s: s["state"]["mode"] == "idle")
        assert done["nodes"]["temperatureProbe"]["connected"] is True
        assert done["nodes"]["temperatureProbe"]["current"]["celsius"] >= 60.0


async def test_v2_entry_gates_the_stage_and_its_timer_then_the_cook_ends() -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        v2 = sim.ovens[1]
        await oven_command(client, "CMD_APO_START", v2.cooker_id, v2_plan(v2))
        started_at = v2.now
        await sim.advance(PREHEAT_200_S - 5)
        entering = await wait_oven_state(client, v2.cooker_id, lambda s: "cook" in s)
        assert entering["cook"]["activeStageMode"] == "entering"
        await sim.advance(120)
        running = await wait_oven_state(
            client, v2.cooker_id, lambda s: s["nodes"]["timer"]["mode"] == "running"
        )
        assert running["cook"]["activeStageMode"] == "running"
        waited = stamp(running["nodes"]["timer"]["startedAtTimestamp"]) - started_at
        assert PREHEAT_200_S - 1 <= waited <= PREHEAT_200_S + 60
        await sim.advance(1200)
        done = await wait_oven_state(client, v2.cooker_id, lambda s: s["state"]["mode"] == "idle")
        assert "cook" not in done
        assert done["nodes"]["timer"] == {"mode": "idle"}
        assert done["nodes"]["temperatureBulbs"]["dry"]["setpoint"] == {"celsius": 200.0}


async def test_v2_completed_timer_waits_for_the_user_before_the_next_stage() -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        v2 = sim.ovens[1]
        first = v2_stage(
            "s1",
            timer={"initial": 60},
            exit_={"and": {"nodes.timer.mode": {"=": "completed"}, "userAction": {"=": True}}},
        )
        plan = v2_plan_of(v2, first, v2_stage("s2", exit_=TIMER_DONE, timer={"initial": 30}))
        await oven_command(client, "CMD_APO_START", v2.cooker_id, plan)
        await sim.advance(90)
        state = await wait_oven_state(
            client, v2.cooker_id, lambda s: s["nodes"]["timer"]["mode"] == "completed"
        )
        assert state["cook"]["stageTransitionPendingUserAction"] is True
        assert state["cook"]["activeStageId"] == "s1"
        sim.press_oven_panel(v2.cooker_id)
        second = await wait_oven_state(
            client, v2.cooker_id, lambda s: s["cook"]["activeStageId"] == "s2"
        )
        assert second["cook"]["activeStageIndex"] == 1
        assert second["nodes"]["timer"]["mode"] == "running"


async def test_v2_probe_stage_waits_for_the_probe_and_ends_at_the_target() -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        v2 = sim.ovens[1]
        stage = v2_stage(
            "p",
            temperatureProbe={"setpoint": {"celsius": 55}},
            entry={"and": {"nodes.temperatureProbe.connected": {"=": True}}},
            exit_={"and": {"nodes.temperatureProbe.current.celsius": {">=": 55}}},
        )
        await oven_command(client, "CMD_APO_START", v2.cooker_id, v2_plan_of(v2, stage))
        await sim.advance(600)
        waiting = await wait_oven_state(client, v2.cooker_id, lambda s: "cook" in s)
        assert waiting["cook"]["activeStageMode"] == "entering"
        assert waiting["nodes"]["temperatureProbe"]["setpoint"] == {"celsius": 55.0}
        sim.set_oven_probe(v2.cooker_id, inserted=True, core_c=4.0)
        running = await wait_oven_state(
            client, v2.cooker_id, lambda s: s["cook"]["activeStageMode"] == "running"
        )
        assert running["nodes"]["temperatureProbe"]["connected"] is True
        while v2.cooking:
            assert v2.cavity.probe_c < 55.0
            await sim.advance(30)
        assert v2.cavity.probe_c >= 55.0


async def test_v2_stage_without_exit_runs_until_stopped() -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        v2 = sim.ovens[1]
        stage = v2_stage("forever", exit_={"and": {}})
        await oven_command(client, "CMD_APO_START", v2.cooker_id, v2_plan_of(v2, stage))
        await sim.advance(10 * 3600)
        assert v2.cooking
        assert abs(v2.cavity.dry_c - 180.5) < 0.1
        await oven_command(client, "CMD_APO_STOP", v2.cooker_id)
        stopped = await wait_oven_state(
            client, v2.cooker_id, lambda s: s["state"]["mode"] == "idle"
        )
        assert "cook" not in stopped
        assert stopped["nodes"]["temperatureBulbs"]["dry"]["setpoint"] == {"celsius": 180.0}


async def test_v2_manual_timer_starts_on_the_panel() -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        v2 = sim.ovens[1]
        manual = {"initial": 300, "entry": {"conditions": {"and": {"userAction": {"=": True}}}}}
        stage = v2_stage("m", timer=manual, exit_=TIMER_DONE)
        await oven_command(client, "CMD_APO_START", v2.cooker_id, v2_plan_of(v2, stage))
        await sim.advance(600)
        assert v2.timer_mode() == "idle"
        assert sim.press_oven_panel(v2.cooker_id) is True
        timed = await wait_oven_state(
            client, v2.cooker_id, lambda s: s["nodes"]["timer"]["mode"] == "running"
        )
        assert stamp(timed["nodes"]["timer"]["startedAtTimestamp"]) == int(v2.now)
        await sim.advance(300)
        assert not v2.cooking
