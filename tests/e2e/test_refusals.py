"""Every command error code a user can reach over MQTT, answered on the response topic."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import Stack, running_stack
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.integration

INPUT_CASES = [
    ("x" * (64 * 1024 + 1), "PAYLOAD_TOO_LARGE"),
    (b"\xff\xfe\x00garbage", "INVALID_PAYLOAD"),
    ("{not json", "INVALID_PAYLOAD"),
    ("[1, 2, 3]", "INVALID_PAYLOAD"),
    ('{"action": "start", "temperature": NaN}', "INVALID_FIELD"),
    ('{"action": "explode"}', "UNKNOWN_ACTION"),
    ('{"action": "start", "temperature": 60, "colour": "red"}', "INVALID_FIELD"),
    ('{"action": "start", "temperature": "hot"}', "INVALID_FIELD"),
    ('{"action": "start"}', "MISSING_FIELD"),
    ('{"action": "start", "temperature": 100}', "TEMPERATURE_TOO_HIGH"),
    ('{"action": "start", "temperature": 35, "time_minutes": 60}', "TEMPERATURE_TOO_LOW"),
    ('{"action": "start", "temperature": 60, "duration": "120h"}', "TIME_TOO_LONG"),
    ('{"action": "start", "temperature": 60, "duration": "30s"}', "TIME_TOO_SHORT"),
    ('{"action": "start", "temperature": 55, "duration": "2h", "food_type": "chicken breast"}',
     "POULTRY_TEMP_UNSAFE"),
    ('{"action": "start", "temperature": 54, "duration": "3h", "food_type": "ground beef"}',
     "GROUND_MEAT_TEMP_UNSAFE"),
    ('{"action": "start", "temperature": 50, "food_type": "salmon"}', "LOW_TEMP_TIME_UNSAFE"),
    ('{"action": "start", "temperature": 60, "duration": "45m", "food_type": "chicken breast",'
     ' "thickness_mm": 25}', "PASTEURIZATION_TIME_TOO_SHORT"),
    ('{"action": "stop"}', "NO_ACTIVE_COOK"),
]  # fmt: skip


@pytest.mark.parametrize(("payload", "code"), INPUT_CASES, ids=[c for _, c in INPUT_CASES])
async def test_refused_commands_get_their_code_and_never_reach_the_cloud(
    stack: Stack, payload: str | bytes, code: str
) -> None:
    response = await stack.command(0, payload)
    assert response["status"] == "error"
    assert response["error"]["code"] == code
    assert response["error"]["message"].endswith(".") or len(response["error"]["message"]) > 20
    assert [c for c in stack.sim.received_commands if c.command != "CMD_APC_STOP"] == []


async def test_danger_zone_message_says_why(stack: Stack) -> None:
    response = await stack.command(
        0, {"action": "start", "temperature": 35, "time_minutes": 60, "request_id": "dz"}
    )
    assert response["error"]["code"] == "TEMPERATURE_TOO_LOW"
    assert "danger zone" in response["error"]["message"]
    assert response["request_id"] == "dz"


async def test_retained_command_is_refused_and_never_replayed(stack: Stack) -> None:
    response = await stack.command(
        0, {"action": "start", "temperature": 60, "request_id": "r1"}, retain=True
    )
    assert response["error"]["code"] == "RETAINED_COMMAND_REJECTED"
    assert stack.cloud_commands("CMD_APC_START") == []
    stack.probe.publish(stack.topic(0, "set"), b"", retain=True)  # clear it from the broker


async def test_unknown_device_is_named_in_the_error(stack: Stack) -> None:
    stack.probe.publish("anova/no_such_cooker/set", {"action": "stop", "request_id": "u"})
    msg = await stack.probe.until("anova/no_such_cooker/response")
    assert msg.json()["error"]["code"] == "UNKNOWN_DEVICE"


async def test_busy_cooker_refuses_a_second_start_unless_replace(stack: Stack) -> None:
    assert (await stack.command(0, {"action": "start", "temperature": 60, "request_id": "a"}))[
        "status"
    ] == "ok"
    busy = await stack.command(0, {"action": "start", "temperature": 65, "request_id": "b"})
    assert busy["error"]["code"] == "DEVICE_BUSY"
    replaced = await stack.command(
        0, {"action": "start", "temperature": 65, "replace": True, "request_id": "c"}
    )
    assert replaced["status"] == "ok", replaced
    assert len(stack.cloud_commands("CMD_APC_START")) == 2


async def test_offline_cooker_is_refused_with_device_offline(tmp_path: Path) -> None:
    async with running_stack(tmp_path, anova={"offline_after": 1.0}) as stack:
        stack.probe.clear()
        stack.sim.unplug(stack.sim.cookers[0].cooker_id)
        await stack.state(0, lambda b: b and b.get("state") == "offline")
        response = await stack.command(0, {"action": "start", "temperature": 60, "request_id": "o"})
        assert response["status"] == "error", response
        assert response["error"]["code"] == "DEVICE_OFFLINE"
        await stack.probe.until(stack.topic(0, "availability"), lambda _b: True)
        last = stack.probe.last(stack.topic(0, "availability"))
        assert last is not None
        assert last.payload == b"offline"


async def test_cloud_rejection_is_reported_with_the_server_text(stack: Stack) -> None:
    stack.sim.faults.reject_all = "failed to process command"
    response = await stack.command(0, {"action": "start", "temperature": 60, "request_id": "rj"})
    assert response["error"]["code"] == "ANOVA_REJECTED"
    assert "failed to process command" in response["error"]["message"]


async def test_cloud_timeout_is_reported_as_anova_timeout(stack: Stack) -> None:
    stack.sim.faults.response_delay = 4.0  # command_timeout is 3 s in these tests
    response = await stack.command(0, {"action": "start", "temperature": 60, "request_id": "to"})
    assert response["error"]["code"] == "ANOVA_TIMEOUT"


async def test_cloud_down_is_reported_as_anova_unavailable(stack: Stack) -> None:
    await stack.sim.stop()
    await async_wait_until(lambda: not stack.service.client.connected, timeout=10, what="link down")
    response = await stack.command(0, {"action": "start", "temperature": 60, "request_id": "down"})
    assert response["error"]["code"] in {"ANOVA_UNAVAILABLE", "DEVICE_OFFLINE"}
    await stack.sim.start()


async def test_flood_is_rate_limited_and_the_cloud_sees_at_most_the_burst(stack: Stack) -> None:
    topic = stack.topic(0, "set")
    for n in range(30):
        stack.probe.publish(
            topic, {"action": "set_timer", "time_minutes": 10 + n, "request_id": f"f{n}"}
        )
    responses = await async_wait_until(
        lambda: (
            stack.probe.on(stack.topic(0, "response"))
            if len(stack.probe.on(stack.topic(0, "response"))) >= 30
            else None
        ),
        timeout=30,
        what="30 responses",
    )
    codes = [m.json().get("error", {}).get("code") for m in responses]
    assert codes.count("RATE_LIMITED") >= 15
    assert codes.count(None) <= 11


async def test_thermostat_off_on_an_idle_cooker_is_fine_but_a_json_stop_is_told(
    stack: Stack,
) -> None:
    stack.probe.publish(stack.topic(0, "set/mode"), "off")
    answer = await stack.probe.until(stack.topic(0, "response"))
    assert answer.json()["status"] == "ok"
    assert "not cooking" in answer.json()["warnings"][0]
    strict = await stack.command(0, {"action": "stop", "request_id": "explicit"})
    assert strict["error"]["code"] == "NO_ACTIVE_COOK"
    assert stack.cloud_commands("CMD_APC_STOP") == []
