"""Precision Oven 2.0 pushes (anova-oven-api.md §4.3, §4.4, the timer after preheat), read.

[unsure] No real v2 capture exists: these follow the 1.2.11 schema and the
§3.2 plan, as the doc builds them.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bridge.anova.oven_model import HeatingElements, OvenMode, StageKind, StageProgress
from bridge.anova.state import CookerPhase
from tests.anova.oven_fixtures import oven_state

COOK_ID = "android-66666666-6666-4666-8666-666666666666"


def test_v2_idle_reads_celsius_only_and_the_v2_nodes():
    state = oven_state("v2-idle")
    assert state.cooker_id == "0123456789abcdef02"
    assert state.type == "oven_v2"
    assert state.version == 2
    assert state.phase is CookerPhase.IDLE
    assert state.mode is None
    assert state.current_temperature_c == 22.4
    assert state.target_temperature_c is None
    assert state.dry_bulb_c == 22.4
    assert state.wet_bulb_c == 21.9
    assert state.unit == "F"  # the display unit; values are °C
    assert state.timer.total_s is None
    assert state.timer.remaining_s is None
    assert not state.timer.running
    assert not state.timer_done
    assert state.cook is None
    assert state.stage is None
    assert state.elements == HeatingElements(top=False, bottom=False, rear=False)
    assert state.fan_speed == 0  # "off"
    assert state.door_closed is True
    assert state.water_tank.empty is False
    assert state.water_tank.low is False
    assert state.water_tank.removed is False
    assert state.water_tank.waste_full is False
    assert state.lamp_on is False
    assert not state.probe.connected
    assert state.firmware == "1.0.0"
    assert state.online is True
    assert state.alarms.active() == []
    assert state.processed_command_ids == ()


def test_v2_cooking_before_the_cavity_is_hot_is_preheating_with_steam():
    state = oven_state("v2-cooking")
    assert state.phase is CookerPhase.PREHEATING
    assert not state.preheated
    assert state.mode is OvenMode.STEAM
    assert state.current_temperature_c == 143.2
    assert state.target_temperature_c == 200
    assert state.steam.steam_percent == 30
    assert state.steam.steam_target_percent == 30
    assert state.fan_speed == 100  # "max"
    assert state.elements == HeatingElements(top=False, bottom=False, rear=True)
    assert state.timer.total_s == 1200
    assert state.timer.remaining_s == 1200
    assert not state.timer.running
    assert state.stage == StageProgress(number=1, count=1, kind=StageKind.COOK)
    assert state.cook is not None
    assert state.cook.id == COOK_ID
    assert state.cook.started_at == datetime(2025, 3, 8, 10, 1, tzinfo=UTC)
    assert state.cook.in_water_s == 120
    assert state.processed_command_ids == ("44444444-4444-4444-8444-444444444444",)


def test_v2_timer_after_preheat_counts_down_from_its_start():
    state = oven_state("v2-timer-running")
    assert state.phase is CookerPhase.COOKING
    assert state.preheated
    assert state.timer.running
    assert state.timer.total_s == 1200
    assert state.timer.remaining_s == 780  # 1200 − (10:15 − 10:08)
    assert state.cook is not None
    assert state.cook.ends_at == datetime(2025, 3, 8, 10, 28, tzinfo=UTC)
    assert not state.timer_done


def test_v2_timer_completed_is_done_with_nothing_left():
    state = oven_state("v2-timer-completed")
    assert state.timer_done
    assert state.timer.remaining_s == 0
    assert not state.timer.running
    assert state.is_cooking  # the stage's exit ends the cook, not the timer itself


def test_v2_empty_tank_and_full_waste_tank_are_flags_not_alarms():
    state = oven_state("v2-tank-empty")
    assert state.water_tank.empty is True
    assert state.water_tank.low is True
    assert state.water_tank.removed is False
    assert state.water_tank.waste_full is True
    assert state.alarms.active() == []
