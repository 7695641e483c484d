"""Oven commands on the wire: one plan, the oven's own version's shape (anova-oven-api.md §3)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from bridge.anova.commands import SetTarget, SetTimer, SetUnit, StartCook, StartOvenCook, StopCook
from bridge.anova.device import CookerInfo
from bridge.anova.oven import OvenCloud
from bridge.anova.oven_model import (
    HeatingElements,
    OvenMode,
    OvenPlan,
    OvenStage,
    TimerStart,
)
from bridge.errors import CommandError, ErrorCode
from tests.anova.oven_fixtures import oven_state

V1 = CookerInfo(cooker_id="0123456789abcdef01", name="Oven", type="oven_v1", kind="oven")
V2 = CookerInfo(cooker_id="0123456789abcdef02", name="Oven 2", type="oven_v2", kind="oven")
REAR = HeatingElements(rear=True)


class Ids:
    """Hands out the given ids in order, then numbered ones."""

    def __init__(self, *ids: str) -> None:
        self._ids: Iterator[str] = iter(ids)
        self._n = 0

    def __call__(self) -> str:
        found = next(self._ids, None)
        if found is not None:
            return found
        self._n += 1
        return f"id{self._n}"


def inner(device: CookerInfo, *stages: OvenStage, ids: Ids | None = None) -> dict[str, Any]:
    wire = OvenCloud(ids or Ids()).to_wire(
        StartOvenCook(device.cooker_id, OvenPlan(stages=stages)), device, None
    )
    assert wire.name == "CMD_APO_START"
    assert wire.payload["id"] == device.cooker_id
    assert wire.payload["type"] == "CMD_APO_START"
    found: dict[str, Any] = wire.payload["payload"]
    return found


def stage(**values: Any) -> OvenStage:
    values.setdefault("mode", OvenMode.DRY)
    values.setdefault("temperature_c", 200.0)
    return OvenStage(**values)


def test_v1_start_is_the_documented_example():
    plan_stage = stage(temperature_c=210.0, elements=REAR, timer_s=1800, rack_position=3)
    cook_id, stage_id = (
        "22222222-2222-4222-8222-222222222222",
        "33333333-3333-4333-8333-333333333333",
    )
    common = {
        "stepType": "stage",
        "userActionRequired": False,
        "temperatureBulbs": {
            "mode": "dry",
            "dry": {"setpoint": {"celsius": 210, "fahrenheit": 410}},
        },
        "heatingElements": {"top": {"on": False}, "bottom": {"on": False}, "rear": {"on": True}},
        "fan": {"speed": 100},
        "vent": {"open": False},
        "rackPosition": 3,
    }
    assert inner(V1, plan_stage, ids=Ids(cook_id, stage_id)) == {
        "cookId": "android-" + cook_id,
        "stages": [
            common | {"id": stage_id + "-preheat", "type": "preheat"},
            common
            | {"id": stage_id, "type": "cook", "timerAdded": True, "probeAdded": False}
            | {"timer": {"initial": 1800}},
        ],
    }


def test_v2_start_is_the_documented_example():
    plan_stage = stage(
        mode=OvenMode.STEAM, steam_percent=30, elements=REAR, timer_s=1200, rack_position=3
    )
    ids = Ids("66666666-6666-4666-8666-666666666666", "55555555-5555-4555-8555-555555555555")
    hot = {"and": {"nodes.temperatureBulbs.dry.current.celsius": {">=": 200}}}
    assert inner(V2, plan_stage, ids=ids) == {
        "stages": [
            {
                "id": "android-55555555-5555-4555-8555-555555555555",
                "title": "",
                "description": "",
                "rackPosition": 3,
                "entry": {"conditions": hot},
                "do": {
                    "type": "cook",
                    "fan": {"speed": 100},
                    "heatingElements": {
                        "top": {"on": False},
                        "bottom": {"on": False},
                        "rear": {"on": True},
                    },
                    "exhaustVent": {"state": "closed"},
                    "steamGenerators": {
                        "mode": "steam-percentage",
                        "steamPercentage": {"setpoint": 30},
                    },
                    "temperatureBulbs": {"mode": "dry", "dry": {"setpoint": {"celsius": 200}}},
                    "timer": {"initial": 1200, "entry": {"conditions": hot}},
                },
                "exit": {"conditions": {"and": {"nodes.timer.mode": {"=": "completed"}}}},
            }
        ],
        "cookId": "android-66666666-6666-4666-8666-666666666666",
        "cookerId": "0123456789abcdef02",
        "cookableId": "",
        "title": "",
        "type": "oven_v2",
        "originSource": "api",
        "cookableType": "manual",
    }


def kinds_and_actions(wire: dict[str, Any]) -> list[tuple[str, bool]]:
    return [(s["type"], s["userActionRequired"]) for s in wire["stages"]]


@pytest.mark.parametrize(
    ("start", "layout"),
    [
        (TimerStart.IMMEDIATELY, [("cook", False)]),
        (TimerStart.WHEN_PREHEATED, [("preheat", False), ("cook", False)]),
        (TimerStart.MANUAL, [("preheat", True), ("cook", True)]),
    ],
)
def test_v1_timer_start_is_a_layout_of_stages(start, layout):
    wire = inner(V1, stage(timer_s=600, timer_start=start))
    assert kinds_and_actions(wire) == layout
    assert wire["stages"][-1]["timer"] == {"initial": 600}


def test_v1_manual_timer_on_a_wet_stage_waits_for_the_user_without_a_preheat():
    wet = stage(mode=OvenMode.WET, temperature_c=60.0, timer_s=600, timer_start=TimerStart.MANUAL)
    assert kinds_and_actions(inner(V1, wet)) == [("cook", True)]


def test_v1_stage_that_wants_no_preheat_is_the_cook_stage_alone():
    assert kinds_and_actions(inner(V1, stage(timer_s=600, preheat=False))) == [("cook", False)]


def test_v1_preheats_pair_with_their_cook_stage_in_a_multi_stage_plan():
    wire = inner(V1, stage(timer_s=600), stage(temperature_c=180.0, timer_s=300), ids=Ids("cook"))
    assert [(s["id"], s["type"]) for s in wire["stages"]] == [
        ("id1-preheat", "preheat"),
        ("id1", "cook"),
        ("id2-preheat", "preheat"),
        ("id2", "cook"),
    ]
    assert wire["cookId"] == "android-cook"
    setpoints = [s["temperatureBulbs"]["dry"]["setpoint"]["celsius"] for s in wire["stages"]]
    assert setpoints == [200, 200, 180, 180]


def test_v1_wet_stage_gets_no_preheat_and_full_humidity_with_the_fan_at_full():
    wire = inner(V1, stage(mode=OvenMode.WET, temperature_c=55.0, fan_speed=20, timer_s=3600))
    (cook,) = wire["stages"]
    assert cook["type"] == "cook"
    assert cook["temperatureBulbs"] == {
        "mode": "wet",
        "wet": {"setpoint": {"celsius": 55, "fahrenheit": 131}},
    }
    assert cook["steamGenerators"] == {
        "mode": "relative-humidity",
        "relativeHumidity": {"setpoint": 100},
    }
    assert cook["fan"] == {"speed": 100}


def test_v1_probe_stage_carries_its_target_in_both_units_and_no_timer():
    wire = inner(V1, stage(temperature_c=180.0, probe_c=57.0))
    preheat, cook = wire["stages"]
    assert cook["temperatureProbe"] == {"setpoint": {"celsius": 57, "fahrenheit": 134.6}}
    assert cook["probeAdded"] is True
    assert cook["timerAdded"] is False
    assert "timer" not in cook
    assert "temperatureProbe" not in preheat


def test_v1_fahrenheit_plan_goes_out_in_agreeing_units():
    wire = inner(V1, stage(temperature_c=(400 - 32) * 5 / 9, preheat=False))
    assert wire["stages"][0]["temperatureBulbs"]["dry"]["setpoint"] == {
        "celsius": 204.44,
        "fahrenheit": 400,
    }


@pytest.mark.parametrize(
    ("celsius", "steam"),
    [
        (99.0, {"mode": "relative-humidity", "relativeHumidity": {"setpoint": 40}}),
        (100.0, {"mode": "steam-percentage", "steamPercentage": {"setpoint": 40}}),
    ],
)
def test_steam_is_humidity_below_100_c_and_a_percentage_from_100_c(celsius, steam):
    plan_stage = stage(mode=OvenMode.STEAM, temperature_c=celsius, steam_percent=40)
    assert inner(V1, plan_stage)["stages"][-1]["steamGenerators"] == steam
    assert inner(V2, plan_stage)["stages"][0]["do"]["steamGenerators"] == steam


def test_fan_is_full_with_the_rear_element_and_as_asked_without_it():
    top_bottom = HeatingElements(top=True, bottom=True, rear=False)
    assert inner(V1, stage(fan_speed=33))["stages"][0]["fan"] == {"speed": 100}
    assert inner(V1, stage(fan_speed=33, elements=top_bottom))["stages"][0]["fan"] == {"speed": 33}
    assert inner(V2, stage(fan_speed=33, elements=top_bottom))["stages"][0]["do"]["fan"] == {
        "speed": 33
    }


HOT_200 = {"and": {"nodes.temperatureBulbs.dry.current.celsius": {">=": 200}}}
NONE: dict[str, Any] = {"and": {}}


@pytest.mark.parametrize(
    ("start", "entry", "timer_entry"),
    [
        (TimerStart.IMMEDIATELY, NONE, None),
        (TimerStart.WHEN_PREHEATED, HOT_200, HOT_200),
        (TimerStart.MANUAL, HOT_200, {"and": {"userAction": {"=": True}}}),
    ],
)
def test_v2_timer_start_is_the_stage_entry_and_the_timer_entry(start, entry, timer_entry):
    (wire,) = inner(V2, stage(timer_s=600, timer_start=start))["stages"]
    assert wire["entry"] == {"conditions": entry}
    assert wire["exit"] == {"conditions": {"and": {"nodes.timer.mode": {"=": "completed"}}}}
    assert wire["do"]["timer"].get("entry") == (
        None if timer_entry is None else {"conditions": timer_entry}
    )


def test_v2_probe_stage_waits_for_the_probe_and_ends_at_its_target():
    (wire,) = inner(V2, stage(temperature_c=180.0, probe_c=57.0))["stages"]
    assert wire["entry"] == {
        "conditions": {
            "and": {
                "nodes.temperatureBulbs.dry.current.celsius": {">=": 180},
                "nodes.temperatureProbe.connected": {"=": True},
            }
        }
    }
    assert wire["exit"] == {
        "conditions": {"and": {"nodes.temperatureProbe.current.celsius": {">=": 57}}}
    }
    assert wire["do"]["temperatureProbe"] == {"setpoint": {"celsius": 57}}
    assert "timer" not in wire["do"]


def test_v2_stage_without_timer_or_probe_runs_until_stopped_and_without_preheat_enters_at_once():
    (wire,) = inner(V2, stage(preheat=False))["stages"]
    assert wire["entry"] == {"conditions": NONE}
    assert wire["exit"] == {"conditions": NONE}


def test_v2_wet_stage_is_the_wet_bulb_at_full_humidity_gated_on_the_wet_bulb():
    (wire,) = inner(V2, stage(mode=OvenMode.WET, temperature_c=60.0, timer_s=3600))["stages"]
    assert wire["do"]["temperatureBulbs"] == {"mode": "wet", "wet": {"setpoint": {"celsius": 60}}}
    assert wire["do"]["steamGenerators"] == {
        "mode": "relative-humidity",
        "relativeHumidity": {"setpoint": 100},
    }
    assert wire["entry"] == {
        "conditions": {"and": {"nodes.temperatureBulbs.wet.current.celsius": {">=": 60}}}
    }


def test_v2_multi_stage_plan_is_one_wire_stage_per_user_stage():
    wire = inner(V2, stage(timer_s=600), stage(temperature_c=120.0), ids=Ids("cook"))
    assert [s["id"] for s in wire["stages"]] == ["android-id1", "android-id2"]


def test_neither_version_ever_gets_the_other_versions_shape():
    plan = (stage(timer_s=600), stage(mode=OvenMode.WET, temperature_c=60.0, probe_c=55.0))
    v1 = json.dumps(inner(V1, *plan))
    v2 = json.dumps(inner(V2, *plan))
    for v2_only in ('"entry"', '"do"', '"exit"', '"cookerId"', '"originSource"', "exhaustVent"):
        assert v2_only not in v1
    for v1_only in ("stepType", "fahrenheit", '"preheat"', "userActionRequired", '"vent"'):
        assert v1_only not in v2


def test_an_unknown_oven_type_gets_no_plan_at_all():
    oven_v3 = V2.model_copy(update={"type": "oven_v3"})
    with pytest.raises(CommandError) as refused:
        inner(oven_v3, stage())
    assert refused.value.code is ErrorCode.UNKNOWN_ACTION


def test_a_type_the_last_state_contradicts_gets_no_plan():
    command = StartOvenCook(V1.cooker_id, OvenPlan(stages=(stage(),)))
    with pytest.raises(CommandError, match="reports version 2"):
        OvenCloud().to_wire(command, V1, oven_state("v2-idle"))


def test_a_stage_with_both_timer_and_probe_is_refused():
    with pytest.raises(CommandError) as refused:
        inner(V2, stage(timer_s=60, probe_c=57.0))
    assert refused.value.code is ErrorCode.INVALID_FIELD


def test_a_steam_stage_without_steam_is_refused():
    with pytest.raises(CommandError) as refused:
        inner(V1, stage(mode=OvenMode.STEAM))
    assert refused.value.code is ErrorCode.MISSING_FIELD


@pytest.mark.parametrize(
    "command",
    [
        StartCook(V1.cooker_id, 60.0, 0, "C"),
        SetTarget(V1.cooker_id, 60.0, "C"),
        SetTimer(V1.cooker_id, 600),
    ],
)
def test_the_cookers_commands_are_refused_for_an_oven(command):
    with pytest.raises(CommandError, match="Precision Oven") as refused:
        OvenCloud().to_wire(command, V1, None)
    assert refused.value.code is ErrorCode.UNKNOWN_ACTION


def test_stop_has_no_inner_payload_and_is_confirmed_by_an_idle_oven():
    wire = OvenCloud().to_wire(StopCook(V1.cooker_id), V1, None)
    assert wire.name == "CMD_APO_STOP"
    assert wire.payload == {"id": V1.cooker_id, "type": "CMD_APO_STOP"}
    assert wire.applied(oven_state("v1-idle"))
    assert not wire.applied(oven_state("v1-preheat"))


def test_unit_goes_as_temperature_unit_and_is_confirmed_by_the_state():
    wire = OvenCloud().to_wire(SetUnit(V2.cooker_id, "F"), V2, None)
    assert wire.name == "CMD_APO_SET_TEMPERATURE_UNIT"
    assert wire.payload == {
        "id": V2.cooker_id,
        "type": "CMD_APO_SET_TEMPERATURE_UNIT",
        "payload": {"temperatureUnit": "F"},
    }
    assert wire.applied(oven_state("v2-idle"))  # displays °F
    assert (
        not OvenCloud().to_wire(SetUnit(V2.cooker_id, "C"), V2, None).applied(oven_state("v2-idle"))
    )


def test_a_start_is_confirmed_only_by_a_cook_with_the_id_it_generated():
    ids = Ids("66666666-6666-4666-8666-666666666666")
    command = StartOvenCook(V2.cooker_id, OvenPlan(stages=(stage(timer_s=1200),)))
    wire = OvenCloud(ids).to_wire(command, V2, oven_state("v2-idle"))
    assert wire.applied(oven_state("v2-cooking"))  # cook id android-6666…
    assert not wire.applied(oven_state("v2-idle"))
    other = OvenCloud(Ids("77777777")).to_wire(command, V2, None)
    assert not other.applied(oven_state("v2-cooking"))


def test_a_v1_oven_that_silently_refused_the_plan_leaves_the_start_unconfirmed():
    command = StartOvenCook(V1.cooker_id, OvenPlan(stages=(stage(),)))
    wire = OvenCloud().to_wire(command, V1, None)
    assert not wire.applied(oven_state("v1-idle"))  # AK: state-v1-idle-after-rejected-start
