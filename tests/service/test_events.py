"""Cook events derived from state transitions (CONTRACT §5)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bridge.anova.state import Alarms, CookerPhase, CookerState, CookInfo
from bridge.service.events import derive_events


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


def test_an_alarm_mid_cook_is_only_an_alarm_not_a_stop_and_a_start() -> None:
    calm = state(CookerPhase.COOKING)
    dry = state(CookerPhase.COOKING, low_water=True)
    assert names(calm, dry) == ["alarm"]
    assert names(dry, calm) == ["alarm_cleared"]
    assert names(dry, state(CookerPhase.IDLE, low_water=True)) == ["cook_stopped"]
