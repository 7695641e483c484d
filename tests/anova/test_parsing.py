"""Fixture normalisation: every generation's shapes become one CookerState."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bridge.anova.fields import MalformedStateError
from bridge.anova.parsing import parse_devices, parse_state
from bridge.anova.state import CookerPhase

FIXTURES = Path(__file__).parent.parent / "fixtures"
NOW = datetime(2024, 7, 5, 21, 50, tzinfo=UTC)


def fixture(name: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((FIXTURES / f"anova-{name}.json").read_text())
    return found


def state_of(name: str):
    return parse_state(fixture(name)["payload"], NOW)


def test_gen2_cooking_example_from_the_api_notes():
    state = state_of("gen2-cooking")
    assert state.phase is CookerPhase.COOKING
    assert state.type == "a5"
    assert state.current_temperature_c == 64.99
    assert state.target_temperature_c == 65
    assert state.heater_temperature_c == 65.09
    assert state.triac_temperature_c == 51.48
    assert state.unit == "C"
    assert state.timer.total_s == 36000
    assert state.timer.remaining_s == 14417
    assert state.timer.running
    assert state.cook is not None
    assert state.cook.id == "12345678901234"
    assert state.cook.ends_at == NOW + timedelta(seconds=14417)
    assert state.firmware == "1.4.4"
    assert not state.alarms.active()


def test_gen2_idle_in_fahrenheit_is_converted_to_celsius():
    state = state_of("gen2-idle")
    assert state.phase is CookerPhase.IDLE
    assert state.unit == "F"
    assert state.target_temperature_c == 65.0
    assert state.current_temperature_c == 20.0
    assert state.cook is None
    assert state.timer.remaining_s is None


def test_gen2_timer_expired_counts_up_but_reads_as_maintaining_with_nothing_left():
    state = state_of("gen2-maintaining")
    assert state.phase is CookerPhase.MAINTAINING
    assert state.timer.remaining_s == 0
    assert not state.timer.running
    assert state.target_temperature_c == pytest.approx(57.22, abs=0.01)


def test_gen2_low_water_with_no_job_status_is_an_idle_cooker_with_the_flag():
    state = state_of("gen2-alarm-low-water")
    assert state.phase is CookerPhase.IDLE
    assert state.cook is None
    assert state.alarms.active() == ["low_water"]


@pytest.mark.parametrize(
    ("mode", "alarm"),
    [("LOW WATER", "low_water"), ("HIGH TEMP", "high_temp"), ("DEVICE FAILURE", "device_failure")],
)
def test_gen2_alarm_mid_cook_is_a_flag_on_the_running_cook(mode, alarm):
    payload = fixture("gen2-cooking")["payload"]
    payload["state"]["job"]["mode"] = mode
    state = parse_state(payload, NOW)
    assert state.phase is CookerPhase.COOKING
    assert state.is_cooking
    assert state.cook is not None
    assert state.cook.id == "12345678901234"
    assert state.alarms.active() == [alarm]


def test_gen3_cooking_example_from_the_api_notes():
    state = state_of("gen3-cooking")
    assert state.phase is CookerPhase.COOKING
    assert state.type == "a7"
    assert state.current_temperature_c == 55.27
    assert state.target_temperature_c == 54.46
    assert state.unit == "F"
    # 46 s elapsed between startedAtTimestamp and updatedTimestamp
    assert state.timer.total_s == 1200
    assert state.timer.remaining_s == 1154
    assert state.timer.running
    assert state.cook is not None
    assert state.cook.started_at == datetime(2024, 7, 5, 21, 49, 10, tzinfo=UTC)
    assert state.cook.ends_at == datetime(2024, 7, 5, 22, 9, 10, tzinfo=UTC)
    assert state.firmware == "01.01.25"
    assert state.online is True


def test_gen3_idle():
    state = state_of("gen3-idle")
    assert state.phase is CookerPhase.IDLE
    assert state.cook is None
    assert state.target_temperature_c == 60.0
    assert state.timer.total_s == 0
    assert not state.is_cooking


def test_gen3_entering_stage_is_preheating_and_timer_waits():
    state = state_of("gen3-preheating")
    assert state.phase is CookerPhase.PREHEATING
    assert state.timer.remaining_s == 1200
    assert not state.timer.running
    assert state.cook is not None
    assert state.cook.ends_at is None


def test_gen3_completed_timer_is_maintaining():
    state = state_of("gen3-maintaining")
    assert state.phase is CookerPhase.MAINTAINING
    assert state.timer.remaining_s == 0


@pytest.mark.parametrize(
    ("name", "alarm"),
    [
        ("gen3-alarm-low-water", "low_water"),
        ("gen3-alarm-water-leak", "water_leak"),
        ("gen3-alarm-triacs", "triacs_failed"),
    ],
)
def test_gen3_alarms(name, alarm):
    state = state_of(name)
    assert state.phase is not CookerPhase.ALARM
    assert state.alarms.active() == [alarm]


@pytest.mark.parametrize("name", ["gen3-alarm-low-water", "gen3-alarm-triacs"])
def test_gen3_alarm_during_a_cook_keeps_the_cook(name):
    state = state_of(name)
    assert state.phase is CookerPhase.COOKING
    assert state.cook is not None
    assert state.cook.started_at == datetime(2024, 7, 5, 21, 49, 10, tzinfo=UTC)


def test_gen3_alarm_without_a_cook_is_an_idle_cooker_with_the_flag():
    state = state_of("gen3-alarm-water-leak")
    assert state.phase is CookerPhase.IDLE
    assert state.cook is None


@pytest.mark.parametrize(
    ("mode", "alarm"), [("highTemp", "high_temp"), ("motorStuck", "motor_stuck")]
)
def test_gen3_alarm_modes(mode, alarm):
    payload = fixture("gen3-idle")["payload"]
    payload["state"]["state"]["mode"] = mode
    assert parse_state(payload, NOW).alarms.active() == [alarm]


def test_gen3_reporting_offline_is_offline():
    payload = fixture("gen3-cooking")["payload"]
    payload["state"]["systemInfo"]["online"] = False
    state = parse_state(payload, NOW)
    assert state.phase is CookerPhase.OFFLINE
    assert state.online is False


def recorded(name: str) -> Any:
    return json.loads((FIXTURES / f"recorded-{name}.json").read_text())


def test_the_recorded_gen2_and_gen3_pushes_parse() -> None:
    gen2 = parse_state({"cookerId": "g2", "type": "a5", "state": recorded("gen2")}, NOW)
    assert (gen2.phase, gen2.target_temperature_c, gen2.firmware) == (
        CookerPhase.COOKING,
        65.0,
        "1.4.4",
    )
    assert gen2.timer.remaining_s == 14417
    gen3 = parse_state({"cookerId": "g3", "type": "a7", "state": recorded("gen3")}, NOW)
    assert (gen3.phase, gen3.current_temperature_c, gen3.target_temperature_c) == (
        CookerPhase.COOKING,
        55.27,
        54.46,
    )
    assert gen3.firmware == "01.01.25"


def test_the_recorded_device_list_parses() -> None:
    (device,) = parse_devices(recorded("wifi-list")["payload"])
    assert (device.type, device.name) == ("a5", "Anova Precision Cooker")


def test_unknown_fields_are_ignored():
    payload = fixture("gen3-cooking")["payload"]
    payload["state"]["nodes"]["somethingNew"] = {"x": [1, 2]}
    payload["state"]["brandNew"] = 7
    assert parse_state(payload, NOW).phase is CookerPhase.COOKING


def test_unknown_type_with_a_known_shape_still_parses():
    payload = fixture("gen3-cooking")["payload"]
    payload["type"] = "a10"
    assert parse_state(payload, NOW).type == "a10"


@pytest.mark.parametrize(
    "payload",
    [
        None,
        [],
        {"type": "a7", "state": {}},
        {"cookerId": "x", "type": "a7"},
        {"cookerId": "x", "type": "a7", "state": {"nodes": {}}},
        {"cookerId": "x", "type": "a5", "state": {"job": {}}},
        {"cookerId": "x", "type": "a3", "state": {"isCooking": "yes"}},
        {"cookerId": "x", "type": "a7", "state": {"state": {"mode": 3}, "nodes": {}}},
    ],
)
def test_malformed_states_raise_one_error_type(payload):
    with pytest.raises(MalformedStateError):
        parse_state(payload, NOW)


def test_device_list_skips_broken_entries():
    devices = parse_devices(fixture("wifi-list")["payload"])
    assert [(d.cooker_id, d.type, d.name) for d in devices] == [
        ("anova-gen2-0123456789", "a5", "Anova Precision Cooker"),
        ("5yMOd0D2lasOE2U8SkcIcS", "a7", "Kitchen"),
    ]
    assert devices[0].paired_at is not None
    assert devices[1].model == "Precision Cooker 3.0"


def test_device_list_must_be_a_list():
    with pytest.raises(MalformedStateError):
        parse_devices({"cookerId": "x"})


@pytest.mark.parametrize("cooker_id", ["a/b", "x+", "#", "a\x00b", ""])
def test_a_cooker_id_that_would_break_mqtt_topics_is_skipped(cooker_id: str) -> None:
    # Regression: an id with "+"/"#" made every discovery publish raise
    # (paho refuses wildcards in a topic) and one with "/" added topic levels.
    devices = parse_devices(
        [{"cookerId": cooker_id, "type": "a7", "name": "x"}, {"cookerId": "ok1", "type": "a7"}]
    )
    assert [d.cooker_id for d in devices] == ["ok1"]


def test_gen3_time_in_water_is_counted_on_the_cookers_own_clock():
    state = state_of("gen3-cooking")
    assert state.cook is not None
    assert state.cook.in_water_s == 46  # startedTimestamp 21:49:10, updatedTimestamp 21:49:56


def test_gen2_time_in_water_counts_the_timer_and_then_the_time_maintaining():
    payload = fixture("gen2-cooking")["payload"]
    status = payload["state"]["job-status"]
    status.update({"job-start-systick": 1000, "state-change-systick": 1600})
    cooking = parse_state(payload, NOW)
    assert cooking.cook is not None
    assert cooking.cook.in_water_s == 600 + 36000 - 14417
    status.update({"state": "MAINTAINING", "cook-time-remaining": 120})
    holding = parse_state(payload, NOW)
    assert holding.cook is not None
    assert holding.cook.in_water_s == 600 + 36000 + 120
    status.update({"state": "PREHEATING"})
    preheating = parse_state(payload, NOW)
    assert preheating.cook is not None
    assert preheating.cook.in_water_s is None
