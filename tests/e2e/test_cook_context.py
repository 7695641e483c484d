"""A running cook keeps its safety context across bridge restarts, outages and replaces.

Reproduction from the field: chicken breast at 60 °C for 1 h 30; a slider
move to 55 °C is refused; after a bridge restart the same move was accepted
and the state had forgotten the food. Each test drives the bridge over MQTT
against the simulator, as a user would.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bridge.service.app import BridgeService
from tests.e2e.conftest import Stack, running_stack
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.integration

CHICKEN = {"action": "start", "temperature": 60, "duration": "1h30m", "food_type": "chicken breast"}


async def stop_bridge(stack: Stack) -> None:
    """Stop the stack's bridge cleanly, as SIGTERM does."""
    stack.stop.set()
    assert await asyncio.wait_for(stack.runner, 15) == 0


async def restart_bridge(stack: Stack) -> None:
    """Stop the stack's bridge cleanly and start a new one with the same settings."""
    await stop_bridge(stack)
    await start_bridge(stack)


async def start_bridge(stack: Stack) -> None:
    """A new bridge process's worth of service, with the same settings (and data directory)."""
    stack.probe.clear()
    stack.service = BridgeService(stack.service.settings)
    stack.stop = asyncio.Event()
    stack.runner = asyncio.create_task(stack.service.run(stack.stop))
    await async_wait_until(
        lambda: stack.service.ready and all(c.state for c in stack.service.cookers.values()),
        timeout=15,
        what="the restarted bridge sees every cooker",
    )


async def slider(stack: Stack, index: int, value: float, request_id: str) -> Any:
    return await stack.command(
        index, {"action": "set_temperature", "temperature": value, "request_id": request_id}
    )


async def food_on_state(stack: Stack, index: int) -> Any:
    body = await stack.state(index, lambda body: body.get("cook") is not None)
    return body["cook"]["food_type"]


@pytest.mark.parametrize("index", [0, 1], ids=["a7-gen3", "a5-gen2"])
async def test_a_restart_keeps_the_food_and_its_refusals(tmp_path: Path, index: int) -> None:
    async with running_stack(tmp_path) as stack:
        assert (await stack.command(index, {**CHICKEN, "request_id": "go"}))["status"] == "ok"
        refused = await slider(stack, index, 55, "before")
        assert refused["error"]["code"] == "POULTRY_TEMP_UNSAFE", refused

        await restart_bridge(stack)

        assert await food_on_state(stack, index) == "chicken breast"
        again = await slider(stack, index, 55, "after")
        assert again["status"] == "error", again
        assert again["error"]["code"] == "POULTRY_TEMP_UNSAFE"
        assert stack.sim.cookers[index].setpoint_c == 60.0
        fine = await slider(stack, index, 62, "warmer")
        assert fine["status"] == "ok", fine


async def test_the_cooker_going_offline_and_back_keeps_the_context(tmp_path: Path) -> None:
    async with running_stack(tmp_path, anova={"offline_after": 2.0}) as stack:
        assert (await stack.command(0, {**CHICKEN, "request_id": "go"}))["status"] == "ok"
        cooker_id = stack.sim.cookers[0].cooker_id
        stack.probe.clear()
        stack.sim.unplug(cooker_id)
        await stack.state(0, lambda body: body["state"] == "offline")
        stack.probe.clear()
        stack.sim.plug(cooker_id)
        await stack.state(0, lambda body: body["state"] != "offline")

        assert await food_on_state(stack, 0) == "chicken breast"
        refused = await slider(stack, 0, 55, "after-outage")
        assert refused["error"]["code"] == "POULTRY_TEMP_UNSAFE", refused


async def test_a_cook_started_on_the_cooker_while_the_bridge_was_away_gets_no_stale_food(
    tmp_path: Path,
) -> None:
    async with running_stack(tmp_path, cookers=1, types=("a7",)) as stack:
        assert (await stack.command(0, {**CHICKEN, "request_id": "go"}))["status"] == "ok"
        await stop_bridge(stack)
        cooker = stack.sim.cookers[0]
        cooker.stop()
        cooker.start(56.0, "C", 3600)  # a new cook, started on the cooker itself
        await start_bridge(stack)
        assert cooker.cook is not None
        body = await stack.state(0, lambda body: (body.get("cook") or {}).get("id") is not None)
        assert body["cook"]["id"] == cooker.cook.cook_id
        assert body["cook"]["food_type"] is None
        accepted = await slider(stack, 0, 55.5, "not-poultry")
        assert accepted["status"] == "ok", accepted


async def test_replace_and_timer_changes_are_checked_against_the_running_food(
    stack: Stack,
) -> None:
    assert (await stack.command(0, {**CHICKEN, "request_id": "go"}))["status"] == "ok"
    replaced = await stack.command(
        0, {"action": "start", "temperature": 55, "duration": "2h", "replace": True,
            "request_id": "colder"},
    )  # fmt: skip
    assert replaced["error"]["code"] == "POULTRY_TEMP_UNSAFE", replaced
    shorter = await stack.command(
        0, {"action": "set_timer", "duration": "30m", "request_id": "shorter"}
    )
    assert shorter["error"]["code"] == "PASTEURIZATION_TIME_TOO_SHORT", shorter
    assert len(stack.cloud_commands("CMD_APC_START")) == 1
    assert stack.sim.cookers[0].timer_s == 90 * 60


@pytest.mark.parametrize("index", [0, 1], ids=["a7-gen3", "a5-gen2"])
async def test_an_unsafe_change_made_on_the_cooker_itself_is_announced(
    stack: Stack, index: int
) -> None:
    assert (await stack.command(index, {**CHICKEN, "request_id": "go"}))["status"] == "ok"
    await slider(stack, index, 61, "bridge-change")  # the bridge's own change: no event
    stack.sim.cookers[index].set_target(55.0)  # in Anova's app, or by voice through Anova
    await stack.sim.advance(1)
    unsafe = await stack.probe.until(
        stack.topic(index, "event"),
        lambda body: isinstance(body, dict) and body.get("event") == "cook_change_unsafe",
    )
    assert unsafe.json()["code"] == "POULTRY_TEMP_UNSAFE"
    assert "57 °C" in unsafe.json()["message"]
    events = [m.json()["event"] for m in stack.probe.on(stack.topic(index, "event"))]
    assert events.count("cook_change_unsafe") == 1


async def test_the_food_given_in_home_assistant_survives_a_restart(tmp_path: Path) -> None:
    async with running_stack(tmp_path) as stack:
        for field, value in (("food_type", "chicken"), ("target_temperature", "60")):
            stack.probe.publish(stack.topic(0, f"set/{field}"), value)
        await stack.state(0, lambda b: b["food"]["food_type"] == "chicken")
        await stack.state(0, lambda b: b["target_temperature"] == 60)
        stack.probe.publish(stack.topic(0, "set/mode"), "heat")  # the thermostat card
        assert await food_on_state(stack, 0) == "chicken"

        await restart_bridge(stack)

        state = await stack.state(0, lambda b: b.get("cook") is not None)
        assert state["cook"]["food_type"] == "chicken"
        assert state["food"]["category"] == "poultry"
        refused = await slider(stack, 0, 55, "after")
        assert refused["error"]["code"] == "POULTRY_TEMP_UNSAFE", refused
        assert stack.sim.cookers[0].setpoint_c == 60.0
