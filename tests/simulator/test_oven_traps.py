"""The ovens' traps (§6.1, §6.2, §2), each on by default and each switchable."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from bridge.simulator.clock import iso_z
from bridge.simulator.oven_traps import OvenTraps
from tests.simulator.oven_support import (
    envelope,
    open_oven_client,
    oven_command,
    oven_sim,
    oven_states,
    v1_plan,
    v1_plan_of,
    v1_stage,
    v2_plan,
    wait_oven_state,
    wet_bulbs,
)
from tests.support.waiting import async_wait_until


async def test_a_v1_plan_bricks_a_v2_oven_until_it_is_power_cycled() -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        v2 = sim.ovens[1]
        _, answer = await oven_command(client, "CMD_APO_START", v2.cooker_id, v1_plan(v2))
        assert answer == {"status": "ok"}
        pushed = len(oven_states(client, v2.cooker_id))
        await sim.advance(120)
        _, later = await oven_command(client, "CMD_APO_START", v2.cooker_id, v2_plan(v2))
        assert later == {"status": "ok"}  # the cloud still answers; the oven never hears it
        assert len(oven_states(client, v2.cooker_id)) == pushed
        assert not v2.cooking
        async with open_oven_client(sim, expect=2 + 2 + 1) as newcomer:
            listed = [o["cookerId"] for o in newcomer.frames[2]["payload"]]
            assert v2.cooker_id in listed
            assert oven_states(newcomer, v2.cooker_id) == []
        sim.power_cycle_oven(v2.cooker_id)
        await async_wait_until(
            lambda: len(oven_states(client, v2.cooker_id)) == pushed + 1, what="a push"
        )
        back = oven_states(client, v2.cooker_id)[-1]
        assert back["state"]["mode"] == "idle"
        assert back["systemInfo"]["lastConnectedTimestamp"] == back["updatedTimestamp"]
        _, answer = await oven_command(client, "CMD_APO_START", v2.cooker_id, v2_plan(v2))
        await wait_oven_state(client, v2.cooker_id, lambda s: s["state"]["mode"] == "cook")


async def test_with_bricking_off_a_v1_plan_to_a_v2_oven_is_an_error() -> None:
    traps = OvenTraps(brick_v2_on_v1_plan=False)
    async with oven_sim(oven_traps=traps) as sim, open_oven_client(sim) as client:
        v2 = sim.ovens[1]
        _, answer = await oven_command(client, "CMD_APO_START", v2.cooker_id, v1_plan(v2))
        assert answer["status"] == "error"
        assert not v2.bricked


def unpaired_preheat() -> dict[str, Any]:
    return v1_plan_of(v1_stage("warm-up", "preheat"), v1_stage("roast"))


def preheat_before_wet() -> dict[str, Any]:
    return v1_plan_of(
        v1_stage("sv-preheat", "preheat"), v1_stage("sv", temperatureBulbs=wet_bulbs(60))
    )


def wet_fan_below_100() -> dict[str, Any]:
    wet = v1_stage("sv", temperatureBulbs=wet_bulbs(60), fan={"speed": 50})
    return v1_plan_of(v1_stage("dry"), wet)


REFUSALS: list[tuple[str, Callable[[], dict[str, Any]]]] = [
    ("refuse_unpaired_preheat", unpaired_preheat),
    ("refuse_preheat_before_wet", preheat_before_wet),
    ("refuse_wet_fan_below_100", wet_fan_below_100),
]


@pytest.mark.parametrize(("trap", "build"), REFUSALS)
async def test_a_v1_oven_silently_drops_a_plan_it_dislikes(
    trap: str, build: Callable[[], dict[str, Any]]
) -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        v1 = sim.ovens[0]
        rid, answer = await oven_command(client, "CMD_APO_START", v1.cooker_id, build())
        assert answer == {"status": "ok"}
        await sim.advance(30)  # an idle oven's push is due
        await client.command("CMD_APO_LEVITATE", {})  # every push made so far has arrived
        state = oven_states(client, v1.cooker_id)[-1]
        assert not v1.cooking
        assert state["updatedTimestamp"] == iso_z(v1.now, micros=True)
        assert state["state"]["mode"] == "idle"
        assert "cook" not in state
        assert rid not in state["state"]["processedCommandIds"]


@pytest.mark.parametrize(("trap", "build"), REFUSALS)
async def test_each_silent_refusal_can_be_switched_off(
    trap: str, build: Callable[[], dict[str, Any]]
) -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        sim.set_oven_traps({trap: False})
        v1 = sim.ovens[0]
        rid, _ = await oven_command(client, "CMD_APO_START", v1.cooker_id, build())
        state = await wait_oven_state(client, v1.cooker_id, lambda s: s["state"]["mode"] == "cook")
        assert state["state"]["processedCommandIds"] == [rid]


async def test_a_single_wet_stage_with_a_slow_fan_gets_away_with_it() -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        v1 = sim.ovens[0]
        plan = v1_plan_of(v1_stage("sv", temperatureBulbs=wet_bulbs(60), fan={"speed": 50}))
        await oven_command(client, "CMD_APO_START", v1.cooker_id, plan)
        state = await wait_oven_state(client, v1.cooker_id, lambda s: s["state"]["mode"] == "cook")
        steam = state["nodes"]["steamGenerators"]
        assert steam["mode"] == "relative-humidity"
        assert steam["relativeHumidity"]["setpoint"] == 100
        # Wet mode (MCOLYER): the setpoint is on the wet bulb, none on the dry.
        bulbs = state["nodes"]["temperatureBulbs"]
        assert bulbs["mode"] == "wet"
        assert bulbs["wet"]["setpoint"] == {"celsius": 60.0, "fahrenheit": 140.0}
        assert "setpoint" not in bulbs["dry"]


async def test_an_unknown_oven_id_gets_no_response_at_all() -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        lost = await client.send("CMD_APO_STOP", envelope("CMD_APO_STOP", "0123ffffffffffffff"))
        # Frames are answered in order: once the next one is answered, the first never will be.
        _, answer = await oven_command(client, "CMD_APO_STOP", sim.ovens[0].cooker_id)
        assert answer == {"status": "ok"}
        assert not [f for f in client.frames if f.get("requestId") == lost]
        first = sim.received_commands[0]
        assert (first.request_id, first.answered, first.applied) == (lost, False, False)


async def test_with_the_trap_off_an_unknown_oven_id_is_an_error() -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        sim.set_oven_traps({"ignore_unknown_oven": False})
        answer = await client.command(
            "CMD_APO_STOP", envelope("CMD_APO_STOP", "0123ffffffffffffff")
        )
        assert answer["status"] == "error"


async def test_traps_are_set_and_read_over_http_and_bad_names_refused() -> None:
    async with oven_sim() as sim, httpx.AsyncClient(base_url=sim.http_url) as http:
        shown = await http.post("/_sim/oven_traps", json={"refuse_unpaired_preheat": False})
        assert shown.status_code == 200
        assert shown.json()["refuse_unpaired_preheat"] is False
        assert sim.oven_traps.refuse_unpaired_preheat is False
        assert (await http.get("/_sim/oven_traps")).json() == sim.oven_traps.as_dict()
        bad = await http.post("/_sim/oven_traps", json={"explode": True})
        assert bad.status_code == 400
        wrong_type = await http.post("/_sim/oven_traps", json={"ignore_unknown_oven": "yes"})
        assert wrong_type.status_code == 400
        assert sim.oven_traps.ignore_unknown_oven is True


async def test_without_ovens_an_oven_command_is_still_unanswered_unless_switched() -> None:
    async with oven_sim(ovens=[]) as sim, open_oven_client(sim) as client:
        lost = await client.send("CMD_APO_STOP", envelope("CMD_APO_STOP", "0123ffffffffffffff"))
        await client.command("CMD_APO_LEVITATE", {})  # the first frame has been handled
        sim.set_oven_traps({"ignore_unknown_oven": False})
        answer = await client.command(
            "CMD_APO_STOP", envelope("CMD_APO_STOP", "0123ffffffffffffff")
        )
        assert answer["status"] == "error"
        assert not [f for f in client.frames if f.get("requestId") == lost]
