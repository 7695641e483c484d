"""The next cook's food through the shortcut topics Home Assistant uses, end to end.

Each step is what a Home Assistant user does: type the food, move the
thermostat, switch it to heat. Home Assistant reads events, not responses,
so every refusal and warning must also arrive on the event topic.
"""

from __future__ import annotations

from typing import Any

import pytest

from bridge.safety.checks import NO_FOOD_WARNING
from tests.e2e.conftest import Stack
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.integration


async def shortcut(stack: Stack, field: str, value: str) -> tuple[Any, list[Any]]:
    """Publish a shortcut; return its answer and the events published before it."""
    responses, events = stack.topic(0, "response"), stack.topic(0, "event")
    before, events_before = len(stack.probe.on(responses)), len(stack.probe.on(events))
    stack.probe.publish(stack.topic(0, f"set/{field}"), value)

    def answered() -> Any:
        seen = stack.probe.on(responses)[before:]
        return seen[0].json() if seen else None

    answer = await async_wait_until(answered, timeout=30, what=f"the answer to set/{field}")
    # The event is published before the response, on the same connection.
    return answer, [m.json() for m in stack.probe.on(events)[events_before:]]


def of(events: list[Any], name: str) -> list[Any]:
    return [e for e in events if e["event"] == name]


async def test_chicken_from_the_shortcuts_is_held_to_the_poultry_rules(stack: Stack) -> None:
    answer, _ = await shortcut(stack, "food_type", "chicken")
    assert answer["data"] == {
        "food_type": "chicken", "category": "poultry", "thickness_mm": None, "stored": True
    }  # fmt: skip
    await shortcut(stack, "thickness_mm", "30")
    await stack.state(0, lambda b: b and b["food"] == {
        "food_type": "chicken", "category": "poultry", "thickness_mm": 30.0})  # fmt: skip

    await shortcut(stack, "target_temperature", "55")
    refused, events = await shortcut(stack, "mode", "heat")
    assert refused["error"]["code"] == "POULTRY_TEMP_UNSAFE"
    (event,) = of(events, "command_refused")
    assert event["code"] == "POULTRY_TEMP_UNSAFE"
    assert event["message"] == refused["error"]["message"]
    assert (event["action"], event["field"]) == ("start", "temperature")
    assert stack.cloud_commands("CMD_APC_START") == []

    await shortcut(stack, "target_temperature", "60")
    started, events = await shortcut(stack, "mode", "heat")
    assert started["status"] == "ok", started
    assert any("No timer" in w for w in started["warnings"])  # rule 7 names the minimum
    assert of(events, "command_warnings")[0]["warnings"] == started["warnings"]
    await stack.state(0, lambda b: b and b["cook"] and b["cook"]["food_type"] == "chicken")

    slider, events = await shortcut(stack, "target_temperature", "55")
    assert slider["error"]["code"] == "POULTRY_TEMP_UNSAFE"
    assert of(events, "command_refused")[0]["code"] == "POULTRY_TEMP_UNSAFE"
    assert stack.sim.cooker(stack.sim.cookers[0].cooker_id).setpoint_c == 60.0

    busy, events = await shortcut(stack, "food_type", "carrots")
    assert busy["error"]["code"] == "DEVICE_BUSY"
    assert of(events, "command_refused")[0]["field"] == "food_type"

    await shortcut(stack, "mode", "off")
    state = await stack.state(0, lambda b: b and b["mode"] == "off")
    assert state["food"] == {"food_type": None, "category": None, "thickness_mm": None}


async def test_a_start_from_the_shortcuts_without_a_food_says_only_rules_1_to_3_applied(
    stack: Stack,
) -> None:
    await shortcut(stack, "target_temperature", "60")
    started, events = await shortcut(stack, "start", "")
    assert started["status"] == "ok", started
    assert NO_FOOD_WARNING in started["warnings"]
    assert NO_FOOD_WARNING in of(events, "command_warnings")[0]["warnings"]


async def test_a_json_start_naming_its_own_food_ignores_the_stored_one(stack: Stack) -> None:
    await shortcut(stack, "food_type", "ground beef")
    started = await stack.command(
        0, {"action": "start", "temperature": 57, "food_type": "ribeye", "request_id": "r"}
    )
    assert started["status"] == "ok", started
    state = await stack.state(0, lambda b: b and b["cook"] and b["cook"]["food_type"])
    assert state["food"]["food_type"] == "ribeye"
    assert state["food"]["category"] == "whole_meat"


async def test_a_food_given_never_outlives_a_cook_started_on_the_cooker(stack: Stack) -> None:
    await shortcut(stack, "food_type", "chicken")
    await stack.state(0, lambda b: b and b["food"]["food_type"] == "chicken")
    cooker_id = stack.sim.cookers[0].cooker_id
    stack.sim.cooker(cooker_id).start(60.0, "C", 0)  # pressed on the cooker itself
    stack.sim.plug(cooker_id)  # pushes its state now
    cooking = await stack.state(0, lambda b: b and b["mode"] == "heat")
    assert cooking["food"]["food_type"] is None  # the bridge cannot know this cook's food

    # The chicken was for that cook: a later start naming no food does not inherit it.
    replaced = await stack.command(
        0, {"action": "start", "temperature": 56, "time_minutes": 60, "replace": True,
            "request_id": "again"},
    )  # fmt: skip
    assert replaced["status"] == "ok", replaced
    assert NO_FOOD_WARNING in replaced["warnings"]

    await shortcut(stack, "mode", "off")
    idle = await stack.state(0, lambda b: b and b["mode"] == "off")
    assert idle["food"] == {"food_type": None, "category": None, "thickness_mm": None}
