"""``CMD_APO_*`` in the nested envelope: answers, validation, and what changes (§2, §3)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from bridge.simulator.oven import SimOven
from tests.simulator.oven_support import (
    envelope,
    fixture,
    open_oven_client,
    oven_command,
    oven_sim,
    oven_states,
    v1_plan,
    v1_plan_of,
    v1_stage,
    v2_plan,
    v2_plan_of,
    v2_stage,
    wait_oven_state,
)

ALL_ELEMENTS = {"top": {"on": True}, "bottom": {"on": True}, "rear": {"on": True}}
NO_ELEMENTS = {"top": {"on": False}, "bottom": {"on": False}, "rear": {"on": False}}
CELSIUS_ONLY = {"mode": "dry", "dry": {"setpoint": {"celsius": 180}}}


def without_fahrenheit(oven: SimOven) -> dict[str, Any]:
    return v1_plan(oven, temperatureBulbs=CELSIUS_ONLY)


def with_timer_and_probe(oven: SimOven) -> dict[str, Any]:
    probe = {"setpoint": {"celsius": 60, "fahrenheit": 140}}
    return v1_plan(oven, temperatureProbe=probe)


def bad_operator(oven: SimOven) -> dict[str, Any]:
    stage = v2_stage("s", exit_={"and": {"nodes.timer.mode": {"~": "completed"}}})
    return v2_plan_of(oven, stage)


# (oven index, the inner payload for CMD_APO_START, a word the error must name)
MALFORMED: list[tuple[int, Callable[[SimOven], Any], str]] = [
    (0, lambda oven: "not a plan", "plan"),
    (0, lambda oven: {"cookId": "x", "stages": []}, "stages"),
    (0, without_fahrenheit, "fahrenheit"),
    (0, lambda oven: v1_plan(oven, heatingElements=ALL_ELEMENTS), "heatingElements"),
    (0, lambda oven: v1_plan(oven, heatingElements=NO_ELEMENTS), "heatingElements"),
    (0, with_timer_and_probe, "timer"),
    (0, lambda oven: v1_plan(oven, type="bake"), "type"),
    (0, lambda oven: v1_plan(oven, rackPosition=9), "rackPosition"),
    (0, lambda oven: v1_plan_of(v1_stage("a", fan={"speed": 150})), "fan"),
    (0, lambda oven: {"stages": [v1_stage("a")]}, "cookId"),
    (0, v2_plan, "v2 plan"),
    (1, lambda oven: v2_plan(oven, do={"type": "cook"}), "temperatureBulbs"),
    (
        1,
        lambda oven: v2_plan_of(
            oven,
            v2_stage("s", temperatureBulbs=CELSIUS_ONLY | {"dry": {"setpoint": {"celsius": 300}}}),
        ),
        "250",
    ),
    (1, bad_operator, "operator"),
    (1, lambda oven: v2_plan_of(oven, v2_stage("s", exhaustVent={"state": "ajar"})), "exhaustVent"),
]


@pytest.mark.parametrize(("index", "build", "named"), MALFORMED)
async def test_a_malformed_start_is_an_error_naming_the_problem_and_changes_nothing(
    index: int, build: Callable[[SimOven], Any], named: str
) -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        oven = sim.ovens[index]
        _, answer = await oven_command(client, "CMD_APO_START", oven.cooker_id, build(oven))
        assert answer["status"] == "error"
        assert named in answer["error"]
        assert not oven.cooking
        assert list(oven.processed_ids) == []


async def test_the_recorded_starts_are_accepted_and_confirmed_in_the_next_state() -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        for oven, name in zip(sim.ovens, ("start-v1", "start-v2"), strict=True):
            inner = copy.deepcopy(fixture(name)["payload"]["payload"])
            rid, answer = await oven_command(client, "CMD_APO_START", oven.cooker_id, inner)
            assert answer == {"status": "ok"}

            def confirmed(state: dict[str, Any], rid: str = rid) -> bool:
                return rid in state["state"]["processedCommandIds"]

            state = await wait_oven_state(client, oven.cooker_id, confirmed)
            assert state["state"]["mode"] == "cook"
            assert state["cook"]["cookId"] == inner["cookId"]


async def test_stop_ends_the_cook_and_keeps_the_last_ten_request_ids() -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        v1 = sim.ovens[0]
        rids = []
        for _ in range(6):
            rids.append((await oven_command(client, "CMD_APO_START", v1.cooker_id, v1_plan(v1)))[0])
            rids.append((await oven_command(client, "CMD_APO_STOP", v1.cooker_id))[0])
        state = await wait_oven_state(
            client, v1.cooker_id, lambda s: s["state"]["processedCommandIds"][-1:] == rids[-1:]
        )
        assert state["state"]["processedCommandIds"] == rids[-10:]
        assert state["state"]["mode"] == "idle"
        assert "cook" not in state


@pytest.mark.parametrize("index", [0, 1])
async def test_the_temperature_unit_changes_only_the_display_unit(index: int) -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        oven = sim.ovens[index]
        before = oven_states(client, oven.cooker_id)[-1]
        inner = {"temperatureUnit": "F"}
        _, answer = await oven_command(
            client, "CMD_APO_SET_TEMPERATURE_UNIT", oven.cooker_id, inner
        )
        assert answer == {"status": "ok"}
        after = await wait_oven_state(
            client, oven.cooker_id, lambda s: s["state"]["temperatureUnit"] == "F"
        )
        assert after["nodes"]["temperatureBulbs"] == before["nodes"]["temperatureBulbs"]
        assert after["state"]["mode"] == "idle"


@pytest.mark.parametrize("inner", [{"unit": "F"}, {"temperatureUnit": "K"}, None])
async def test_a_bad_temperature_unit_is_an_error(inner: Any) -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        oven = sim.ovens[0]
        _, answer = await oven_command(
            client, "CMD_APO_SET_TEMPERATURE_UNIT", oven.cooker_id, inner
        )
        assert answer["status"] == "error"
        assert "temperatureUnit" in answer["error"]
        assert oven.unit == "C"


async def test_an_envelope_without_an_oven_id_is_an_error_and_unknown_commands_too() -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        no_id = await client.command("CMD_APO_STOP", {"type": "CMD_APO_STOP"})
        assert no_id["status"] == "error"
        unknown = await client.command("CMD_APO_LEVITATE", envelope("x", sim.ovens[0].cooker_id))
        assert unknown == {"status": "error", "error": "Unknown command type"}
