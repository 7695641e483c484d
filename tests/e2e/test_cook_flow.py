"""A cook from MQTT to the simulated cooker and back, on both state generations."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import BROKERS, BrokerKind, Stack, make_probe, running_stack

pytestmark = [pytest.mark.integration, BROKERS]


def phase(name: str):
    return lambda body: isinstance(body, dict) and body.get("state") == name


def event(name: str):
    return lambda body: isinstance(body, dict) and body.get("event") == name


@pytest.mark.parametrize("index", [0, 1], ids=["a7-gen3", "a5-gen2"])
async def test_start_follow_to_maintaining_then_stop(stack: Stack, index: int) -> None:
    response = await stack.command(
        index,
        {"action": "start", "temperature": 60, "duration": "1h30m", "food_type": "chicken breast",
         "request_id": f"cook-{index}"},
    )  # fmt: skip
    assert response["status"] == "ok", response
    assert response["data"]["target_temperature"] == 60.0
    assert response["data"]["time_minutes"] == 90
    assert response["data"]["cook_id"], "the new cook's id is reported"
    assert response["data"]["estimated_completion"].endswith("Z")
    assert response["warnings"], "25 mm thickness assumption should be stated"
    assert len(stack.cloud_commands("CMD_APC_START")) == 1

    preheating = await stack.state(index, phase("preheating"))
    assert preheating["mode"] == "heat"
    assert preheating["target_temperature"] == 60.0
    assert preheating["cook"]["food_type"] == "chicken breast"
    await stack.probe.until(stack.topic(index, "event"), event("cook_started"))

    await stack.sim.advance(3600)  # heat the bath
    cooking = await stack.state(index, phase("cooking"))
    assert abs(cooking["current_temperature"] - 60.0) <= 0.3
    await stack.probe.until(stack.topic(index, "event"), event("preheat_complete"))

    await stack.sim.advance(90 * 60 + 5)  # run the timer out
    await stack.state(index, phase("maintaining"))
    await stack.probe.until(stack.topic(index, "event"), event("cook_complete"))

    stopped = await stack.command(index, {"action": "stop", "request_id": f"stop-{index}"})
    assert stopped["status"] == "ok", stopped
    idle = await stack.state(index, phase("idle"))
    assert idle["cook"] is None
    await stack.probe.until(stack.topic(index, "event"), event("cook_stopped"))


async def test_idle_setpoint_is_stored_and_used_by_the_next_start(stack: Stack) -> None:
    stack.probe.publish(stack.topic(0, "set/target_temperature"), "58.5")
    stack.probe.publish(stack.topic(0, "set/timer"), "45")
    await stack.state(
        0, lambda b: b and b.get("target_temperature") == 58.5 and b["timer"]["total_s"] == 2700
    )
    assert stack.cloud_commands("CMD_APC_SET_TARGET_TEMP") == []  # no cloud call while idle

    stack.probe.publish(stack.topic(0, "set/mode"), "heat")
    await stack.state(0, phase("preheating"))
    start = stack.cloud_commands("CMD_APC_START")
    assert len(start) == 1
    assert start[0].payload["targetTemperature"] == 58.5
    assert start[0].payload["timer"] == 2700


async def test_changing_the_target_of_a_running_cook_reaches_the_cooker(stack: Stack) -> None:
    await stack.command(0, {"action": "start", "temperature": 60, "request_id": "s"})
    changed = await stack.command(
        0, {"action": "set_temperature", "temperature": 62.5, "request_id": "t"}
    )
    assert changed["status"] == "ok", changed
    assert changed["warnings"] == []
    assert stack.sim.cooker(stack.sim.cookers[0].cooker_id).setpoint_c == 62.5
    await stack.state(0, lambda b: b and b.get("target_temperature") == 62.5)


async def test_fahrenheit_commands_are_converted_once_and_exactly(stack: Stack) -> None:
    response = await stack.command(
        0, {"action": "start", "temperature": 140, "unit": "F", "request_id": "f"}
    )
    assert response["status"] == "ok", response
    assert response["data"] == response["data"] | {"target_temperature": 140.0, "unit": "F"}
    await stack.state(0, lambda b: b and b.get("target_temperature") == 60.0)


async def test_bridge_info_and_discovery_are_published(
    tmp_path: Path, broker_kind: BrokerKind
) -> None:
    async with running_stack(tmp_path, cookers=1, types=("a7",), broker_kind=broker_kind) as stack:
        stack.probe.subscribe("homeassistant/#")
        info = await stack.probe.until("anova/bridge/info", lambda b: b and b.get("devices"))
        device = info.json()["devices"][0]
        assert device["cooker_id"] == stack.sim.cookers[0].cooker_id
        assert device["model"] == "Precision Cooker 3.0"
        config_topic = f"homeassistant/device/{device['cooker_id']}/config"
        await stack.probe.until(config_topic, lambda b: isinstance(b, dict))
        late = make_probe(stack.broker)  # a late subscriber sees only what was retained
        late.subscribe(config_topic)
        config = await late.until(config_topic, lambda b: isinstance(b, dict))
        late.close()
        assert config.retain
        assert "climate" in {c["platform"] for c in config.json()["components"].values()}
        assert (await stack.probe.until("anova/bridge/availability")).payload == b"online"
