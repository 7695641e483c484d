"""The ovens' control hooks, as Python methods and as ``/_sim/oven_…`` routes."""

from __future__ import annotations

import httpx

from tests.simulator.oven_support import (
    open_oven_client,
    oven_command,
    oven_sim,
    v2_plan_of,
    v2_stage,
    wait_oven_state,
)

STEAM_50 = {"mode": "steam-percentage", "steamPercentage": {"setpoint": 50}}


async def test_the_tank_runs_dry_under_steam_and_the_state_says_so_at_once() -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        v2 = sim.ovens[1]
        v2.cavity.tank_s = 100.0  # 200 s of half steam left
        stage = v2_stage("steam", steamGenerators=STEAM_50, exit_={"and": {}})
        await oven_command(client, "CMD_APO_START", v2.cooker_id, v2_plan_of(v2, stage))
        await sim.advance(150)
        low = await wait_oven_state(client, v2.cooker_id, lambda s: s["nodes"]["waterTank"]["low"])
        assert low["nodes"]["waterTank"]["empty"] is False
        assert low["nodes"]["steamGenerators"]["steamPercentage"]["current"] == 50
        await sim.advance(60)
        empty = await wait_oven_state(
            client, v2.cooker_id, lambda s: s["nodes"]["waterTank"]["empty"]
        )
        assert empty["nodes"]["steamGenerators"]["steamPercentage"]["current"] == 0
        assert empty["nodes"]["steamGenerators"]["boiler"]["watts"] == 0


async def test_tank_door_probe_panel_and_power_over_http() -> None:
    async with oven_sim() as sim, httpx.AsyncClient(base_url=sim.http_url) as http:
        v1, v2 = sim.ovens
        door = await http.post(f"/_sim/oven_door/{v1.cooker_id}?open=1")
        assert door.json()["door_open"] is True
        assert v1.cavity.door_open
        await http.post(f"/_sim/oven_door/{v1.cooker_id}?open=0")
        assert not v1.cavity.door_open
        for state in ("removed", "empty", "low", "full"):
            tank = await http.post(f"/_sim/oven_tank/{v2.cooker_id}?state={state}")
            assert tank.json()["water_tank"] == state
        assert (await http.post(f"/_sim/oven_tank/{v2.cooker_id}?state=half")).status_code == 400
        probe = await http.post(f"/_sim/oven_probe/{v1.cooker_id}?inserted=1&core_c=3.5")
        assert (probe.json()["probe_inserted"], probe.json()["probe_c"]) == (True, 3.5)
        panel = await http.post(f"/_sim/oven_panel/{v1.cooker_id}")
        assert panel.json()["accepted"] is False  # nothing waits for the user
        v2.bricked = True
        cycled = await http.post(f"/_sim/oven_power_cycle/{v2.cooker_id}")
        assert cycled.json()["bricked"] is False
        missing = await http.post("/_sim/oven_door/0123000000000000ff")
        assert missing.status_code == 404
        shown = (await http.get("/_sim/state")).json()
        assert [o["cooker_id"] for o in shown["ovens"]] == [v1.cooker_id, v2.cooker_id]
        assert shown["oven_traps"]["brick_v2_on_v1_plan"] is True


async def test_removing_the_tank_shows_in_both_versions_and_an_open_door_cools() -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        v1, v2 = sim.ovens
        sim.set_oven_water_tank(v1.cooker_id, "removed")
        sim.set_oven_water_tank(v2.cooker_id, "removed")
        s1 = await wait_oven_state(client, v1.cooker_id, lambda s: s["nodes"]["waterTank"]["empty"])
        assert s1["nodes"]["waterTank"] == {"empty": True}
        s2 = await wait_oven_state(
            client, v2.cooker_id, lambda s: s["nodes"]["waterTank"]["removed"]
        )
        assert s2["nodes"]["waterTank"] == {"low": False, "empty": True, "removed": True}
        v1.cavity.dry_c = 200.0
        sim.set_oven_door(v1.cooker_id, True)
        await sim.advance(60)
        assert v1.cavity.dry_c < 200.0 - 20
