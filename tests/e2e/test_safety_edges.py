"""Safety at the edges, through MQTT: idle setpoints, replacing a cook, starts without a food."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bridge.safety.checks import NO_FOOD_WARNING
from tests.e2e.conftest import Stack, running_stack
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.integration


async def shortcut(stack: Stack, field: str, value: str) -> Any:
    """Publish a shortcut and return its answer (shortcuts carry no request_id)."""
    topic = stack.topic(0, "response")
    before = len(stack.probe.on(topic))
    stack.probe.publish(stack.topic(0, f"set/{field}"), value)

    def answered() -> Any:
        seen = stack.probe.on(topic)[before:]
        return seen[0].json() if seen else None

    return await async_wait_until(answered, timeout=30, what=f"the answer to set/{field}")


async def test_an_idle_setpoint_in_the_danger_zone_is_refused_and_not_stored(
    stack: Stack,
) -> None:
    stack.probe.publish(stack.topic(0, "set/target_temperature"), "58.5")
    await stack.state(0, lambda b: b and b.get("target_temperature") == 58.5)

    answer = await shortcut(stack, "target_temperature", "30")
    assert answer["error"]["code"] == "TEMPERATURE_TOO_LOW"
    assert "danger zone" in answer["error"]["message"]
    # The state is published before the answer: none showed 30 °C.
    states = [m.json() for m in stack.probe.on(stack.topic(0, "state"))]
    assert states[-1]["target_temperature"] == 58.5
    assert all(s["target_temperature"] != 30.0 for s in states)

    # 45 °C is kept: a start with a timer of at most 4 h can use it.
    stored = await stack.command(
        0, {"action": "set_temperature", "temperature": 45, "request_id": "s45"}
    )
    assert stored["status"] == "ok"
    assert stored["data"]["stored"] is True


async def test_a_replacing_start_is_not_confirmed_by_the_old_cook(tmp_path: Path) -> None:
    """The cooker loses the replacing start; its next state, the old cook's, must not confirm it."""
    async with running_stack(
        tmp_path, cookers=1, types=("a7",), anova={"confirm_timeout": 3.0}
    ) as stack:
        first = await stack.command(
            0, {"action": "start", "temperature": 60, "time_minutes": 90, "request_id": "a"}
        )
        assert first["status"] == "ok", first
        assert first["warnings"] == [NO_FOOD_WARNING]
        cooker_id = stack.sim.cookers[0].cooker_id
        cook = stack.sim.cooker(cooker_id).cook
        assert cook is not None
        old_id = cook.cook_id
        stack.sim.unplug(cooker_id)  # acknowledged but lost, as a cooker off Wi-Fi does

        stack.probe.publish(
            stack.topic(0, "set"),
            {"action": "start", "temperature": 60, "time_minutes": 90, "replace": True,
             "request_id": "b"},
        )  # fmt: skip
        await async_wait_until(
            lambda: len(stack.cloud_commands("CMD_APC_START")) == 2, timeout=10, what="the start"
        )
        stack.sim.plug(cooker_id)  # heard again: it pushes the old cook at once
        again = await stack.command(0, {"action": "stop", "request_id": "c"})  # after "b"
        replaced = next(
            m.json()
            for m in stack.probe.on(stack.topic(0, "response"))
            if m.json().get("request_id") == "b"
        )
        assert again["status"] == "ok"
        assert stack.sim.cooker(cooker_id).last_cook_id == old_id  # never replaced
        assert replaced["status"] == "ok"
        assert any("did not show it applied" in w for w in replaced["warnings"]), replaced


async def test_a_start_without_a_food_says_the_food_rules_were_skipped(stack: Stack) -> None:
    answer = await stack.command(
        0, {"action": "start", "temperature": 60, "time_minutes": 60, "request_id": "nf"}
    )
    assert answer["status"] == "ok", answer
    assert any("food rules" in w and "(1–3)" in w for w in answer["warnings"])


@pytest.mark.parametrize(
    ("cooker_type", "under_way_s"),
    [("a7", 600), ("a5", 600), ("a3", 600), ("a3", 3600)],  # a3: preheating, then cooking
)
async def test_a_real_replace_at_the_same_target_is_confirmed_on_every_generation(
    tmp_path: Path, cooker_type: str, under_way_s: int
) -> None:
    """Gen 3 and gen 2 name the new cook; the a3 shows its timer and preheat start again."""
    async with running_stack(
        tmp_path, cookers=1, types=(cooker_type,), anova={"confirm_timeout": 3.0}
    ) as stack:
        first = await stack.command(
            0, {"action": "start", "temperature": 60, "time_minutes": 90, "request_id": "a"}
        )
        assert first["status"] == "ok", first
        await stack.sim.advance(under_way_s)  # the old cook is well under way
        again = await stack.command(
            0,
            {"action": "start", "temperature": 60, "time_minutes": 90, "replace": True,
             "request_id": "b"},
        )  # fmt: skip
        assert again["status"] == "ok", again
        assert not any("did not show it applied" in w for w in again["warnings"]), again
