"""Precision Oven 1.0 pushes (anova-oven-api.md §4.1, §4.2, MCOLYER's wet mode), field by field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bridge.anova.oven_model import HeatingElements, OvenMode, StageKind, StageProgress
from bridge.anova.oven_states import parse_oven_state
from bridge.anova.state import CookerPhase
from tests.anova.oven_fixtures import NOW, oven_payload, oven_state


def test_v1_idle_after_a_cook_reads_as_a_cooling_idle_oven():
    state = oven_state("v1-idle")
    assert state.cooker_id == "0123456789abcdef01"
    assert state.type == "oven_v1"
    assert state.version == 1
    assert state.phase is CookerPhase.IDLE
    assert state.mode is None
    assert state.current_temperature_c == 170.06
    assert state.target_temperature_c == 204.44  # the last cook's setpoint stays (AK)
    assert state.dry_bulb_c == 170.06
    assert state.wet_bulb_c == 128.9
    assert state.unit == "F"
    assert state.timer.total_s == 0
    assert state.timer.remaining_s == 0
    assert not state.timer.running
    assert not state.timer_done
    assert state.cook is None
    assert state.stage is None
    assert not state.preheated
    # rear.on stays true at 0 W on an idle v1 oven: not an element that is on
    assert state.elements == HeatingElements(top=False, bottom=False, rear=False)
    assert state.fan_speed == 0
    assert state.door_closed is True
    assert state.water_tank.empty is False
    assert state.water_tank.low is None
    assert state.water_tank.waste_full is None
    assert state.lamp_on is False
    assert not state.probe.connected
    assert state.probe.current_c is None
    assert state.probe.target_c is None
    assert state.steam.humidity_percent == 43
    assert state.steam.humidity_target_percent is None
    assert state.firmware == "2.1.16"
    assert state.online is True
    assert state.alarms.active() == []
    assert state.processed_command_ids == (
        "aaaaaaaa-0000-4000-8000-000000000001",
        "aaaaaaaa-0000-4000-8000-000000000002",
    )


def test_v1_preheat_stage_reads_as_preheating_stage_one_of_one():
    state = oven_state("v1-preheat")
    assert state.phase is CookerPhase.PREHEATING
    assert state.mode is OvenMode.DRY
    assert state.current_temperature_c == 60.51
    assert state.target_temperature_c == 204.44
    assert state.stage == StageProgress(number=1, count=1, kind=StageKind.PREHEAT)
    assert not state.preheated
    assert state.cook is not None
    assert state.cook.id == "bbbbbbbb-0000-4000-8000-000000000001"
    updated = datetime(2026, 9, 6, 15, 54, 6, 735000, tzinfo=UTC)
    assert state.cook.started_at == updated - timedelta(seconds=5)
    assert state.cook.in_water_s == 5
    assert state.cook.ends_at is None  # no timer in this plan
    assert state.elements == HeatingElements(top=False, bottom=False, rear=True)
    assert state.fan_speed == 100
    assert state.lamp_on is True
    assert state.door_closed is True
    assert state.timer.total_s == 0
    assert not state.timer.running
    assert state.processed_command_ids == ("aaaaaaaa-0000-4000-8000-000000000003",)
    assert state.firmware == "2.1.16"


def test_v1_door_open_is_reported_and_changes_nothing_else():
    state = oven_state("v1-door-open")
    assert state.door_closed is False
    assert state.phase is CookerPhase.PREHEATING
    assert state.alarms.active() == []


def test_v1_wet_mode_reads_the_wet_bulb_and_a_timer_counting_up():
    state = oven_state("v1-wet")
    assert state.mode is OvenMode.WET
    assert state.phase is CookerPhase.COOKING
    assert state.current_temperature_c == 55.1
    assert state.target_temperature_c == 55
    assert state.dry_bulb_c == 60.2
    assert state.wet_bulb_c == 55.1
    assert state.unit == "C"
    assert state.steam.humidity_percent == 97
    assert state.steam.humidity_target_percent == 100
    assert state.timer.total_s == 3600
    assert state.timer.remaining_s == 3000  # initial 3600 − current 600
    assert state.timer.running
    assert state.stage == StageProgress(number=1, count=1, kind=StageKind.COOK)
    assert state.cook is not None
    updated = datetime(2026, 9, 6, 15, 54, 6, 735000, tzinfo=UTC)
    assert state.cook.ends_at == updated + timedelta(seconds=3000)


def test_v1_probe_stage_after_its_preheat_is_cooking_though_the_cavity_dipped():
    state = oven_state("v1-probe")
    assert state.probe.connected
    assert state.probe.current_c == 41.5
    assert state.probe.target_c == 57
    assert state.current_temperature_c == 198.3  # below 204.44: the door was opened to load
    assert state.preheated  # the oven leaves a preheat stage only at its setpoint
    assert state.phase is CookerPhase.COOKING
    assert state.stage == StageProgress(number=1, count=1, kind=StageKind.COOK)
    assert state.cook is not None
    assert state.cook.in_water_s == 665


def test_v1_timer_that_reached_its_length_is_done():
    payload = oven_payload("v1-wet")
    payload["state"]["nodes"]["timer"] = {"mode": "running", "initial": 3600, "current": 3600}
    state = parse_oven_state(payload, NOW)
    assert state.timer_done
    assert state.timer.remaining_s == 0
    payload["state"]["nodes"]["timer"]["mode"] = "idle"  # numbers kept after the cook
    assert not parse_oven_state(payload, NOW).timer_done
