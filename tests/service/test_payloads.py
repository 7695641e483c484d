"""The retained state document (CONTRACT §3) and event payloads (§5)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from bridge.anova.device import CookerInfo
from bridge.anova.state import Alarms, CookerPhase, CookerState, CookInfo, TimerState
from bridge.kinds.kind import StateInputs
from bridge.service.payloads import event_payload, state_payload, to_unit

INFO = CookerInfo(cooker_id="abc123", name="Sous Vide 1", type="a7")
ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def cooking() -> CookerState:
    return CookerState(
        cooker_id="abc123",
        type="a7",
        phase=CookerPhase.COOKING,
        current_temperature_c=60.44,
        target_temperature_c=60.5,
        heater_temperature_c=61.0,
        triac_temperature_c=40.2,
        unit="C",
        timer=TimerState(total_s=5400, remaining_s=5000, running=True),
        cook=CookInfo(
            id="cook-1",
            started_at=datetime(2026, 11, 23, 10, 0, tzinfo=UTC),
            ends_at=datetime(2026, 11, 23, 11, 30, tzinfo=UTC),
        ),
        alarms=Alarms(),
        firmware="01.01.25",
    )


def test_state_document_has_every_contract_key_in_celsius() -> None:
    doc = state_payload(
        StateInputs(INFO, cooking(), unit="C", online=True, food_type="chicken breast")
    )
    assert set(doc) == {
        "state", "mode", "online", "current_temperature", "target_temperature", "unit", "timer",
        "cook", "food", "alarms", "heater_temperature", "triac_temperature", "device",
        "updated_at",
    }  # fmt: skip
    assert doc["state"] == "cooking"
    assert doc["mode"] == "heat"
    assert doc["current_temperature"] == 60.4
    assert doc["target_temperature"] == 60.5
    assert doc["timer"] == {"total_s": 5400, "remaining_s": 5000, "running": True}
    assert doc["cook"] == {
        "id": "cook-1",
        "started_at": "2026-11-23T10:00:00Z",
        "ends_at": "2026-11-23T11:30:00Z",
        "food_type": "chicken breast",
    }
    assert doc["device"]["model"] == "Precision Cooker 3.0"
    assert doc["device"]["firmware"] == "01.01.25"
    assert ISO_Z.match(doc["updated_at"])


def test_fahrenheit_publishing_converts_every_temperature_with_one_decimal() -> None:
    doc = state_payload(StateInputs(INFO, cooking(), unit="F", online=True))
    assert doc["unit"] == "F"
    assert doc["target_temperature"] == 140.9
    assert doc["current_temperature"] == 140.8
    assert doc["triac_temperature"] == 104.4


def test_offline_cooker_is_published_as_offline_whatever_it_last_said() -> None:
    doc = state_payload(StateInputs(INFO, cooking(), unit="C", online=False))
    assert doc["state"] == "offline"
    assert doc["online"] is False


def test_idle_cooker_shows_the_stored_setpoint_and_timer_for_the_next_start() -> None:
    idle = CookerState(
        cooker_id="abc123", type="a7", phase=CookerPhase.IDLE, current_temperature_c=21
    )
    doc = state_payload(
        StateInputs(INFO, idle, unit="C", online=True, stored_target_c=58.0, stored_timer_s=3600)
    )
    assert doc["mode"] == "off"
    assert doc["cook"] is None
    assert doc["target_temperature"] == 58.0
    assert doc["timer"] == {"total_s": 3600, "remaining_s": 3600, "running": False}


def test_fields_the_device_does_not_report_are_null_not_invented() -> None:
    bare = CookerState(cooker_id="abc123", type="a3", phase=CookerPhase.IDLE)
    doc = state_payload(StateInputs(INFO, bare, unit="C", online=True))
    assert doc["heater_temperature"] is None
    assert doc["current_temperature"] is None
    assert doc["device"]["firmware"] is None


def test_conversion_rounds_to_one_decimal_without_float_noise() -> None:
    assert to_unit(60.0, "F") == 140.0
    assert to_unit(54.4, "F") == 129.9
    assert to_unit(None, "F") is None


def test_event_payload_carries_name_time_and_cook_id() -> None:
    body = event_payload("alarm", cook_id="cook-1", alarm="low_water")
    assert body["event"] == "alarm"
    assert body["cook_id"] == "cook-1"
    assert body["alarm"] == "low_water"
    assert ISO_Z.match(body["at"])


def test_food_shows_the_food_given_with_how_the_rules_read_it() -> None:
    doc = state_payload(
        StateInputs(INFO, cooking(), unit="C", online=True, food=("meat loaf", 40.0))
    )
    assert doc["food"] == {
        "food_type": "meat loaf",
        "category": "ground_meat",
        "thickness_mm": 40.0,
    }
    idle = state_payload(StateInputs(INFO, None, unit="C", online=True))
    assert idle["food"] == {"food_type": None, "category": None, "thickness_mm": None}


def test_an_alarm_mid_cook_says_alarm_but_keeps_the_cook_and_mode() -> None:
    dry = cooking().model_copy(update={"alarms": Alarms(low_water=True)})
    doc = state_payload(StateInputs(INFO, dry, unit="C", online=True, food_type="chicken breast"))
    assert doc["state"] == "alarm"
    assert doc["mode"] == "heat"
    assert doc["cook"]["food_type"] == "chicken breast"
    assert doc["timer"]["remaining_s"] == 5000
    assert doc["alarms"]["low_water"] is True
