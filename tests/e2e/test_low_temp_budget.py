"""Rule 3's 4 hours below 54.4 °C are time in the water, counted by the cooker's own clock.

Reproduction from the field: salmon at 50 °C with a 45-minute timer was
accepted, and after the timer the cooker held the bath at 50 °C for ever; a
new 3 h timer after 2 h of a 3 h cook was accepted too. The simulator's
clock is moved forward (``sim.advance``), never waited for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Stack, running_stack
from tests.e2e.fresh import next_on, seen

pytestmark = pytest.mark.integration

SALMON = {"action": "start", "temperature": 50, "food_type": "salmon"}
HOUR = 3600


def event(name: str) -> Any:
    return lambda body: isinstance(body, dict) and body.get("event") == name


def events_named(stack: Stack, index: int, name: str) -> list[Any]:
    return [m.json() for m in stack.probe.on(stack.topic(index, "event")) if event(name)(m.json())]


@pytest.mark.parametrize("index", [0, 1], ids=["a7-gen3", "a5-gen2"])
async def test_a_cook_left_in_the_bath_is_warned_then_stopped_at_four_hours(
    stack: Stack, index: int
) -> None:
    go = await stack.command(index, {**SALMON, "duration": "45m", "request_id": "salmon"})
    assert go["status"] == "ok", go

    states = seen(stack, index, "state")
    await stack.sim.advance(3 * HOUR)  # the 45 min timer ran out long ago: maintaining
    await next_on(stack, index, "state", states, lambda body: body["state"] == "maintaining")
    assert events_named(stack, index, "low_temp_budget_ending") == []

    await stack.sim.advance(40 * 60)  # 3 h 40 in the water
    ending = await stack.probe.until(stack.topic(index, "event"), event("low_temp_budget_ending"))
    assert ending.json()["rule"] == 3
    assert ending.json()["code"] == "LOW_TEMP_TIME_UNSAFE"
    assert 3 * HOUR + 30 * 60 <= ending.json()["in_water_s"] < 4 * HOUR
    assert stack.cloud_commands("CMD_APC_STOP") == []

    states = seen(stack, index, "state")
    await stack.sim.advance(25 * 60)  # 4 h 05
    spent = await stack.probe.until(stack.topic(index, "event"), event("low_temp_budget_spent"))
    assert spent.json()["action"] == "stopped"
    assert "rule 3" in spent.json()["message"]
    assert spent.json()["in_water_s"] >= 4 * HOUR
    await next_on(stack, index, "state", states, lambda body: body["cook"] is None)
    assert len(stack.cloud_commands("CMD_APC_STOP")) == 1
    await stack.probe.until(stack.topic(index, "event"), event("cook_stopped"))
    assert len(events_named(stack, index, "low_temp_budget_ending")) == 1
    assert len(events_named(stack, index, "low_temp_budget_spent")) == 1


async def test_under_warn_the_end_of_the_budget_is_an_event_only(tmp_path: Path) -> None:
    async with running_stack(
        tmp_path, cookers=1, types=("a7",), safety={"policy": "warn"}
    ) as stack:
        go = await stack.command(0, {**SALMON, "duration": "45m", "request_id": "salmon"})
        assert go["status"] == "ok", go
        await stack.sim.advance(4 * HOUR + 60)
        spent = await stack.probe.until(stack.topic(0, "event"), event("low_temp_budget_spent"))
        assert spent.json()["action"] == "none"
        assert "safety.policy is warn" in spent.json()["message"]
        await stack.sim.advance(10 * 60)
        last = stack.probe.last(stack.topic(0, "state"))
        assert last is not None
        assert last.json()["state"] == "maintaining"
        assert stack.cloud_commands("CMD_APC_STOP") == []
        assert stack.sim.cookers[0].cooking


@pytest.mark.parametrize("index", [0, 1], ids=["a7-gen3", "a5-gen2"])
async def test_a_timer_change_cannot_stretch_the_four_hours(stack: Stack, index: int) -> None:
    go = await stack.command(index, {**SALMON, "duration": "3h", "request_id": "salmon"})
    assert go["status"] == "ok", go
    states = seen(stack, index, "state")
    await stack.sim.advance(2 * HOUR)
    await next_on(stack, index, "state", states, lambda body: body["state"] == "cooking")

    longer = await stack.command(
        index, {"action": "set_timer", "duration": "3h", "request_id": "x"}
    )
    assert longer["status"] == "error", longer
    assert longer["error"]["code"] == "LOW_TEMP_TIME_UNSAFE"
    assert "in the water" in longer["error"]["message"]
    assert stack.cloud_commands("CMD_APC_SET_TIMER") == []

    shorter = await stack.command(
        index, {"action": "set_timer", "duration": "1h", "request_id": "y"}
    )
    assert shorter["status"] == "ok", shorter
    assert stack.sim.cookers[index].timer_s == HOUR
