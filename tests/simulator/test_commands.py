"""Command answers: the ok envelope, the error strings, the limits and the two traps."""

from __future__ import annotations

import json

import pytest

from bridge.simulator import CloudSimulator
from tests.simulator.conftest import CloudClient, start_payload

INVALID = {"status": "error", "error": "invalid command"}


async def test_start_is_acknowledged_recorded_and_pushed(
    sim: CloudSimulator, client: CloudClient
) -> None:
    a7 = sim.cookers[0]
    rid = await client.send("CMD_APC_START", start_payload(a7, 57.5, timer=3600))
    assert await client.response(rid) == {"status": "ok"}
    state = await client.wait_state(a7.cooker_id, lambda s: s["state"]["mode"] == "cook")
    assert state["state"]["processedCommandIds"] == [rid]
    assert state["nodes"]["waterTemperatureSensor"]["setpoint"]["celsius"] == 57.5
    [received] = sim.received_commands
    assert (received.command, received.request_id, received.connection) == ("CMD_APC_START", rid, 1)
    assert received.payload["targetTemperature"] == 57.5
    assert received.applied


@pytest.mark.parametrize("wrong_type", ["a5", "A7", None, ""])
async def test_type_trap_answers_ok_and_changes_nothing(
    sim: CloudSimulator, client: CloudClient, wrong_type: str | None
) -> None:
    a7 = sim.cookers[0]
    payload = start_payload(a7)
    if wrong_type is None:
        del payload["type"]
    else:
        payload["type"] = wrong_type
    pushes_before = len(client.states(a7.cooker_id))
    assert await client.command("CMD_APC_START", payload) == {"status": "ok"}
    await sim.advance(60)
    assert a7.phase == "idle"
    assert all(s["state"]["mode"] == "idle" for s in client.states(a7.cooker_id)[pushes_before:])
    assert not sim.received_commands[-1].applied


async def test_target_temperature_sent_to_an_idle_cooker_is_acknowledged_and_ignored(
    sim: CloudSimulator, client: CloudClient
) -> None:
    a5 = sim.cookers[1]
    payload = {"cookerId": a5.cooker_id, "type": "a5", "targetTemperature": 70, "unit": "C"}
    assert await client.command("CMD_APC_SET_TARGET_TEMP", payload) == {"status": "ok"}
    assert a5.setpoint_c == 60.0
    await client.command("CMD_APC_START", start_payload(a5, 50.0))
    assert await client.command("CMD_APC_SET_TARGET_TEMP", payload) == {"status": "ok"}
    state = await client.wait_state(a5.cooker_id, lambda s: s["job"]["target-temperature"] == 70)
    assert state["job-status"]["state"] == "PREHEATING"


async def test_timer_and_unit_can_be_set_while_idle(
    sim: CloudSimulator, client: CloudClient
) -> None:
    a7 = sim.cookers[0]
    ident = {"cookerId": a7.cooker_id, "type": "a7"}
    await client.command("CMD_APC_SET_TIMER", {**ident, "timer": 5400})
    await client.command("CMD_APC_SET_TEMPERATURE_UNIT", {**ident, "unit": "F"})
    state = await client.wait_state(a7.cooker_id, lambda s: s["state"]["temperatureUnit"] == "F")
    assert state["nodes"]["timer"] == {"mode": "idle", "initial": 5400}
    assert state["state"]["mode"] == "idle"


@pytest.mark.parametrize(
    "case",
    [
        (0, "C", 0, True),
        (99.5, "C", 359_940, True),
        (99.6, "C", 0, False),
        (-0.1, "C", 0, False),
        (32, "F", 0, True),
        (211.5, "F", 0, True),
        (31.9, "F", 0, False),
        (211.6, "F", 0, False),
        (60, "C", 359_941, False),
        (60, "C", -1, False),
        (60, "C", 1.5, False),
        (60, "K", 0, False),
        ("60", "C", 0, False),
        (True, "C", 0, False),
    ],
)
async def test_cloud_limits_on_start(
    sim: CloudSimulator, client: CloudClient, case: tuple[object, str, object, bool]
) -> None:
    target, unit, timer, accepted = case
    a7 = sim.cookers[0]
    payload = {**start_payload(a7), "targetTemperature": target, "unit": unit, "timer": timer}
    answer = await client.command("CMD_APC_START", payload)
    assert answer == ({"status": "ok"} if accepted else INVALID)
    assert a7.cooking is accepted


@pytest.mark.parametrize(
    "payload",
    [
        {"type": "a7", "targetTemperature": 60, "unit": "C", "timer": 0},
        {
            "cookerId": "no-such-cooker",
            "type": "a7",
            "targetTemperature": 60,
            "unit": "C",
            "timer": 0,
        },
        {"cookerId": ["not", "a", "string"], "type": "a7"},
        "not an object",
        None,
    ],
)
async def test_missing_or_unknown_cooker_is_an_invalid_command(
    client: CloudClient, payload: object
) -> None:
    assert await client.command("CMD_APC_START", payload) == INVALID


async def test_missing_fields_are_invalid_but_extra_fields_are_tolerated(
    sim: CloudSimulator, client: CloudClient
) -> None:
    a7 = sim.cookers[0]
    without_timer = {k: v for k, v in start_payload(a7).items() if k != "timer"}
    assert await client.command("CMD_APC_START", without_timer) == INVALID
    extra = {**start_payload(a7), "recipe": "eggs", "futureField": {"x": 1}}
    assert await client.command("CMD_APC_START", extra) == {"status": "ok"}


async def test_unknown_command_name(sim: CloudSimulator, client: CloudClient) -> None:
    answer = await client.command("CMD_APC_SELF_DESTRUCT", {"cookerId": sim.cookers[0].cooker_id})
    assert answer == {"status": "error", "error": "Unknown command type"}
    assert sim.received_commands[-1].error == "Unknown command type"


@pytest.mark.parametrize(
    "frame", ["not json at all", "[1, 2, 3]", '{"command": "CMD_APC_STOP"}', b"\x00\xff binary"]
)
async def test_garbage_frames_get_invalid_command_with_null_request_id(
    sim: CloudSimulator, client: CloudClient, frame: str | bytes
) -> None:
    await client.ws.send(frame)
    assert await client.response(None) == INVALID
    # The server is still there and still answers properly.
    answer = await client.command(
        "CMD_APC_STOP", {"cookerId": sim.cookers[0].cooker_id, "type": "a7"}
    )
    assert answer == {"status": "ok"}


async def test_response_echoes_the_request_id_even_for_errors(client: CloudClient) -> None:
    await client.ws.send(json.dumps({"command": 42, "requestId": "rid-7", "payload": {}}))
    assert await client.response("rid-7") == INVALID
