"""Cook events derived from state transitions (CONTRACT §5)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bridge.anova.state import Alarms, CookerPhase, CookerState, CookInfo
from bridge.contract import EVENT_TYPES
from bridge.service.events import derive_events, refused_event, warnings_event
from bridge.service.payloads import event_payload


def state(phase: CookerPhase, *, cook_id: str | None = "cook-1", **alarms: bool) -> CookerState:
    cook = CookInfo(id=cook_id, started_at=datetime(2026, 11, 23, tzinfo=UTC)) if cook_id else None
    active = phase in {CookerPhase.PREHEATING, CookerPhase.COOKING, CookerPhase.MAINTAINING}
    return CookerState(
        cooker_id="c1",
        type="a7",
        phase=phase,
        cook=cook if active else None,
        alarms=Alarms(**alarms),
    )


def names(previous: CookerState | None, current: CookerState) -> list[str]:
    return [event.name for event in derive_events(previous, current)]


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (CookerPhase.IDLE, CookerPhase.PREHEATING, ["cook_started"]),
        (CookerPhase.PREHEATING, CookerPhase.COOKING, ["preheat_complete"]),
        (CookerPhase.COOKING, CookerPhase.MAINTAINING, ["cook_complete"]),
        (CookerPhase.PREHEATING, CookerPhase.MAINTAINING, ["preheat_complete", "cook_complete"]),
        (CookerPhase.COOKING, CookerPhase.IDLE, ["cook_stopped"]),
        (CookerPhase.MAINTAINING, CookerPhase.IDLE, ["cook_stopped"]),
        (CookerPhase.IDLE, CookerPhase.OFFLINE, ["device_offline"]),
        (CookerPhase.OFFLINE, CookerPhase.IDLE, ["device_online"]),
        (CookerPhase.COOKING, CookerPhase.COOKING, []),
        (CookerPhase.IDLE, CookerPhase.IDLE, []),
    ],
)
def test_phase_transitions_produce_the_contract_events(before, after, expected) -> None:
    assert names(state(before), state(after)) == expected


def test_first_sight_of_a_cooker_is_not_an_event() -> None:
    assert names(None, state(CookerPhase.COOKING)) == []


def test_events_carry_the_cook_id_of_the_cook_they_belong_to() -> None:
    stopped = derive_events(state(CookerPhase.COOKING, cook_id="abc"), state(CookerPhase.IDLE))
    assert stopped[0].cook_id == "abc"


def test_a_new_cook_replacing_a_running_one_is_announced() -> None:
    events = derive_events(
        state(CookerPhase.COOKING, cook_id="old"), state(CookerPhase.PREHEATING, cook_id="new")
    )
    assert [(e.name, e.cook_id) for e in events] == [("cook_started", "new")]


def test_alarm_raised_and_cleared_name_the_alarm() -> None:
    calm = state(CookerPhase.COOKING)
    dry = state(CookerPhase.COOKING, low_water=True)
    raised = derive_events(calm, dry)
    cleared = derive_events(dry, calm)
    assert [(e.name, e.details) for e in raised] == [("alarm", {"alarm": "low_water"})]
    assert [(e.name, e.details) for e in cleared] == [("alarm_cleared", {"alarm": "low_water"})]


def test_going_offline_mid_cook_is_not_reported_as_a_stop() -> None:
    assert names(state(CookerPhase.COOKING), state(CookerPhase.OFFLINE)) == ["device_offline"]
    assert names(state(CookerPhase.OFFLINE), state(CookerPhase.COOKING)) == ["device_online"]


def test_a_refused_command_becomes_an_event_with_its_code_and_reason() -> None:
    event = refused_event(
        state(CookerPhase.COOKING), action="set_temperature", request_id=None,
        code="POULTRY_TEMP_UNSAFE", message="55.0 °C is below 57 °C …", field="temperature",
    )  # fmt: skip
    body = event_payload(event.name, cook_id=event.cook_id, **event.details)
    assert body["event"] == "command_refused"
    assert body["event"] in EVENT_TYPES  # Home Assistant drops event types it was not told
    assert body["cook_id"] == "cook-1"
    assert {k: body[k] for k in ("action", "code", "field", "message")} == {
        "action": "set_temperature", "code": "POULTRY_TEMP_UNSAFE", "field": "temperature",
        "message": "55.0 °C is below 57 °C …",
    }  # fmt: skip


def test_warnings_become_an_event_listing_them() -> None:
    event = warnings_event(None, action="start", request_id="r", warnings=["a", "b"])
    assert (event.name, event.cook_id) == ("command_warnings", None)
    assert event.name in EVENT_TYPES
    assert event.details == {"action": "start", "request_id": "r", "warnings": ["a", "b"]}


def test_an_alarm_mid_cook_is_only_an_alarm_not_a_stop_and_a_start() -> None:
    calm = state(CookerPhase.COOKING)
    dry = state(CookerPhase.COOKING, low_water=True)
    assert names(calm, dry) == ["alarm"]
    assert names(dry, calm) == ["alarm_cleared"]
    assert names(dry, state(CookerPhase.IDLE, low_water=True)) == ["cook_stopped"]
