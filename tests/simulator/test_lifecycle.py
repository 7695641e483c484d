"""Restarts, the clock, the CLI entry point and the HTTP control surface."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from bridge.simulator import CloudSimulator, SimClock, run_simulator
from tests.simulator.conftest import CloudClient, open_client, start_payload
from tests.support.broker import free_port
from tests.support.waiting import async_wait_until


async def test_restart_keeps_ports_and_the_running_cook(
    sim: CloudSimulator, client: CloudClient
) -> None:
    a7 = sim.cookers[0]
    await client.command("CMD_APC_START", start_payload(a7, 58.0, timer=3600))
    await sim.advance(600)
    ws_url, http_url, water = sim.ws_url, sim.http_url, a7.water_c
    await sim.restart()
    code, _ = await client.wait_closed()
    assert code == 1001  # going away: the cloud restarted under the client
    assert (sim.ws_url, sim.http_url) == (ws_url, http_url)
    async with open_client(sim) as again:
        state = again.states(a7.cooker_id)[-1]
        assert state["state"]["mode"] == "cook"
        assert state["nodes"]["waterTemperatureSensor"]["current"]["celsius"] == round(water, 2)


def test_clock_follows_speed_and_manual_advances() -> None:
    real = [100.0]
    clock = SimClock(speed=60, start=1_000_000.0, monotonic=lambda: real[0])
    real[0] += 2
    assert clock.time() == 1_000_120.0
    clock.speed = 1
    real[0] += 2
    clock.advance(30)
    assert clock.time() == 1_000_152.0
    assert clock.now().tzinfo is not None
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(-1)


async def test_a_fast_clock_cooks_without_manual_advances() -> None:
    async with CloudSimulator(cookers=1, types=["a7"], clock=SimClock(speed=600)) as sim:
        a7 = sim.cookers[0]
        a7.start(30.0, "C", 60)
        # 21 → 30 °C takes about 3.5 simulated minutes: well under a real second here.
        await async_wait_until(lambda: a7.phase == "maintaining", timeout=10, what="cook done")


async def test_run_simulator_serves_on_the_given_port_until_cancelled() -> None:
    port = free_port()
    ready: asyncio.Queue[CloudSimulator] = asyncio.Queue()
    task = asyncio.create_task(
        run_simulator("127.0.0.1", port, None, "anova-cli", 2, ["a5"], 1.0, ready.put_nowait)
    )
    sim = await asyncio.wait_for(ready.get(), 10)
    assert sim.ws_url == f"ws://127.0.0.1:{port}"
    assert sim.http_port == port + 1
    async with open_client(sim, token="anova-cli") as client:
        assert [c["type"] for c in client.frames[0]["payload"]] == ["a5", "a5"]
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_control_surface_drives_the_simulator_over_http(sim: CloudSimulator) -> None:
    a7 = sim.cookers[0]
    a7.start(60.0, "C", 0)
    async with httpx.AsyncClient(base_url=sim.http_url) as http:
        state = (await http.post("/_sim/advance", params={"seconds": 120})).json()
        assert state["cookers"][0]["phase"] == "preheating"
        assert state["cookers"][0]["water_c"] > 21.0
        faults = (await http.post("/_sim/faults", json={"silent": True})).json()
        assert faults["silent"] is True
        assert sim.faults.silent
        bad = await http.post("/_sim/faults", json={"explode": True})
        assert bad.status_code == 400
        assert (await http.post(f"/_sim/low_water/{a7.cooker_id}", params={"on": 1})).json()[
            "low_water"
        ]
        assert not (await http.post(f"/_sim/unplug/{a7.cooker_id}")).json()["plugged"]
        assert (await http.post(f"/_sim/plug/{a7.cooker_id}")).json()["plugged"]
        assert (await http.post("/_sim/unplug/nope")).status_code == 404
        assert (await http.post("/_sim/expire_tokens")).status_code == 200
        assert (await http.get("/_sim/state")).json()["cookers"][0]["low_water"] is True
        assert (await http.get("/_sim/commands")).json() == {"commands": []}
        assert (await http.get("/elsewhere")).status_code == 404
