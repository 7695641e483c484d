"""The oven cavity's physics: heating by element power, losses, steam, tank and probe."""

from __future__ import annotations

import itertools
import math

import pytest

from bridge.simulator.cavity import (
    AMBIENT_RH,
    HEAT_CAPACITY_J_PER_K,
    HOLD_MARGIN_C,
    LOSS_W_PER_K,
    PROBE_TAU_S,
    ROOM_C,
    STEAM_RH_TAU_S,
    Cavity,
    Drive,
    seconds_to_reach,
)

REAR = frozenset({"rear"})
DRY_200 = Drive(setpoint_c=200.0, elements=REAR)


def run(cavity: Cavity, drive: Drive, seconds: float, step: float = 1.0) -> list[float]:
    """Step ``cavity`` and return the dry bulb after each step."""
    temps = []
    for _ in range(round(seconds / step)):
        cavity.step(step, drive)
        temps.append(cavity.dry_c)
    return temps


def first_at_or_over(temps: list[float], target: float) -> int:
    return next(i + 1 for i, t in enumerate(temps) if t >= target)


def test_heating_at_full_power_follows_the_closed_form() -> None:
    cavity = Cavity()
    run(cavity, DRY_200, 300)
    equilibrium = ROOM_C + 1600 / LOSS_W_PER_K
    tau = HEAT_CAPACITY_J_PER_K / LOSS_W_PER_K
    expected = equilibrium + (ROOM_C - equilibrium) * math.exp(-300 / tau)
    assert cavity.dry_c == pytest.approx(expected, abs=0.01)
    assert cavity.element_w == {"top": 0.0, "rear": 1600.0, "bottom": 0.0}


@pytest.mark.parametrize(("elements", "watts"), [({"rear"}, 1600), ({"top", "rear"}, 3200)])
def test_the_cavity_heats_monotonically_and_reaches_the_setpoint_on_time(
    elements: set[str], watts: float
) -> None:
    temps = run(Cavity(), Drive(setpoint_c=200.0, elements=frozenset(elements)), 3000)
    reached = first_at_or_over(temps, 200.0)
    assert all(b > a for a, b in itertools.pairwise(temps[: reached + 1]))
    full_power = seconds_to_reach(200.0, start_c=ROOM_C, watts=watts)
    # The thermostat eases off only in the last few degrees.
    assert full_power <= reached <= full_power + 60
    assert max(temps) <= 200.0 + HOLD_MARGIN_C + 0.01


def test_the_bottom_element_alone_is_slower_than_the_rear() -> None:
    rear = first_at_or_over(run(Cavity(), Drive(150.0, elements=REAR), 4000), 150.0)
    bottom = first_at_or_over(
        run(Cavity(), Drive(150.0, elements=frozenset({"bottom"})), 4000), 150.0
    )
    assert bottom > 2 * rear


def test_an_idle_cavity_cools_towards_the_room_by_newtons_law() -> None:
    cavity = Cavity(dry_c=200.0, wet_c=90.0)
    run(cavity, Drive(), 1800, step=10)
    tau = HEAT_CAPACITY_J_PER_K / LOSS_W_PER_K
    assert cavity.dry_c == pytest.approx(
        ROOM_C + (200.0 - ROOM_C) * math.exp(-1800 / tau), abs=0.01
    )


def test_an_open_door_loses_heat_the_elements_cannot_make_up() -> None:
    closed, opened = Cavity(dry_c=200.5), Cavity(dry_c=200.5, door_open=True)
    run(closed, DRY_200, 300)
    run(opened, DRY_200, 300)
    assert closed.dry_c >= 200.0
    assert opened.dry_c < 190.0
    assert opened.element_w["rear"] == 1600.0


def test_the_probe_lags_the_cavity_as_a_first_order_system() -> None:
    cavity = Cavity(dry_c=180.5, wet_c=100.0)
    cavity.insert_probe(5.0)
    drive = Drive(setpoint_c=180.0, elements=REAR)
    cores = []
    for _ in range(int(PROBE_TAU_S)):
        cavity.step(1.0, drive)
        cores.append(cavity.probe_c)
    assert all(b > a for a, b in itertools.pairwise(cores))
    assert all(core < cavity.dry_c for core in cores)
    held = 180.0 + HOLD_MARGIN_C
    assert cavity.probe_c == pytest.approx(held + (5.0 - held) * math.exp(-1), abs=0.5)


def test_steam_raises_the_humidity_and_the_wet_bulb() -> None:
    steamed = Cavity(dry_c=100.5, wet_c=60.0)
    dry = Cavity(dry_c=100.5, wet_c=60.0)
    steam = Drive(100.0, elements=REAR, steam_mode="relative-humidity", steam_setpoint=80.0)
    run(steamed, steam, STEAM_RH_TAU_S)
    run(dry, Drive(100.0, elements=REAR), STEAM_RH_TAU_S)
    expected_rh = 80.0 + (AMBIENT_RH - 80.0) * math.exp(-1)
    assert steamed.rh == pytest.approx(expected_rh, abs=0.5)
    assert dry.rh == pytest.approx(AMBIENT_RH, abs=0.01)
    assert steamed.wet_c > dry.wet_c + 5


def test_the_water_tank_runs_dry_under_steam_and_the_steam_stops() -> None:
    cavity = Cavity(dry_c=100.5, wet_c=90.0, tank_s=100.0)
    half_steam = Drive(100.0, elements=REAR, steam_mode="steam-percentage", steam_setpoint=50.0)
    run(cavity, half_steam, 199)
    assert not cavity.tank_empty
    assert cavity.steaming(half_steam)
    run(cavity, half_steam, 2)
    assert cavity.tank_empty
    assert not cavity.steaming(half_steam)
    humid = cavity.rh
    run(cavity, half_steam, 60)
    assert cavity.rh < humid


def test_a_removed_tank_gives_no_steam() -> None:
    cavity = Cavity(tank_removed=True)
    assert cavity.tank_empty
    assert not cavity.steaming(
        Drive(100.0, elements=REAR, steam_mode="steam-percentage", steam_setpoint=50)
    )
