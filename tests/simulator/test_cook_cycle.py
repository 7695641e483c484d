"""A cook from start to finish, as a client watching the pushes sees it."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

from bridge.simulator import CloudSimulator, SimCooker
from bridge.simulator.bath import LOSS_W_PER_K, WATER_HEAT_CAPACITY_J_PER_KG_K
from tests.simulator.conftest import CloudClient, start_payload


async def advance_until(
    sim: CloudSimulator, done: Callable[[], bool], *, step: float = 30.0, limit: float = 4 * 3600
) -> float:
    """Advance simulated time in steps until ``done``; returns the simulated seconds used."""
    spent = 0.0
    while not done():
        assert spent < limit, "simulated deadline passed"
        await sim.advance(step)
        spent += step
    return spent


def gen3_view(state: dict[str, Any]) -> tuple[str, str | None, str]:
    cook = state.get("cook")
    return (
        state["state"]["mode"],
        cook and cook["activeStageMode"],
        state["nodes"]["timer"]["mode"],
    )


def gen2_view(state: dict[str, Any]) -> tuple[str, str]:
    return (state["job"]["mode"], state["job-status"]["state"])


async def test_a7_goes_idle_preheating_cooking_maintaining(
    sim: CloudSimulator, client: CloudClient
) -> None:
    a7 = sim.cookers[0]
    assert gen3_view(client.states(a7.cooker_id)[-1]) == ("idle", None, "idle")
    assert await client.command("CMD_APC_START", start_payload(a7, 60.0, timer=1200)) == {
        "status": "ok"
    }
    await client.wait_state(a7.cooker_id, lambda s: gen3_view(s) == ("cook", "entering", "idle"))

    heat_up = await advance_until(sim, lambda: a7.phase == "cooking")
    # 1100 W into 6 L: about 2.6 K a minute, so 21 → 60 °C takes a quarter hour.
    assert 10 * 60 <= heat_up <= 25 * 60
    state = await client.wait_state(a7.cooker_id, lambda s: gen3_view(s)[1] == "running")
    assert state["nodes"]["timer"]["mode"] == "running"
    assert abs(state["nodes"]["waterTemperatureSensor"]["current"]["celsius"] - 60.0) <= 0.3

    await sim.advance(1200)
    state = await client.wait_state(a7.cooker_id, lambda s: gen3_view(s)[2] == "completed")
    assert gen3_view(state) == ("cook", "running", "completed")
    assert abs(state["nodes"]["waterTemperatureSensor"]["current"]["celsius"] - 60.0) <= 0.3


async def test_a5_counts_up_while_maintaining(sim: CloudSimulator, client: CloudClient) -> None:
    a5 = sim.cookers[1]
    assert gen2_view(client.states(a5.cooker_id)[-1]) == ("IDLE", "")
    await client.command("CMD_APC_START", start_payload(a5, 55.0, timer=600))
    await client.wait_state(a5.cooker_id, lambda s: gen2_view(s) == ("COOK", "PREHEATING"))

    await advance_until(sim, lambda: a5.phase == "cooking")
    state = await client.wait_state(a5.cooker_id, lambda s: s["job-status"]["state"] == "COOKING")
    remaining = state["job-status"]["cook-time-remaining"]
    assert 0 < remaining <= 600

    await sim.advance(remaining + 90)
    state = await client.wait_state(a5.cooker_id, lambda s: gen2_view(s) == ("COOK", "MAINTAINING"))
    # After the timer ran out the counter shows time spent maintaining.
    assert 89 <= state["job-status"]["cook-time-remaining"] <= 91
    assert abs(state["temperature-info"]["water-temperature"] - 55.0) <= 0.3


async def test_no_timer_cooks_until_stopped_then_the_bath_cools(
    sim: CloudSimulator, client: CloudClient
) -> None:
    a7 = sim.cookers[0]
    await client.command("CMD_APC_START", start_payload(a7, 50.0, timer=0))
    await advance_until(sim, lambda: a7.phase == "cooking")
    await sim.advance(10 * 3600)
    assert a7.phase == "cooking"
    assert abs(a7.water_c - 50.0) <= 0.01

    await client.command("CMD_APC_STOP", {"cookerId": a7.cooker_id, "type": "a7"})
    await client.wait_state(
        a7.cooker_id, lambda s: s["state"]["mode"] == "idle" and "cook" not in s
    )
    start_c, start_litres = a7.water_c, a7.bath.volume_l
    await sim.advance(1800)
    # Newton cooling of the water left after 10 h of evaporation at 50 °C.
    litres = (start_litres + a7.bath.volume_l) / 2
    decay = math.exp(-LOSS_W_PER_K * 1800 / (litres * WATER_HEAT_CAPACITY_J_PER_KG_K))
    assert a7.water_c == pytest.approx(21.0 + (start_c - 21.0) * decay, abs=0.01)


async def test_a_gen2_cook_without_a_timer_keeps_reporting_once_at_temperature(
    sim: CloudSimulator, client: CloudClient
) -> None:
    """No timer means nothing left on it: 0, never an infinite time that stops the pushes."""
    a5 = sim.cookers[1]
    await client.command("CMD_APC_START", start_payload(a5, 50.0, timer=0))
    await advance_until(sim, lambda: a5.phase == "cooking")
    await sim.advance(60)
    pushed = await client.wait_state(a5.cooker_id, lambda s: gen2_view(s) == ("COOK", "COOKING"))
    assert pushed["job-status"]["cook-time-remaining"] == 0
    assert a5.summary()["timer_remaining_s"] == 0


async def test_fahrenheit_start_is_held_in_celsius_and_gen2_reports_fahrenheit(
    sim: CloudSimulator, client: CloudClient
) -> None:
    a7, a5 = sim.cookers
    await client.command("CMD_APC_START", start_payload(a7, 140.0, unit="F"))
    await client.command("CMD_APC_START", start_payload(a5, 140.0, unit="F"))
    state = await client.wait_state(a7.cooker_id, lambda s: s["state"]["mode"] == "cook")
    assert state["state"]["temperatureUnit"] == "F"
    assert state["nodes"]["waterTemperatureSensor"]["setpoint"]["celsius"] == 60.0
    state = await client.wait_state(a5.cooker_id, lambda s: s["job"]["mode"] == "COOK")
    assert state["job"]["target-temperature"] == 140.0
    assert state["job"]["temperature-unit"] == "F"
    assert state["temperature-info"]["water-temperature"] == round(21.0 * 9 / 5 + 32, 2)


async def test_setting_a_new_timer_while_cooking_restarts_it(
    sim: CloudSimulator, client: CloudClient
) -> None:
    a7 = sim.cookers[0]
    await client.command("CMD_APC_START", start_payload(a7, 45.0, timer=600))
    await advance_until(sim, lambda: a7.phase == "cooking")
    await sim.advance(500)
    await client.command(
        "CMD_APC_SET_TIMER", {"cookerId": a7.cooker_id, "type": "a7", "timer": 900}
    )
    state = await client.wait_state(a7.cooker_id, lambda s: s["nodes"]["timer"]["initial"] == 900)
    assert state["nodes"]["timer"]["mode"] == "running"
    await sim.advance(600)
    assert a7.phase == "cooking"
    await sim.advance(300)
    assert a7.phase == "maintaining"


def test_bath_heating_rate_follows_heater_power() -> None:
    sim = CloudSimulator(cookers=2, types=["a7", "a5"])

    def minutes_to(cooker: SimCooker, target: float) -> int:
        cooker.start(target, "C", 0)
        start, minutes = cooker.now, 0
        while cooker.phase != "cooking":
            minutes += 1
            cooker.step_to(start + 60 * minutes)
        return minutes

    a7, a5 = sim.cookers
    # The 1100 W a7 beats the 800 W a5 to the same temperature.
    assert minutes_to(a7, 70.0) < minutes_to(a5, 70.0)
    peak = max(_trace(a7, 3600))
    assert peak <= 70.3, "the controller must not overshoot noticeably"


def _trace(cooker: SimCooker, seconds: int) -> list[float]:
    start, seen = cooker.now, []
    for second in range(1, seconds + 1):
        cooker.step_to(start + second)
        seen.append(cooker.water_c)
    return seen
