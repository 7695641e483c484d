"""The next cook's food (from Home Assistant) and the running cook's context, together.

A food given with ``set_food`` is what a start naming no food cooks: it must
become that cook's persisted context, so a restart still re-checks the
slider for it. A ``replace`` naming no food is for the food already in the
bath: the running cook's food comes first, the stored one only stands in
when the bridge does not know what is in the bath.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.commands import SetFoodCommand, SetTemperatureCommand, StartCommand
from bridge.errors import CommandError
from tests.service.test_cook_context import IDLE, Bridge, Clock, cooking, started_chicken


def idle_start(**extra: object) -> StartCommand:
    return StartCommand(temperature_c=60.0, unit="C", timer_s=5400, **extra)  # type: ignore[arg-type]


async def test_a_start_that_takes_the_stored_food_persists_it_as_the_cooks_context(
    tmp_path: Path,
) -> None:
    clock = Clock()
    bridge = Bridge(tmp_path, clock)
    bridge.sees(IDLE)
    await bridge.run(SetFoodCommand(food_type="chicken thighs", thickness_mm=20.0))
    await bridge.run(idle_start())
    assert bridge.cooker.next_food_type is None  # the cook took it
    bridge.sees(cooking())

    after = Bridge(tmp_path, clock)  # a restart: only the file remembers
    after.sees(cooking())
    assert (after.cooker.food_type, after.cooker.thickness_mm) == ("chicken thighs", 20.0)
    assert after.cooker.shown_food == ("chicken thighs", 20.0)
    with pytest.raises(CommandError) as refused:
        await after.run(SetTemperatureCommand(temperature_c=55.0, unit="C"))
    assert refused.value.code.value == "POULTRY_TEMP_UNSAFE"
    assert ("target", 55.0) not in after.control.calls


async def test_a_replace_without_a_food_keeps_the_running_cooks_food_over_a_stored_one(
    tmp_path: Path,
) -> None:
    bridge = await started_chicken(tmp_path, Clock())
    bridge.cooker.next_food_type, bridge.cooker.next_thickness_mm = "carrots", 10.0
    with pytest.raises(CommandError) as refused:
        await bridge.run(StartCommand(temperature_c=55.0, unit="C", timer_s=7200, replace=True))
    assert refused.value.code.value == "POULTRY_TEMP_UNSAFE"  # chicken's rule, not carrots'
    await bridge.run(StartCommand(temperature_c=65.0, unit="C", timer_s=3600, replace=True))
    assert bridge.cooker.context is not None
    assert (bridge.cooker.context.food_type, bridge.cooker.context.thickness_mm) == (
        "chicken breast",
        None,
    )


async def test_a_replace_of_a_cook_of_unknown_food_takes_the_stored_food(tmp_path: Path) -> None:
    bridge = Bridge(tmp_path, Clock())
    bridge.sees(cooking("started-on-the-cooker", target=56.0))  # food unknown: rules 1-3
    assert bridge.cooker.context is not None
    assert bridge.cooker.food_type is None
    bridge.cooker.next_food_type = "duck breast"
    with pytest.raises(CommandError) as refused:
        await bridge.run(StartCommand(temperature_c=55.0, unit="C", timer_s=7200, replace=True))
    assert refused.value.code.value == "POULTRY_TEMP_UNSAFE"


async def test_a_replace_naming_its_own_food_uses_it(tmp_path: Path) -> None:
    bridge = await started_chicken(tmp_path, Clock())
    await bridge.run(idle_start(food_type="pork chop", replace=True))
    assert bridge.cooker.food_type == "pork chop"
