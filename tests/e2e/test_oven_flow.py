"""Precision Ovens, v1 and v2, end to end: a real Mosquitto, the simulated cloud, the bridge.

A user's client publishes oven commands as a script or Home Assistant
would; the simulator runs the oven (its cavity, stages, probe, door, tank)
on its own clock, which the tests drive. What is checked is what a user
sees: responses, the retained state, events, and what reached the oven.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Stack, running_stack
from tests.support.waiting import async_wait_until

V1, V2 = 0, 1


@pytest.fixture
async def kitchen(tmp_path: Path) -> AsyncIterator[Stack]:
    """One cooker beside a Precision Oven (v1) and a Precision Oven 2.0."""
    # An idle oven pushes every 30 s: the stack's usual 30 s offline_after would
    # let a slow test see it go offline between two pushes.
    async with running_stack(
        tmp_path,
        cookers=1,
        types=("a7",),
        ovens=("oven_v1", "oven_v2"),
        anova={"offline_after": 120.0},
    ) as stack:
        yield stack


def unconfirmed(answer: dict[str, Any]) -> list[str]:
    """The answer's warning that the oven did not show the command applied, if any."""
    return [w for w in answer["warnings"] if "did not show it applied" in w]


def events(stack: Stack, oven: int) -> list[dict[str, Any]]:
    return [m.json() for m in stack.probe.on(stack.oven_topic(oven, "event"))]


def event_names(stack: Stack, oven: int) -> list[str]:
    """The oven's own events (not the twins of command responses)."""
    twins = {"command_warnings", "command_refused"}
    return [e["event"] for e in events(stack, oven) if e["event"] not in twins]


async def run_until(
    stack: Stack, oven: int, predicate: Callable[[Any], bool], *, step_s: float = 20, what: str
) -> Any:
    """Advance the simulated clock in steps until the oven's published state matches."""
    topic = stack.oven_topic(oven, "state")

    async def advanced() -> Any:
        last = stack.probe.last(topic)
        if last is not None and predicate(last.json()):
            return last.json()
        await stack.sim.advance(step_s)
        return None

    return await async_wait_until(advanced, timeout=60, what=what)


def started_plans(stack: Stack, oven: int) -> list[Any]:
    oven_id = stack.sim.ovens[oven].cooker_id
    return [
        c.payload["payload"]
        for c in stack.cloud_commands("CMD_APO_START")
        if c.payload["id"] == oven_id
    ]


async def test_ovens_are_listed_published_and_discovered_beside_the_cooker(kitchen: Stack) -> None:
    kitchen.probe.subscribe("homeassistant/#")
    info = await kitchen.probe.until(
        "anova/bridge/info", lambda body: body and len(body.get("devices", [])) == 3
    )
    models = sorted((device["kind"], device["model"]) for device in info.json()["devices"])
    assert models == [
        ("oven", "Precision Oven"),
        ("oven", "Precision Oven 2.0"),
        ("sous_vide", "Precision Cooker 3.0"),
    ]
    for oven in (V1, V2):
        state = await kitchen.oven_state(oven, lambda body: body and body.get("online"))
        assert state["state"] == "idle"
        assert state["door"] == "closed"
        assert state["device"]["type"] == ("oven_v1", "oven_v2")[oven]
        oven_id = kitchen.sim.ovens[oven].cooker_id
        config = await kitchen.probe.until(f"homeassistant/device/{oven_id}/config")
        components = config.json()["components"]
        assert components["climate"]["platform"] == "climate", sorted(components)


