"""Pushed oven states have the shapes of anova-oven-api.md §4, key for key."""

from __future__ import annotations

from typing import Any

from bridge.simulator import CloudSimulator
from tests.simulator.conftest import CloudClient
from tests.simulator.oven_support import (
    fixture,
    open_oven_client,
    oven_command,
    oven_sim,
    v1_plan,
    v2_plan,
    wait_oven_state,
)
from tests.simulator.test_shapes import key_paths, leaf_types

# §4.4 lists these cook keys for v2 (the CookV2 schema).
V2_COOK_KEYS = {
    "cookId",
    "stages",
    "activeStageId",
    "activeStageIndex",
    "activeStageMode",
    "activeStageStartedTimestamp",
    "startedTimestamp",
    "cookableType",
    "originSource",
    "stageTransitionPendingUserAction",
}


def assert_same_shape(pushed: dict[str, Any], example: dict[str, Any]) -> None:
    """Same key paths and the same scalar types at each leaf."""
    assert sorted(key_paths(pushed) ^ key_paths(example)) == []
    example_types = leaf_types(example)
    pushed_types = leaf_types(pushed)
    wrong = {p: (pushed_types[p], t) for p, t in example_types.items() if pushed_types[p] != t}
    assert wrong == {}


async def start_and_stop(sim: CloudSimulator, client: CloudClient, oven_id: str) -> None:
    await oven_command(client, "CMD_APO_START", oven_id, v1_plan(sim.oven(oven_id)))
    await sim.advance(120)
    await oven_command(client, "CMD_APO_STOP", oven_id)


async def test_v1_idle_after_a_cook_has_the_recorded_shape() -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        v1 = sim.ovens[0]
        await start_and_stop(sim, client, v1.cooker_id)
        idle = await wait_oven_state(client, v1.cooker_id, lambda s: s["state"]["mode"] == "idle")
        payload = {"cookerId": v1.cooker_id, "type": "oven_v1", "state": idle}
        frame = {"command": "EVENT_APO_STATE", "payload": payload}
        assert_same_shape(frame, fixture("v1-idle"))
        # Stale settings stay on show after the cook (§4, §6.6): setpoint, rear on at 0 W.
        assert idle["nodes"]["temperatureBulbs"]["dry"]["setpoint"] == {
            "celsius": 210.0,
            "fahrenheit": 410.0,
        }
        assert idle["nodes"]["heatingElements"]["rear"] == {"on": True, "failed": False, "watts": 0}
        assert idle["nodes"]["fan"]["speed"] == 0
        assert "cook" not in idle


async def test_v1_preheat_has_the_recorded_shape_and_both_units() -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        v1 = sim.ovens[0]
        await oven_command(client, "CMD_APO_START", v1.cooker_id, v1_plan(v1))
        await sim.advance(5)
        state = await wait_oven_state(
            client, v1.cooker_id, lambda s: s["cook"]["secondsElapsed"] == 5
        )
        example = fixture("v1-preheat")
        example["state"]["systemInfo"] = fixture("v1-idle")["payload"]["state"]["systemInfo"]
        assert_same_shape({"cookerId": v1.cooker_id, "type": "oven_v1", "state": state}, example)
        cook = state["cook"]
        assert (cook["activeStageIndex"], cook["activeStageSecondsElapsed"]) == (0, 5)
        assert cook["stages"][0]["id"].endswith("-preheat")
        dry = state["nodes"]["temperatureBulbs"]["dry"]["current"]
        assert abs(dry["fahrenheit"] - (dry["celsius"] * 9 / 5 + 32)) < 0.01
        assert state["nodes"]["heatingElements"]["rear"]["watts"] == 1600


async def test_v1_cook_echoes_the_plan_without_the_app_only_keys() -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        v1 = sim.ovens[0]
        plan = v1_plan(v1)
        plan["stages"][0]["fan"] = {"speed": 25}
        await oven_command(client, "CMD_APO_START", v1.cooker_id, plan)
        started = await wait_oven_state(client, v1.cooker_id, lambda s: "cook" in s)
        stages = started["cook"]["stages"]
        dropped = {"stepType", "description", "rackPosition", "timerAdded", "probeAdded"}
        assert all(dropped.isdisjoint(stage) for stage in stages)
        assert stages[0]["fan"] == {"speed": 100}  # a preheat echoes fan 100 (AK)
        assert stages[1]["timer"] == {"initial": 1800}
        assert stages[1]["title"] == ""


async def test_v2_idle_has_the_schema_shape_in_celsius_only() -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        v2 = sim.ovens[1]
        frame = next(
            f
            for f in client.frames
            if f["command"] == "EVENT_APO_STATE" and f["payload"]["cookerId"] == v2.cooker_id
        )
        assert_same_shape(frame, fixture("v2-idle"))
        assert "fahrenheit" not in str(frame)
        assert frame["payload"]["state"]["systemInfo"]["deviceId"] == f"anova{v2.cooker_id}"
        assert frame["payload"]["state"]["state"]["cavityOverheated"] is False


async def test_v2_cooking_shows_the_cook_and_the_words_of_section_4_4() -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        v2 = sim.ovens[1]
        plan = v2_plan(v2)
        rid, answer = await oven_command(client, "CMD_APO_START", v2.cooker_id, plan)
        assert answer == {"status": "ok"}
        state = await wait_oven_state(client, v2.cooker_id, lambda s: "cook" in s)
        assert state["state"]["mode"] == "cook"
        assert state["state"]["processedCommandIds"] == [rid]
        nodes = state["nodes"]
        assert nodes["temperatureBulbs"]["dry"]["setpoint"] == {"celsius": 200.0}
        assert nodes["heatingElements"]["rear"] == {"on": True, "failed": False, "watts": 1600}
        assert nodes["fan"] == {"speed": "max", "failed": False}
        assert nodes["steamGenerators"]["mode"] == "steam-percentage"
        assert nodes["steamGenerators"]["steamPercentage"] == {"current": 30, "setpoint": 30}
        assert nodes["timer"] == {"mode": "idle", "initial": 1200}
        assert nodes["exhaustVent"]["state"] == "closed"
        assert nodes["doorLamp"]["on"] is True
        cook = state["cook"]
        assert set(cook) == V2_COOK_KEYS
        assert cook["stages"] == plan["stages"]
        assert cook["cookId"] == plan["cookId"]
        assert (cook["activeStageMode"], cook["originSource"], cook["cookableType"]) == (
            "entering",
            "api",
            "manual",
        )
