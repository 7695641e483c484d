"""Switchable cloud misbehaviour, as a client on the socket experiences it."""

from __future__ import annotations

import asyncio
import time

import pytest

from bridge.simulator import CloudSimulator
from tests.simulator.conftest import CloudClient, open_client, start_payload
from tests.support.waiting import async_wait_until


def stop_payload(sim: CloudSimulator) -> dict[str, str]:
    return {"cookerId": sim.cookers[0].cooker_id, "type": "a7"}


async def test_close_after_command_hangs_up_with_no_status_1005(
    sim: CloudSimulator, client: CloudClient
) -> None:
    sim.faults.close_after_command = True
    assert await client.command("CMD_APC_START", start_payload(sim.cookers[0])) == {"status": "ok"}
    code, reason = await client.wait_closed()
    # An empty close frame: websockets reports 1005 and treats it as a clean close.
    assert (code, reason) == (1005, "")
    # The command took effect even though the socket went away.
    assert sim.cookers[0].cooking
    async with open_client(sim) as again:
        assert again.states(sim.cookers[0].cooker_id)[-1]["state"]["mode"] == "cook"


async def test_too_many_commands_a_minute_get_the_socket_closed(
    sim: CloudSimulator, client: CloudClient
) -> None:
    sim.faults.rate_limit_per_minute = 3
    for _ in range(3):
        assert await client.command("CMD_APC_STOP", stop_payload(sim)) == {"status": "ok"}
    rid = await client.send("CMD_APC_STOP", stop_payload(sim))
    code, reason = await client.wait_closed()
    assert (code, reason) == (1008, "rate limit exceeded")
    assert all(f.get("requestId") != rid for f in client.frames)
    # The limit is per connection: a new socket starts with a clean slate.
    async with open_client(sim) as fresh:
        assert await fresh.command("CMD_APC_STOP", stop_payload(sim)) == {"status": "ok"}


async def test_reject_all_answers_every_command_with_the_error_text(
    sim: CloudSimulator, client: CloudClient
) -> None:
    sim.faults.reject_all = "failed to process command"
    answer = await client.command("CMD_APC_START", start_payload(sim.cookers[0]))
    assert answer == {"status": "error", "error": "failed to process command"}
    assert not sim.cookers[0].cooking
    sim.faults.reject_all = None
    assert await client.command("CMD_APC_START", start_payload(sim.cookers[0])) == {"status": "ok"}


async def test_response_delay_makes_the_answer_late_but_not_the_cook(
    sim: CloudSimulator, client: CloudClient
) -> None:
    sim.faults.response_delay = 0.5
    a7 = sim.cookers[0]
    sent = time.monotonic()
    rid = await client.send("CMD_APC_START", start_payload(a7))
    await client.wait_state(a7.cooker_id, lambda s: s["state"]["mode"] == "cook")
    assert not any(f.get("requestId") == rid for f in client.frames)
    assert await client.response(rid) == {"status": "ok"}
    assert time.monotonic() - sent >= 0.5


async def test_silent_cloud_accepts_sockets_but_says_nothing(sim: CloudSimulator) -> None:
    sim.faults.silent = True
    async with open_client(sim, expect=0) as client:
        rid = await client.send("CMD_APC_START", start_payload(sim.cookers[0]))
        await (await client.ws.ping())  # the socket itself is alive: pings are answered
        await async_wait_until(lambda: sim.frames_received == 1, what="START read and dropped")
        await sim.advance(60)
        assert client.frames == []
        assert not sim.cookers[0].cooking
        sim.faults.silent = False
        assert await client.command("CMD_APC_STOP", stop_payload(sim)) == {"status": "ok"}
        assert all(f.get("requestId") != rid for f in client.frames)


async def test_unplugged_cooker_is_silent_and_deaf_until_plugged_in(
    sim: CloudSimulator, client: CloudClient
) -> None:
    a7, a5 = sim.cookers
    sim.unplug(a7.cooker_id)
    pushes = len(client.states(a7.cooker_id))
    assert await client.command("CMD_APC_START", start_payload(a7)) == {"status": "ok"}
    await client.command("CMD_APC_START", start_payload(a5))
    await sim.advance(120)
    assert len(client.states(a7.cooker_id)) == pushes
    assert not a7.cooking
    async with open_client(sim, expect=2) as late:
        assert [f["command"] for f in late.frames[:2]] == ["EVENT_APC_WIFI_LIST", "EVENT_APC_STATE"]
        assert len(late.frames[0]["payload"]) == 2  # still paired, still listed
        assert late.frames[1]["payload"]["cookerId"] == a5.cooker_id
    sim.plug(a7.cooker_id)
    await async_wait_until(lambda: len(client.states(a7.cooker_id)) > pushes, what="push on plug")


@pytest.mark.parametrize("index", [0, 1])
async def test_low_water_raises_the_alarm_and_stops_heating(
    sim: CloudSimulator, client: CloudClient, index: int
) -> None:
    cooker = sim.cookers[index]
    await client.command("CMD_APC_START", start_payload(cooker, 80.0))
    await sim.advance(300)
    sim.set_low_water(cooker.cooker_id, True)
    if cooker.type == "a7":
        state = await client.wait_state(
            cooker.cooker_id, lambda s: s["state"]["mode"] == "lowWater"
        )
        assert state["nodes"]["lowWater"] == {"empty": True, "warning": True}
    else:
        state = await client.wait_state(cooker.cooker_id, lambda s: s["job"]["mode"] == "LOW WATER")
        assert state["pin-info"]["water-level-low"] == 1
    alarmed_at = cooker.water_c
    await sim.advance(600)
    assert cooker.water_c < alarmed_at
    sim.set_low_water(cooker.cooker_id, False)
    await sim.advance(600)
    assert cooker.water_c > alarmed_at
    assert cooker.phase == "preheating"


async def test_client_vanishing_mid_push_does_not_disturb_others(sim: CloudSimulator) -> None:
    async with open_client(sim) as steady:
        doomed = await open_client(sim).__aenter__()
        doomed.ws.transport.abort()
        await sim.advance(1)
        await asyncio.gather(*(sim.advance(1) for _ in range(5)))
        assert await steady.command("CMD_APC_START", start_payload(sim.cookers[0])) == {
            "status": "ok"
        }
        await async_wait_until(lambda: sim.active_connections == 1, what="dead socket reaped")
