"""Oven states as the cloud facet reads the recorded shapes of anova-oven-api.md §4.

Each is the :class:`OvenState` a reader makes of that section's example, so
the document and entity tests start from what an oven really reports.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bridge.anova.device import CookerInfo
from bridge.anova.oven_model import (
    HeatingElements,
    OvenMode,
    OvenState,
    Probe,
    StageKind,
    StageProgress,
    Steam,
    WaterTank,
)
from bridge.anova.state import CookerPhase, CookInfo, TimerState

V1 = CookerInfo(cooker_id="0123456789abcdef01", name="Oven", type="oven_v1", kind="oven")
V2 = CookerInfo(cooker_id="0123456789abcdef02", name="Big oven", type="oven_v2", kind="oven")


def v1_idle() -> OvenState:
    """§4.1: a v1 oven cooling after a cook; the last dry setpoint and rear element stay."""
    return OvenState(
        cooker_id=V1.cooker_id,
        type="oven_v1",
        phase=CookerPhase.IDLE,
        current_temperature_c=170.06,
        target_temperature_c=204.44,
        unit="F",
        firmware="2.1.16",
        online=True,
        version=1,
        dry_bulb_c=170.06,
        wet_bulb_c=128.9,
        steam=Steam(humidity_percent=43),
        probe=Probe(connected=False),
        elements=HeatingElements(top=False, bottom=False, rear=True),
        fan_speed=0,
        door_closed=True,
        water_tank=WaterTank(empty=False),
        lamp_on=False,
    )


def v2_cooking_with_probe() -> OvenState:
    """§4.4 and a probe: 200 °C dry with 30 % steam, stage 2 of 3, probe aiming at 63 °C."""
    return OvenState(
        cooker_id=V2.cooker_id,
        type="oven_v2",
        phase=CookerPhase.COOKING,
        current_temperature_c=199.6,
        target_temperature_c=200.0,
        unit="F",
        firmware="1.0.0",
        online=True,
        timer=TimerState(total_s=1200, remaining_s=900, running=True),
        cook=CookInfo(
            id="android-66666666-6666-4666-8666-666666666666",
            started_at=datetime(2025, 3, 8, 10, 1, tzinfo=UTC),
            ends_at=datetime(2025, 3, 8, 10, 36, tzinfo=UTC),
        ),
        version=2,
        mode=OvenMode.STEAM,
        dry_bulb_c=199.6,
        wet_bulb_c=88.0,
        steam=Steam(humidity_percent=35, steam_percent=30, steam_target_percent=30),
        probe=Probe(connected=True, current_c=41.26, target_c=63.0),
        elements=HeatingElements(top=True, bottom=False, rear=True),
        fan_speed=100,
        door_closed=True,
        water_tank=WaterTank(empty=False, low=False, removed=False, waste_full=False),
        lamp_on=True,
        stage=StageProgress(number=2, count=3, kind=StageKind.COOK),
        preheated=True,
    )


def v1_wet() -> OvenState:
    """§4.2's wet variant: sous vide in the oven at 56.5 °C wet bulb, 100 % humidity."""
    return OvenState(
        cooker_id=V1.cooker_id,
        type="oven_v1",
        phase=CookerPhase.PREHEATING,
        current_temperature_c=48.3,
        target_temperature_c=56.5,
        unit="C",
        firmware="2.1.16",
        online=True,
        cook=CookInfo(id="bbbbbbbb-0000-4000-8000-000000000001"),
        version=1,
        mode=OvenMode.WET,
        dry_bulb_c=60.51,
        wet_bulb_c=48.3,
        steam=Steam(humidity_percent=97, humidity_target_percent=100),
        elements=HeatingElements(rear=True),
        fan_speed=100,
        door_closed=True,
        water_tank=WaterTank(empty=False),
        lamp_on=True,
        stage=StageProgress(number=1, count=1, kind=StageKind.PREHEAT),
    )
