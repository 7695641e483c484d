"""Exactly-once execution, MQTT 5 replies and slider coalescing, through the real broker."""

from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import Stack
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.integration


async def test_a_repeated_request_id_is_answered_twice_but_executed_once(stack: Stack) -> None:
    command = {"action": "start", "temperature": 60, "request_id": "dup-1"}
    first = await stack.command(0, command)
    stack.probe.publish(stack.topic(0, "set"), command)
    answers = await async_wait_until(
        lambda: [
            m
            for m in stack.probe.on(stack.topic(0, "response"))
            if m.json()["request_id"] == "dup-1"
        ][1:],
        timeout=10,
        what="second answer",
    )
    assert answers[0].json() == first
    assert len(stack.cloud_commands("CMD_APC_START")) == 1


async def test_repeat_arriving_while_the_first_still_runs_waits_for_it(stack: Stack) -> None:
    stack.sim.faults.response_delay = 1.0
    command = {"action": "start", "temperature": 60, "request_id": "dup-2"}
    stack.probe.publish(stack.topic(0, "set"), command)
    stack.probe.publish(stack.topic(0, "set"), command)
    answers = await async_wait_until(
        lambda: [m.json() for m in stack.probe.on(stack.topic(0, "response"))][1:] or None,
        timeout=15,
        what="two answers",
    )
    both = [m.json() for m in stack.probe.on(stack.topic(0, "response"))]
    assert answers
    assert both[0] == both[1]
    assert both[0]["status"] == "ok"
    assert len(stack.cloud_commands("CMD_APC_START")) == 1


async def test_mqtt5_response_topic_gets_the_answer_with_its_correlation_data(stack: Stack) -> None:
    stack.probe.subscribe("reply/me")
    stack.probe.publish_with_response_topic(
        stack.topic(0, "set"),
        json.dumps({"action": "stop", "request_id": "corr"}),
        "reply/me",
        b"\x01corr-42",
    )
    reply = await stack.probe.until("reply/me")
    assert reply.json()["request_id"] == "corr"
    assert reply.json()["error"]["code"] == "NO_ACTIVE_COOK"
    assert reply.properties.CorrelationData == b"\x01corr-42"


async def test_slider_burst_reaches_the_cooker_as_its_last_value(stack: Stack) -> None:
    await stack.command(0, {"action": "start", "temperature": 60, "request_id": "s"})
    stack.sim.faults.response_delay = 0.5  # keep the lane busy so the burst queues up
    for tenth in range(600, 640, 2):
        stack.probe.publish(stack.topic(0, "set/target_temperature"), f"{tenth / 10:.1f}")
    await stack.state(0, lambda b: b and b.get("target_temperature") == 63.8, timeout=30)
    sent = [c.payload["targetTemperature"] for c in stack.cloud_commands("CMD_APC_SET_TARGET_TEMP")]
    assert sent[-1] == 63.8
    assert len(sent) < 20, f"slider burst was not coalesced: {sent}"
    assert not [
        m for m in stack.probe.on(stack.topic(0, "response")) if "RATE_LIMITED" in str(m.payload)
    ]


async def test_a_burst_of_commands_gets_every_one_of_its_responses(stack: Stack) -> None:
    topic = stack.topic(0, "set")
    burst = 3000
    for n in range(burst):
        stack.probe.client.publish(topic, f'{{"action":"explode","request_id":"b{n}"}}', qos=1)
    responses = await async_wait_until(
        lambda: (
            stack.probe.on(stack.topic(0, "response"))
            if len(stack.probe.on(stack.topic(0, "response"))) >= burst
            else None
        ),
        timeout=60,
        what=f"{burst} responses",
    )
    ids = {m.json()["request_id"] for m in responses}
    assert ids == {f"b{n}" for n in range(burst)}
    assert stack.service.mqtt.stats.dropped == 0
