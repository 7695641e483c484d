"""Reading oven states: the version, tolerance, refusals, alarms, and the preheat memory."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bridge.anova.fields import MalformedStateError
from bridge.anova.kind import CloudKinds
from bridge.anova.oven import OVEN_CLOUD
from bridge.anova.oven_model import OvenMode, StageKind
from bridge.anova.oven_states import OvenStates, parse_oven_state
from bridge.anova.sous_vide import SOUS_VIDE_CLOUD
from bridge.anova.state import CookerPhase
from tests.anova.oven_fixtures import NOW, oven_fixture, oven_payload


def read(payload: dict[str, Any]):
    return parse_oven_state(payload, NOW)


def test_the_oven_kind_owns_the_apo_events_beside_the_cookers():
    kinds = CloudKinds([SOUS_VIDE_CLOUD, OVEN_CLOUD])
    assert kinds.listing("EVENT_APO_WIFI_LIST") is OVEN_CLOUD
    assert kinds.reporting("EVENT_APO_STATE") is OVEN_CLOUD
    assert kinds.listing("EVENT_APC_WIFI_LIST") is SOUS_VIDE_CLOUD
    assert OVEN_CLOUD.name == "oven"


def test_device_list_gives_ovens_with_their_model_names_and_skips_entries_without_type():
    devices = OVEN_CLOUD.parse_devices(oven_fixture("wifi-list")["payload"])
    assert [(d.cooker_id, d.kind, d.type, d.model) for d in devices] == [
        ("0123456789abcdef01", "oven", "oven_v1", "Precision Oven"),
        ("0123456789abcdef02", "oven", "oven_v2", "Precision Oven 2.0"),
    ]
    assert devices[1].name == "Anova Precision Oven"
    assert devices[1].paired_at is not None


def test_device_list_that_is_not_a_list_is_malformed():
    with pytest.raises(MalformedStateError):
        OVEN_CLOUD.parse_devices({"cookerId": "x"})


def test_the_version_comes_from_the_state_never_from_the_payload_type():
    payload = oven_payload("v2-cooking")
    payload["type"] = "oven_v1"
    assert read(payload).version == 2
    del payload["state"]["version"]
    assert read(payload).version == 2  # cavityOverheated says v2
    v1 = oven_payload("v1-preheat")
    del v1["state"]["version"]
    v1["type"] = "oven_v2"
    assert read(v1).version == 1


def test_unknown_extra_keys_change_nothing():
    plain = read(oven_payload("v2-cooking"))
    payload = oven_payload("v2-cooking")
    payload["futureKey"] = 1
    payload["state"]["nodes"]["smokeDetector"] = {"smoke": False}
    payload["state"]["state"]["resumeAfterPowerInterruption"] = True
    payload["state"]["nodes"]["fan"]["rpm"] = 1800
    assert read(payload) == plain


@pytest.mark.parametrize("name", ["v1-preheat", "v2-cooking"])
def test_missing_optional_nodes_leave_their_fields_unknown(name):
    payload = oven_payload(name)
    nodes = payload["state"]["nodes"]
    for key in ("door", "lamp", "doorLamp", "cavityLamp", "fan", "heatingElements", "timer"):
        nodes.pop(key, None)
    for key in ("steamGenerators", "temperatureProbe", "waterTank", "temperatureBulbs"):
        nodes.pop(key, None)
    del payload["state"]["systemInfo"]
    del payload["state"]["cook"]["stages"]
    state = read(payload)
    assert state.is_cooking
    assert state.door_closed is None
    assert state.lamp_on is None
    assert state.fan_speed is None
    assert state.elements is None
    assert state.timer.total_s is None
    assert state.current_temperature_c is None
    assert state.stage is None
    assert state.online is None
    assert state.firmware is None
    assert state.phase is CookerPhase.PREHEATING  # no reading says the cavity is hot


@pytest.mark.parametrize(
    ("change", "what"),
    [
        (lambda p: p.pop("cookerId"), "cookerId"),
        (lambda p: p.pop("state"), "state"),
        (lambda p: p["state"].pop("nodes"), "nodes"),
        (lambda p: p["state"]["state"].pop("mode"), "mode"),
        (lambda p: p["state"].__setitem__("nodes", []), "nodes"),
        (lambda p: p["state"].__setitem__("state", "cook"), "state"),
    ],
)
def test_a_push_without_what_every_reading_needs_is_malformed(change, what):
    payload = oven_payload("v1-preheat")
    change(payload)
    with pytest.raises(MalformedStateError, match=what):
        read(payload)


def test_a_payload_that_is_not_an_object_is_malformed():
    with pytest.raises(MalformedStateError):
        read([])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("path", "key", "alarm"),
    [
        (("heatingElements", "top"), "failed", "device_failure"),
        (("fan",), "failed", "device_failure"),
        (("steamGenerators", "boiler"), "failed", "device_failure"),
        (("steamGenerators", "evaporator"), "failed", "device_failure"),
        (("temperatureBulbs", "dryTop"), "overheated", "high_temp"),
        (("steamGenerators", "boiler"), "overheated", "high_temp"),
        (("userInterfaceCircuit",), "communicationFailed", "other"),
    ],
)
def test_v1_failure_and_overheat_flags_raise_their_alarm(path, key, alarm):
    payload = oven_payload("v1-preheat")
    node = payload["state"]["nodes"]
    for part in path:
        node = node[part]
    node[key] = True
    state = read(payload)
    assert state.alarms.active() == [alarm]
    assert state.phase is CookerPhase.PREHEATING  # an alarm is a flag on the running cook


def test_v2_cavity_overheated_and_failed_triacs_raise_their_alarms():
    payload = oven_payload("v2-cooking")
    payload["state"]["state"]["cavityOverheated"] = True
    payload["state"]["systemInfo"]["triacsFailed"] = True
    assert read(payload).alarms.active() == ["high_temp", "triacs_failed"]


@pytest.mark.parametrize(("word", "speed"), [("off", 0), ("min", 33), ("mid", 66), ("max", 100)])
def test_v2_fan_words_read_as_percentages(word, speed):
    payload = oven_payload("v2-cooking")
    payload["state"]["nodes"]["fan"]["speed"] = word
    assert read(payload).fan_speed == speed


@pytest.mark.parametrize(("door", "cavity", "on"), [(True, False, True), (False, True, True)])
def test_v2_lamp_is_on_when_either_lamp_is(door, cavity, on):
    payload = oven_payload("v2-idle")
    payload["state"]["nodes"]["doorLamp"]["on"] = door
    payload["state"]["nodes"]["cavityLamp"]["on"] = cavity
    assert read(payload).lamp_on is on


def test_dry_bulb_with_humidity_is_steam_and_humidity_off_is_dry():
    payload = oven_payload("v1-preheat")
    steam = payload["state"]["nodes"]["steamGenerators"]
    steam["mode"] = "relative-humidity"
    steam["relativeHumidity"] = {"current": 40, "setpoint": 60}
    assert read(payload).mode is OvenMode.STEAM
    steam["relativeHumidity"]["setpoint"] = 0  # off, as SET_STEAM_GENERATORS turns it off
    assert read(payload).mode is OvenMode.DRY


def test_offline_oven_reads_as_offline():
    payload = oven_payload("v2-cooking")
    payload["state"]["systemInfo"]["online"] = False
    state = read(payload)
    assert state.phase is CookerPhase.OFFLINE
    assert state.online is False


def test_descaling_is_not_a_cook():
    payload = oven_payload("v2-idle")
    payload["state"]["state"]["mode"] = "descale"
    assert read(payload).phase is CookerPhase.IDLE


def test_v1_multi_stage_plan_counts_each_preheat_with_its_cook_stage():
    payload = oven_payload("v1-preheat")
    cook = payload["state"]["cook"]
    kinds = ["preheat", "cook", "cook", "preheat", "cook"]
    cook["stages"] = [{"id": f"s{i}", "type": kind} for i, kind in enumerate(kinds)]
    cook["activeStageId"] = "s3"
    cook["stageTransitionPendingUserAction"] = True
    stage = read(payload).stage
    assert stage is not None
    assert (stage.number, stage.count, stage.kind) == (3, 3, StageKind.PREHEAT)
    assert stage.awaiting_user
    cook["activeStageId"] = "s2"
    second = read(payload).stage
    assert second is not None
    assert second.number == 2


def test_v2_probe_target_of_zero_is_no_target():
    payload = oven_payload("v2-cooking")
    payload["state"]["nodes"]["temperatureProbe"] = {"connected": False, "setpoint": {"celsius": 0}}
    assert read(payload).probe.target_c is None


def _at(payload: dict[str, Any], celsius: float, seconds: int) -> dict[str, Any]:
    payload["state"]["nodes"]["temperatureBulbs"]["dry"]["current"] = {"celsius": celsius}
    payload["state"]["updatedTimestamp"] = (NOW + timedelta(seconds=seconds)).isoformat()
    return payload


def test_a_stage_that_reached_its_setpoint_stays_preheated_when_the_cavity_dips():
    reader = OvenStates()
    assert reader.read(_at(oven_payload("v2-cooking"), 150, 0), NOW).phase is CookerPhase.PREHEATING
    assert reader.read(_at(oven_payload("v2-cooking"), 200, 2), NOW).phase is CookerPhase.COOKING
    dipped = reader.read(_at(oven_payload("v2-cooking"), 180, 4), NOW)  # door opened to load
    assert dipped.phase is CookerPhase.COOKING
    assert dipped.preheated


def test_a_new_cook_or_a_forgotten_oven_preheats_again():
    reader = OvenStates()
    reader.read(_at(oven_payload("v2-cooking"), 200, 0), NOW)
    other = _at(oven_payload("v2-cooking"), 180, 2)
    other["state"]["cook"]["cookId"] = "android-another"
    assert reader.read(other, NOW).phase is CookerPhase.PREHEATING
    reader.read(_at(oven_payload("v2-cooking"), 200, 4), NOW)
    reader.keep_only(set())
    assert reader.read(_at(oven_payload("v2-cooking"), 180, 6), NOW).phase is (
        CookerPhase.PREHEATING
    )


def test_v1_preheat_stage_that_reached_its_setpoint_carries_into_its_cook_stage():
    reader = OvenStates()
    hot = _at(oven_payload("v1-preheat"), 204.5, 0)
    assert reader.read(hot, NOW).phase is CookerPhase.PREHEATING  # still the preheat stage
    cook_stage = _at(oven_payload("v1-preheat"), 190, 3)
    cook_stage["state"]["cook"]["stages"].reverse()  # no preheat before it: only memory tells
    cook_stage["state"]["cook"]["activeStageIndex"] = 0
    cook_stage["state"]["cook"]["activeStageId"] = "cccccccc-0000-4000-8000-000000000002"
    state = reader.read(cook_stage, NOW)
    assert state.stage is not None
    assert state.stage.kind is StageKind.COOK
    assert state.phase is CookerPhase.COOKING