@pytest.mark.parametrize("oven", [V1, V2], ids=["v1", "v2"])
async def test_a_quick_dry_bake_preheats_runs_its_timer_and_completes(
    kitchen: Stack, oven: int
) -> None:
    answer = await kitchen.oven_command(
        oven,
        {
            "action": "start",
            "mode": "dry",
            "temperature": 200,
            "duration": "10m",
            "request_id": f"bake-{oven}",
        },
    )
    assert answer["status"] == "ok", answer
    assert answer["data"]["stages"] == 1
    assert unconfirmed(answer) == [], "the start was confirmed by the oven's next state"
    [plan] = started_plans(kitchen, oven)
    if oven == V1:
        assert [stage["type"] for stage in plan["stages"]] == ["preheat", "cook"]
        assert plan["stages"][0]["id"] == plan["stages"][1]["id"] + "-preheat"
    else:
        assert plan["type"] == "oven_v2"
        assert "preheat" not in {stage["do"]["type"] for stage in plan["stages"]}
        assert plan["stages"][0]["entry"]["conditions"], "preheat is the stage's entry gate"
    heating = await kitchen.oven_state(oven, lambda body: body["state"] == "preheating")
    assert heating["target_temperature"] == 200.0
    assert heating["stage"]["number"] == 1
    await run_until(kitchen, oven, lambda body: body["preheated"], what="preheated")
    await run_until(kitchen, oven, lambda body: body["state"] == "idle", step_s=60, what="done")
    assert event_names(kitchen, oven) == [
        "cook_started",
        "preheat_complete",
        "timer_done",
        "cook_complete",
    ]


async def test_a_two_stage_plan_announces_each_stage(kitchen: Stack) -> None:
    answer = await kitchen.oven_command(
        V2,
        {
            "action": "start",
            "stages": [
                {"mode": "dry", "temperature": 35, "duration": "45m", "preheat": False},
                {"mode": "steam", "temperature": 200, "steam_percent": 30, "duration": "30m"},
            ],
            "food_type": "bread",
            "request_id": "proof-and-bake",
        },
    )
    assert answer["status"] == "ok", answer
    assert answer["data"]["stages"] == 2
    second = await run_until(
        kitchen, V2, lambda body: (body.get("stage") or {}).get("number") == 2, what="stage 2"
    )
    assert second["stage"]["count"] == 2
    assert second["oven_mode"] == "steam"
    started = [e for e in events(kitchen, V2) if e["event"] == "stage_started"]
    assert [(e["stage"], e["count"]) for e in started] == [(2, 2)]


async def test_an_unsafe_probe_target_for_chicken_is_refused_and_nothing_is_sent(
    kitchen: Stack,
) -> None:
    answer = await kitchen.oven_command(
        V1,
        {
            "action": "start",
            "mode": "dry",
            "temperature": 190,
            "probe_temperature": 65,
            "food_type": "chicken",
            "request_id": "pink-chicken",
        },
    )
    assert answer["status"] == "error"
    assert answer["error"]["code"] == "POULTRY_TEMP_UNSAFE"
    assert started_plans(kitchen, V1) == []
    refused = await kitchen.probe.until(
        kitchen.oven_topic(V1, "event"), lambda body: body["event"] == "command_refused"
    )
    assert refused.json()["code"] == "POULTRY_TEMP_UNSAFE"


async def test_a_probe_roast_ends_when_the_core_reaches_its_target(kitchen: Stack) -> None:
    oven_id = kitchen.sim.ovens[V2].cooker_id
    kitchen.sim.set_oven_probe(oven_id, inserted=True, core_c=5.0)
    answer = await kitchen.oven_command(
        V2,
        {
            "action": "start",
            "mode": "dry",
            "temperature": 180,
            "probe_temperature": 74,
            "food_type": "whole chicken",
            "request_id": "roast",
        },
    )
    assert answer["status"] == "ok", answer
    probed = await kitchen.oven_state(V2, lambda body: body["probe"]["target"] == 74.0)
    assert probed["probe"]["connected"] is True
    await run_until(
        kitchen, V2, lambda body: body["probe"]["temperature"] >= 70, step_s=60, what="core 70 °C"
    )
    # The last degrees at the oven's own cadence while cooking: a push every 2 s.
    await run_until(kitchen, V2, lambda body: body["state"] == "idle", step_s=2, what="done")
    names = event_names(kitchen, V2)
    assert "probe_target_reached" in names, names
    assert names[-1] == "cook_complete"


async def test_door_and_water_tank_are_state_and_events(kitchen: Stack) -> None:
    oven_id = kitchen.sim.ovens[V1].cooker_id
    mark = kitchen.mark(V1)
    kitchen.sim.set_oven_door(oven_id, True)
    opened = await kitchen.oven_state(V1, lambda body: body["door"] == "open", after=mark)
    assert opened["state"] == "idle"
    kitchen.sim.set_oven_water_tank(oven_id, "empty")
    empty = await kitchen.oven_state(V1, lambda body: body["water_tank"]["empty"], after=mark)
    assert empty["door"] == "open"
    mark = kitchen.mark(V1)
    kitchen.sim.set_oven_door(oven_id, False)
    await kitchen.oven_state(V1, lambda body: body["door"] == "closed", after=mark)
    assert event_names(kitchen, V1) == ["door_opened", "water_tank_empty", "door_closed"]


