"""The oven's retained state document (docs/mqtt.md, "Oven state")."""

from __future__ import annotations

import re

from bridge.anova.oven_model import HeatingElements, OvenMode, TimerStart, WaterTank
from bridge.anova.state import Alarms, CookerPhase
from bridge.commands.oven_models import NextStage
from bridge.kinds.kind import StateInputs
from bridge.kinds.oven.state import oven_document
from tests.kinds.oven_states import V1, V2, v1_idle, v1_wet, v2_cooking_with_probe

ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
KEYS = {
    "state", "mode", "online", "current_temperature", "target_temperature", "unit",
    "oven_mode", "dry_bulb_temperature", "wet_bulb_temperature", "humidity", "steam_percent",
    "probe", "timer", "stage", "preheated", "elements", "fan_speed", "door", "water_tank",
    "lamp", "cook", "food", "alarms", "next", "device", "updated_at",
}  # fmt: skip


def test_an_idle_v1_oven_shows_its_bulbs_and_what_a_start_would_use() -> None:
    doc = oven_document(StateInputs(V1, v1_idle(), unit="C", online=True))
    assert set(doc) == KEYS
    assert (doc["state"], doc["mode"], doc["cook"], doc["stage"]) == ("idle", "off", None, None)
    assert doc["current_temperature"] == 170.1
    assert doc["target_temperature"] == 204.4  # the oven keeps its last setpoint
    assert (doc["dry_bulb_temperature"], doc["wet_bulb_temperature"]) == (170.1, 128.9)
    assert doc["humidity"] == 43
    assert doc["oven_mode"] is None
    assert doc["probe"] == {"connected": False, "temperature": None, "target": None}
    assert doc["elements"] == {"top": False, "bottom": False, "rear": True}
    assert (doc["door"], doc["lamp"], doc["fan_speed"]) == ("closed", False, 0)
    # v1 reports only "empty": the rest are null, not invented
    assert doc["water_tank"] == {"empty": False, "low": None, "removed": None, "waste_full": None}
    assert doc["timer"] == {"total_s": None, "remaining_s": None, "running": False, "done": False}
    assert doc["device"] == {
        "cooker_id": "0123456789abcdef01",
        "name": "Oven",
        "type": "oven_v1",
        "model": "Precision Oven",
        "firmware": "2.1.16",
    }
    assert ISO_Z.match(doc["updated_at"])


def test_a_cooking_v2_oven_with_a_probe_shows_the_running_stage() -> None:
    inputs = StateInputs(V2, v2_cooking_with_probe(), unit="C", online=True, food_type="pork loin")
    doc = oven_document(inputs)
    assert (doc["state"], doc["mode"], doc["oven_mode"]) == ("cooking", "heat", "steam")
    assert (doc["current_temperature"], doc["target_temperature"]) == (199.6, 200.0)
    assert doc["probe"] == {"connected": True, "temperature": 41.3, "target": 63.0}
    assert doc["steam_percent"] == 30
    assert doc["stage"] == {"number": 2, "count": 3, "kind": "cook", "awaiting_user": False}
    assert doc["preheated"] is True
    assert doc["timer"] == {"total_s": 1200, "remaining_s": 900, "running": True, "done": False}
    assert doc["cook"] == {
        "id": "android-66666666-6666-4666-8666-666666666666",
        "started_at": "2025-03-08T10:01:00Z",
        "ends_at": "2025-03-08T10:36:00Z",
        "food_type": "pork loin",
    }
    assert doc["water_tank"] == {
        "empty": False,
        "low": False,
        "removed": False,
        "waste_full": False,
    }
    assert doc["device"]["model"] == "Precision Oven 2.0"
    assert doc["next"] is None  # the running stage's settings are the top-level fields


def test_wet_mode_targets_the_wet_bulb_and_shows_the_humidity_setting() -> None:
    doc = oven_document(StateInputs(V1, v1_wet(), unit="C", online=True))
    assert (doc["state"], doc["oven_mode"]) == ("preheating", "wet")
    assert (doc["current_temperature"], doc["target_temperature"]) == (48.3, 56.5)
    assert doc["wet_bulb_temperature"] == 48.3
    assert (doc["humidity"], doc["steam_percent"]) == (97, 100)
    assert doc["stage"]["kind"] == "preheat"
    assert doc["preheated"] is False
    assert doc["timer"]["total_s"] is None  # no timer on this stage


