"""The executor's device-state rules, through the real pipeline with a fake cloud.

What a user sees: the response (status, code, data, warnings), the event
Home Assistant reads, and whether anything reached the cloud.
"""

from __future__ import annotations

from pathlib import Path

from bridge.anova.commands import SetTimer, SetUnit, StartCook, StopCook
from bridge.errors import AnovaRejectedError
from tests.service.pipeline_rig import COOKING, IDLE, OFFLINE, Rig


async def test_an_idle_setpoint_is_kept_for_the_next_start_without_a_cloud_call(
    tmp_path: Path,
) -> None:
    rig = Rig(tmp_path)
    rig.add_cooker(IDLE)
    rig.send(b"57.5", field="target_temperature")
    rig.send(b"90", field="timer")
    rig.send(b"heat", field="mode")
    stored_target, stored_timer, started = await rig.answered(3)
    assert stored_target["data"] == {"target_temperature": 57.5, "unit": "C", "stored": True}
    assert stored_timer["data"]["stored"] is True
    assert started["status"] == "ok"
    assert rig.cloud.sent == [StartCook("c1", 57.5, 5400, "C")], "one call: the start"


async def test_each_device_state_refusal_has_its_code_and_an_event_twin(tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    rig.add_cooker(COOKING)
    rig.send({"action": "start", "temperature": 60, "request_id": "busy"})
    [busy] = await rig.answered(1)
    assert busy["error"]["code"] == "DEVICE_BUSY"
    assert [(e["event"], e["code"]) for e in rig.events()] == [("command_refused", "DEVICE_BUSY")]
    assert rig.cloud.sent == []


async def test_an_offline_cooker_gets_nothing_sent(tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    rig.add_cooker(OFFLINE)
    rig.send({"action": "set_unit", "unit": "F", "request_id": "u"})
    rig.send({"action": "stop", "request_id": "s"})
    answers = await rig.answered(2)
    assert [a["error"]["code"] for a in answers] == ["DEVICE_OFFLINE", "DEVICE_OFFLINE"]
    assert rig.cloud.sent == []


async def test_stopping_an_idle_cooker_is_strict_in_json_and_lenient_from_the_thermostat(
    tmp_path: Path,
) -> None:
    rig = Rig(tmp_path)
    rig.add_cooker(IDLE)
    rig.send({"action": "stop", "request_id": "json-stop"})
    rig.send(b"off", field="mode")
    strict, lenient = await rig.answered(2)
    assert strict["error"]["code"] == "NO_ACTIVE_COOK"
    assert lenient["status"] == "ok"
    assert lenient["warnings"] == ["Sous Vide was not cooking; nothing to stop."]
    assert rig.cloud.sent == []


async def test_a_running_cook_takes_changes_at_the_cloud(tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    rig.add_cooker(COOKING)
    rig.send({"action": "set_timer", "duration": "1h", "request_id": "t"})
    rig.send({"action": "set_unit", "unit": "F", "request_id": "u"})
    rig.send({"action": "stop", "request_id": "s"})
    answers = await rig.answered(3)
    assert [a["status"] for a in answers] == ["ok", "ok", "ok"]
    assert rig.cloud.sent == [SetTimer("c1", 3600), SetUnit("c1", "F"), StopCook("c1")]


async def test_an_unconfirmed_change_is_ok_with_a_warning_and_a_warnings_event(
    tmp_path: Path,
) -> None:
    rig = Rig(tmp_path)
    rig.add_cooker(COOKING)
    rig.cloud.confirmed = False
    rig.send({"action": "set_unit", "unit": "F", "request_id": "u"})
    [answer] = await rig.answered(1)
    assert answer["status"] == "ok"
    assert "did not show it applied" in answer["warnings"][0]
    assert [e["event"] for e in rig.events()] == ["command_warnings"]


async def test_a_cloud_refusal_is_answered_with_its_code(tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    rig.add_cooker(COOKING)
    rig.cloud.failure = AnovaRejectedError("failed to process command")
    rig.send({"action": "stop", "request_id": "s"})
    [answer] = await rig.answered(1)
    assert answer["error"]["code"] == "ANOVA_REJECTED"
    assert rig.events()[-1]["event"] == "command_refused"


async def test_an_unsafe_start_is_refused_before_the_cloud(tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    rig.add_cooker(IDLE)
    start = {"action": "start", "temperature": 55, "food_type": "chicken", "request_id": "c"}
    rig.send(start)
    [answer] = await rig.answered(1)
    assert answer["error"]["code"] == "POULTRY_TEMP_UNSAFE"
    assert rig.cloud.sent == []