async def test_home_assistant_shortcuts_build_the_next_cook_and_start_it(kitchen: Stack) -> None:
    topic = kitchen.oven_topic(V2, "set")
    kitchen.probe.publish(f"{topic}/target_temperature", "210")
    kitchen.probe.publish(f"{topic}/oven_mode", "steam")
    kitchen.probe.publish(f"{topic}/steam_percent", "40")
    kitchen.probe.publish(f"{topic}/timer", "20")
    kept = await kitchen.oven_state(
        V2, lambda body: (body.get("next") or {}).get("steam_percent") == 40
    )
    assert kept["state"] == "idle"
    assert kept["target_temperature"] == 210.0
    assert started_plans(kitchen, V2) == [], "kept settings are not sent while idle"
    kitchen.probe.publish(f"{topic}/mode", "heat")
    running = await kitchen.oven_state(V2, lambda body: body["oven_mode"] == "steam")
    assert running["state"] == "preheating"
    [plan] = started_plans(kitchen, V2)
    [stage] = plan["stages"]
    assert stage["do"]["temperatureBulbs"]["dry"]["setpoint"]["celsius"] == 210
    assert stage["do"]["steamGenerators"]["steamPercentage"]["setpoint"] == 40
    assert stage["do"]["timer"]["initial"] == 1200


async def test_a_new_setpoint_mid_cook_resends_the_rest_of_the_plan(kitchen: Stack) -> None:
    await kitchen.oven_command(
        V1,
        {
            "action": "start",
            "stages": [
                {"mode": "dry", "temperature": 200, "duration": "20m"},
                {"mode": "dry", "temperature": 150, "duration": "10m"},
            ],
            "request_id": "two",
        },
    )
    await run_until(kitchen, V1, lambda body: body["preheated"], what="preheated")
    kitchen.probe.publish(kitchen.oven_topic(V1, "set/target_temperature"), "180")
    changed = await kitchen.oven_state(V1, lambda body: body["target_temperature"] == 180.0)
    assert changed["state"] == "cooking"
    first, second = started_plans(kitchen, V1)
    cooks = [stage for stage in second["stages"] if stage["type"] == "cook"]
    assert [stage["temperatureBulbs"]["dry"]["setpoint"]["celsius"] for stage in cooks] == [
        180,
        150,
    ]
    assert cooks[0]["timer"]["initial"] < 1200, "the first stage keeps only its time left"
    assert first["cookId"] != second["cookId"]


async def test_stop_and_display_unit(kitchen: Stack) -> None:
    await kitchen.oven_command(
        V2, {"action": "start", "temperature": 180, "duration": "1h", "request_id": "s"}
    )
    mark = kitchen.mark(V2)
    stopped = await kitchen.oven_command(V2, {"action": "stop", "request_id": "stop"})
    assert stopped["status"] == "ok", stopped
    await kitchen.oven_state(V2, lambda body: body["state"] == "idle", after=mark)
    assert event_names(kitchen, V2)[-1] == "cook_stopped"
    unit = await kitchen.oven_command(V2, {"action": "set_unit", "unit": "F", "request_id": "u"})
    assert unit["status"] == "ok", unit
    [sent] = kitchen.cloud_commands("CMD_APO_SET_TEMPERATURE_UNIT")
    assert sent.payload["payload"] == {"temperatureUnit": "F"}


async def test_a_plan_the_oven_silently_drops_is_ok_with_a_warning_the_user_sees(
    kitchen: Stack,
) -> None:
    kitchen.sim.set_oven_traps({"drop_every_v1_plan": True})
    answer = await kitchen.oven_command(
        V1, {"action": "start", "temperature": 200, "duration": "10m", "request_id": "dropped"}
    )
    assert answer["status"] == "ok"
    assert unconfirmed(answer), answer
    warned = await kitchen.probe.until(
        kitchen.oven_topic(V1, "event"), lambda body: body["event"] == "command_warnings"
    )
    assert warned.json()["request_id"] == "dropped"
    state = kitchen.probe.last(kitchen.oven_topic(V1, "state"))
    assert state is not None
    assert state.json()["state"] == "idle"