def test_an_open_door_and_an_empty_tank_are_said_plainly() -> None:
    state = v2_cooking_with_probe().model_copy(
        update={"door_closed": False, "water_tank": WaterTank(empty=True, low=True)}
    )
    doc = oven_document(StateInputs(V2, state, unit="C", online=True))
    assert doc["door"] == "open"
    assert doc["water_tank"]["empty"] is True
    assert doc["water_tank"]["low"] is True
    assert doc["mode"] == "heat"  # the cook goes on: the bridge reports, the oven decides


def test_an_unreported_door_is_null() -> None:
    state = v1_idle().model_copy(update={"door_closed": None, "lamp_on": None})
    doc = oven_document(StateInputs(V1, state, unit="C", online=True))
    assert (doc["door"], doc["lamp"]) == (None, None)


def test_an_offline_oven_says_offline_whatever_it_last_said() -> None:
    doc = oven_document(StateInputs(V2, v2_cooking_with_probe(), unit="C", online=False))
    assert (doc["state"], doc["online"]) == ("offline", False)
    assert doc["probe"]["temperature"] == 41.3  # last known readings stay readable


def test_before_the_first_state_everything_reported_is_null() -> None:
    doc = oven_document(StateInputs(V2, None, unit="C", online=True))
    assert doc["state"] == "offline"
    assert doc["current_temperature"] is None
    assert doc["probe"] == {"connected": None, "temperature": None, "target": None}
    assert doc["water_tank"] == {"empty": None, "low": None, "removed": None, "waste_full": None}
    assert (doc["door"], doc["elements"], doc["preheated"], doc["device"]["firmware"]) == (
        None,
        None,
        None,
        None,
    )


def test_fahrenheit_publishing_converts_every_temperature() -> None:
    doc = oven_document(StateInputs(V2, v2_cooking_with_probe(), unit="F", online=True))
    assert doc["unit"] == "F"
    assert (doc["current_temperature"], doc["target_temperature"]) == (391.3, 392.0)
    assert (doc["dry_bulb_temperature"], doc["wet_bulb_temperature"]) == (391.3, 190.4)
    assert doc["probe"] == {"connected": True, "temperature": 106.3, "target": 145.4}
    assert doc["steam_percent"] == 30  # a percentage is no temperature


def test_an_idle_oven_publishes_the_kept_next_stage_setpoint_and_timer() -> None:
    kept = NextStage(
        mode=OvenMode.STEAM,
        steam_percent=40,
        probe_c=57.0,
        elements=HeatingElements(top=True, rear=True),
        fan_speed=67,
        timer_start=TimerStart.IMMEDIATELY,
        preheat=False,
    )
    inputs = StateInputs(
        V1,
        v1_idle(),
        unit="F",
        online=True,
        stored_target_c=180.0,
        stored_timer_s=2700,
        next_settings=kept,
    )
    doc = oven_document(inputs)
    assert doc["target_temperature"] == 356.0
    assert doc["timer"] == {"total_s": 2700, "remaining_s": 2700, "running": False, "done": False}
    assert doc["next"] == {
        "oven_mode": "steam",
        "target_temperature": 356.0,
        "timer_s": 2700,
        "steam_percent": 40,
        "probe_target": 134.6,
        "elements": {"top": True, "bottom": False, "rear": True},
        "fan_speed": 67,
        "timer_start": "immediately",
        "preheat": False,
    }


def test_settings_not_given_for_the_next_start_are_null() -> None:
    doc = oven_document(StateInputs(V1, v1_idle(), unit="C", online=True))
    assert doc["next"] == {
        "oven_mode": None,
        "target_temperature": 204.4,
        "timer_s": None,
        "steam_percent": None,
        "probe_target": None,
        "elements": None,
        "fan_speed": None,
        "timer_start": None,
        "preheat": None,
    }


def test_an_alarm_mid_cook_says_alarm_but_keeps_the_cook() -> None:
    state = v2_cooking_with_probe().model_copy(update={"alarms": Alarms(high_temp=True)})
    doc = oven_document(StateInputs(V2, state, unit="C", online=True))
    assert (doc["state"], doc["mode"]) == ("alarm", "heat")
    assert doc["alarms"]["high_temp"] is True
    assert doc["cook"] is not None
    assert doc["stage"]["number"] == 2


def test_the_timer_says_done_when_the_stage_timer_ran_out() -> None:
    state = v2_cooking_with_probe().model_copy(update={"timer_done": True})
    doc = oven_document(StateInputs(V2, state, unit="C", online=True))
    assert doc["timer"]["done"] is True
    assert doc["state"] == CookerPhase.COOKING.value  # the oven decides when the cook ends
