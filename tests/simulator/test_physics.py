"""The bath's physics against expectations computed from first principles.

Each expectation is worked out here from the model's constants (heat
capacity of the water actually in the bath, heater power, loss coefficient,
room temperature, evaporation rate), so a change to the physics that moves
a number by more than the stated tolerance fails. Cookers are stepped
directly: the physics needs no sockets.
"""

from __future__ import annotations

import math
import statistics
from typing import Any

import pytest

from bridge.simulator import CloudSimulator, SimClock, SimCooker
from bridge.simulator.bath import (
    EVAPORATION_L_PER_H_AT_60,
    LOSS_W_PER_K,
    WATER_HEAT_CAPACITY_J_PER_KG_K,
    evaporation_l_per_s,
)

HOUR = 3600.0


def cooker(cooker_type: str = "a7", **options: Any) -> SimCooker:
    sim = CloudSimulator(cookers=1, types=[cooker_type], seed="physics", **options)
    return sim.cookers[0]


def run(c: SimCooker, seconds: float) -> None:
    c.step_to(c.now + seconds)


def full_power_rise(start_c: float, room_c: float, watts: float, litres: float, t: float) -> float:
    """Water temperature after ``t`` s at full power: the exact first-order solution."""
    capacity = litres * WATER_HEAT_CAPACITY_J_PER_KG_K
    equilibrium = room_c + watts / LOSS_W_PER_K
    return equilibrium + (start_c - equilibrium) * math.exp(-LOSS_W_PER_K * t / capacity)


@pytest.mark.parametrize(
    ("cooker_type", "watts", "litres", "room_c"),
    [
        ("a7", 1100.0, 6.0, 21.0),
        ("a5", 800.0, 6.0, 21.0),
        ("a7", 1100.0, 12.0, 21.0),
        ("pro", 1200.0, 8.0, 15.0),
    ],
)
def test_heating_follows_heater_power_volume_and_room(
    cooker_type: str, watts: float, litres: float, room_c: float
) -> None:
    c = cooker(cooker_type, volume_l=litres, room_c=room_c)
    assert c.water_c == room_c, "a fresh bath is at room temperature"
    c.start(80.0, "C", 0)
    run(c, 600)  # far from 80 °C: the heater runs flat out all the while
    mean_litres = (litres + c.bath.volume_l) / 2  # evaporation, second order here
    expected = full_power_rise(room_c, room_c, watts, mean_litres, 600)
    assert c.water_c == pytest.approx(expected, abs=0.01)


def test_an_idle_bath_loses_heat_to_the_room_exponentially() -> None:
    c = cooker(room_c=18.0)
    c.water_c = 60.0
    start_litres = c.bath.volume_l
    run(c, 1800)
    capacity = (start_litres + c.bath.volume_l) / 2 * WATER_HEAT_CAPACITY_J_PER_KG_K
    expected = 18.0 + (60.0 - 18.0) * math.exp(-LOSS_W_PER_K * 1800 / capacity)
    assert c.water_c == pytest.approx(expected, abs=0.01)  # 49.6 °C, not "somewhere warm"
    run(c, 100 * HOUR)
    assert c.water_c == pytest.approx(18.0, abs=0.01)


def test_holding_the_setpoint_costs_exactly_the_loss_to_the_room() -> None:
    c = cooker()
    c.water_c = 60.0
    c.start(60.0, "C", 0)
    run(c, 1800)
    assert c.water_c == pytest.approx(60.0, abs=0.005)
    assert c.bath.power_w == pytest.approx(LOSS_W_PER_K * (60.0 - 21.0), abs=0.5)


def test_evaporation_takes_a_decilitre_an_hour_at_60_c_and_none_at_room() -> None:
    assert evaporation_l_per_s(60.0, 21.0) * HOUR == pytest.approx(EVAPORATION_L_PER_H_AT_60)
    assert evaporation_l_per_s(21.0, 21.0) == 0.0
    c = cooker()
    c.water_c = 60.0
    c.start(60.0, "C", 0)
    run(c, 10 * HOUR)
    assert c.bath.volume_l == pytest.approx(6.0 - 10 * EVAPORATION_L_PER_H_AT_60, abs=0.002)
    assert not c.low_water


def test_a_long_hot_cook_ends_in_low_water_at_the_minimum_line() -> None:
    c = cooker()
    c.water_c = 60.0
    c.start(60.0, "C", 0)
    # The minimum line is 3/4 of the 6 L: 1.5 L at 0.1 L/h is 15 hours.
    run(c, 14.95 * HOUR)
    assert not c.low_water
    run(c, 0.1 * HOUR)
    assert c.low_water
    assert not c.heating, "the heater stops on low water"
    c.set_alarm("low_water", False)  # the user tops the bath up
    assert c.bath.volume_l == 6.0
    assert c.heating


def test_the_heater_lag_overshoots_a_few_tenths_then_settles() -> None:
    c = cooker(heater_lag_s=25.0)
    c.start(60.0, "C", 0)
    trace = []
    for _ in range(3600):
        run(c, 1)
        trace.append(c.water_c)
    peak = max(trace)
    assert 0.3 <= peak - 60.0 <= 0.5  # like the recorded 55.27 °C at a 54.46 °C setpoint
    undershoot = 60.0 - min(trace[trace.index(peak) :])
    assert 0 <= undershoot < (peak - 60.0) / 4, "well damped: one small dip, no ringing"
    assert trace[-1] == pytest.approx(60.0, abs=0.01)
    assert c.phase == "cooking", "the cook stage entered once and stays"


def test_probe_noise_is_seeded_small_and_unbiased() -> None:
    def readings(seed: str) -> list[float]:
        # A stopped clock at a fixed moment: the noise follows the simulated
        # second, which must not depend on when the test happens to run.
        clock = SimClock(speed=0, start=1_700_000_000.0)
        sim = CloudSimulator(cookers=1, types=["a7"], seed=seed, sensor_noise_c=0.05, clock=clock)
        c = sim.cookers[0]
        out = []
        for _ in range(2000):
            run(c, 1)
            out.append(c.reading_c - c.water_c)
        return out

    first, again, other = readings("a"), readings("a"), readings("b")
    assert first == again, "the same seed gives the same readings"
    assert first != other
    assert statistics.pstdev(first) == pytest.approx(0.05, abs=0.005)
    assert abs(statistics.fmean(first)) < 0.005
    assert max(map(abs, first)) <= 0.15