async def test_the_known_silent_refusals_never_catch_the_bridges_plans(kitchen: Stack) -> None:
    """Every v1 trap is on; a plan with a preheat, a wet stage and steam still runs."""
    answer = await kitchen.oven_command(
        V1,
        {
            "action": "start",
            "stages": [
                {"mode": "dry", "temperature": 220, "duration": "5m"},
                {"mode": "wet", "temperature": 60, "duration": "1h30m", "fan_speed": 100},
                {"mode": "steam", "temperature": 120, "steam_percent": 50, "duration": "5m"},
            ],
            "food_type": "chicken breast",
            "thickness_mm": 25,
            "request_id": "traps",
        },
    )
    assert answer["status"] == "ok", answer
    assert unconfirmed(answer) == [], answer
    assert kitchen.sim.ovens[V1].cooking


async def test_a_v2_oven_only_ever_gets_v2_plans_and_stays_alive(kitchen: Stack) -> None:
    """A v1 plan would leave a v2 oven dead (the trap is on): the bridge never sends one."""
    for request_id, temperature in (("a", 180), ("b", 190)):
        answer = await kitchen.oven_command(
            V2,
            {
                "action": "start",
                "temperature": temperature,
                "duration": "30m",
                "replace": True,
                "request_id": request_id,
            },
        )
        assert answer["status"] == "ok", answer
        assert unconfirmed(answer) == []
    assert not kitchen.sim.ovens[V2].bricked
    assert all(plan["type"] == "oven_v2" for plan in started_plans(kitchen, V2))


async def test_a_long_low_temperature_stage_gets_the_budget_warning_for_the_oven(
    kitchen: Stack,
) -> None:
    """Proofing at 35 °C for 3 h 50 min is allowed; 30 minutes before 4 hours the user is told."""
    answer = await kitchen.oven_command(
        V1,
        {
            "action": "start",
            "temperature": 35,
            "duration": "3h50m",
            "preheat": False,
            "food_type": "bread dough",
            "request_id": "proof",
        },
    )
    assert answer["status"] == "ok", answer
    topic = kitchen.oven_topic(V1, "event")

    async def warned() -> dict[str, Any] | None:
        seen = [m.json() for m in kitchen.probe.on(topic)]
        found = next((e for e in seen if e["event"] == "low_temp_budget_ending"), None)
        if found is None:
            await kitchen.sim.advance(300)
        return found

    event: dict[str, Any] = await async_wait_until(
        warned, timeout=60, what="the 4-hour budget warning"
    )
    assert "in the oven" in event["message"]
    assert event["in_water_s"] >= 3.5 * 3600


async def test_an_oven_command_repeated_with_its_request_id_runs_once(kitchen: Stack) -> None:
    """QoS 1 may deliver a command twice: the oven gets one plan, the user two same answers."""
    command = {"action": "start", "temperature": 180, "duration": "30m", "request_id": "twice"}
    first = await kitchen.oven_command(V2, command)
    topic = kitchen.oven_topic(V2, "response")
    kitchen.probe.publish(kitchen.oven_topic(V2, "set"), command)
    await async_wait_until(
        lambda: len([m for m in kitchen.probe.on(topic) if m.json()["request_id"] == "twice"]) == 2,
        what="the second answer",
    )
    answers = [m.json() for m in kitchen.probe.on(topic) if m.json()["request_id"] == "twice"]
    assert answers == [first, first]
    assert len(started_plans(kitchen, V2)) == 1


async def test_a_retained_oven_command_is_refused_and_never_run(kitchen: Stack) -> None:
    kitchen.probe.publish(
        kitchen.oven_topic(V1, "set"),
        {"action": "start", "temperature": 200, "request_id": "kept"},
        retain=True,
    )
    refused = await kitchen.probe.until(
        kitchen.oven_topic(V1, "response"), lambda body: body and body["request_id"] == "kept"
    )
    assert refused.json()["error"]["code"] == "RETAINED_COMMAND_REJECTED"
    assert started_plans(kitchen, V1) == []
    kitchen.probe.publish(kitchen.oven_topic(V1, "set"), b"", retain=True)  # clear it
