"""Oven events derived from consecutive oven states (docs/mqtt.md, "Oven events")."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bridge.anova.oven_model import OvenMode, OvenState, Probe, StageKind, StageProgress, WaterTank
from bridge.anova.state import CookerPhase, CookInfo, TimerState
from bridge.contract import OVEN_EVENT_TYPES
from bridge.kinds.oven.events import oven_events

STARTED = datetime(2026, 12, 2, 10, tzinfo=UTC)


def oven(phase: CookerPhase = CookerPhase.COOKING, **changes: Any) -> OvenState:
    """An oven in ``phase``; cooking means stage 1 of 2 of cook ``cook-1`` unless changed."""
    cooking = phase in {CookerPhase.PREHEATING, CookerPhase.COOKING}
    fields: dict[str, Any] = {
        "cooker_id": "0123456789abcdef01",
        "type": "oven_v1",
        "phase": phase,
        "mode": OvenMode.DRY if cooking else None,
        "door_closed": True,
        "cook": CookInfo(id="cook-1", started_at=STARTED) if cooking else None,
        "stage": StageProgress(number=1, count=2) if cooking else None,
        "preheated": phase is CookerPhase.COOKING,
    }
    fields.update(changes)
    return OvenState(**fields)


def names(previous: OvenState | None, current: OvenState) -> list[str]:
    return [event.name for event in oven_events(previous, current)]


def timer(remaining_s: int, *, running: bool = True) -> TimerState:
    return TimerState(total_s=1800, remaining_s=remaining_s, running=running)


def test_every_event_an_oven_derives_is_an_oven_event_type() -> None:
    assert {"cook_started", "stage_started", "timer_done", "probe_target_reached"} <= set(
        OVEN_EVENT_TYPES
    )


def test_first_sight_is_not_an_event() -> None:
    assert names(None, oven()) == []


def test_a_cook_starting_and_its_preheat_ending() -> None:
    idle = oven(CookerPhase.IDLE)
    heating = oven(CookerPhase.PREHEATING)
    assert names(idle, heating) == ["cook_started"]
    assert names(heating, oven(CookerPhase.COOKING)) == ["preheat_complete"]
    assert names(oven(), oven()) == []


def test_a_v1_preheat_stage_giving_way_to_its_cook_stage_is_not_a_new_stage() -> None:
    preheat = oven(
        CookerPhase.PREHEATING, stage=StageProgress(number=1, count=1, kind=StageKind.PREHEAT)
    )
    cook = oven(stage=StageProgress(number=1, count=1, kind=StageKind.COOK))
    assert names(preheat, cook) == ["preheat_complete"]


def test_the_next_stage_is_announced_with_its_number_after_the_timer_that_ended_it() -> None:
    first = oven(timer=timer(2))
    second = oven(stage=StageProgress(number=2, count=2), preheated=False)
    events = oven_events(first, second)
    assert [(e.name, e.details) for e in events] == [
        ("timer_done", {"stage": 1, "count": 2}),
        ("stage_started", {"stage": 2, "count": 2}),
    ]
    assert {e.cook_id for e in events} == {"cook-1"}


def test_a_timer_far_from_its_end_when_the_cook_stops_is_a_stop() -> None:
    assert names(oven(timer=timer(600)), oven(CookerPhase.IDLE)) == ["cook_stopped"]


def test_the_last_stage_running_out_completes_the_cook() -> None:
    last = oven(stage=StageProgress(number=2, count=2), timer=timer(1))
    assert names(last, oven(CookerPhase.IDLE)) == ["timer_done", "cook_complete"]


def test_a_stage_ending_early_in_a_multi_stage_plan_is_a_stop() -> None:
    assert names(oven(timer=timer(1)), oven(CookerPhase.IDLE)) == ["timer_done", "cook_stopped"]


def test_a_v2_timer_completed_in_place_is_announced_once() -> None:
    running = oven(timer=timer(30))
    done = oven(timer=timer(0, running=False), timer_done=True)
    assert names(running, done) == ["timer_done"]
    assert names(done, done) == []


def test_the_probe_reaching_its_target() -> None:
    below = oven(probe=Probe(connected=True, current_c=62.0, target_c=63.0))
    reached = oven(probe=Probe(connected=True, current_c=63.1, target_c=63.0))
    assert names(below, reached) == ["probe_target_reached"]
    assert names(reached, reached) == []


def test_a_probe_stage_ending_between_two_pushes_still_says_the_probe_got_there() -> None:
    nearly = oven(
        stage=StageProgress(number=2, count=2),
        probe=Probe(connected=True, current_c=62.4, target_c=63.0),
    )
    assert names(nearly, oven(CookerPhase.IDLE)) == ["probe_target_reached", "cook_complete"]


def test_door_and_water_tank() -> None:
    closed, opened = oven(), oven(door_closed=False)
    assert names(closed, opened) == ["door_opened"]
    assert names(opened, closed) == ["door_closed"]
    full, empty = oven(), oven(water_tank=WaterTank(empty=True))
    assert names(full, empty) == ["water_tank_empty"]
    assert names(empty, full) == ["water_tank_refilled"]
    assert names(oven(CookerPhase.IDLE), oven(CookerPhase.IDLE, door_closed=False)) == [
        "door_opened"
    ]


def test_a_door_the_oven_does_not_report_is_never_an_event() -> None:
    assert names(oven(door_closed=None), oven(door_closed=True)) == []


def test_a_plan_replaced_mid_cook_starts_a_new_cook() -> None:
    replaced = oven(cook=CookInfo(id="cook-2", started_at=STARTED))
    assert names(oven(timer=timer(900)), replaced) == ["cook_started"]


def test_going_offline_mid_cook_is_not_a_stop() -> None:
    offline = oven(CookerPhase.OFFLINE)
    assert names(oven(), offline) == ["device_offline"]
    assert names(offline, oven()) == ["device_online"]


def test_a_timer_that_ran_out_while_no_push_came_still_counts_as_done() -> None:
    """The bridge was away (or a push was lost): the previous timer was due before this state."""
    ends = datetime(2026, 12, 2, 10, 30, tzinfo=UTC)
    last_seen = oven(
        stage=StageProgress(number=2, count=2),
        timer=timer(600),
        cook=CookInfo(id="cook-1", started_at=STARTED, ends_at=ends),
    )
    later = oven(CookerPhase.IDLE, updated_at=datetime(2026, 12, 2, 10, 31, tzinfo=UTC))
    sooner = oven(CookerPhase.IDLE, updated_at=datetime(2026, 12, 2, 10, 20, tzinfo=UTC))
    assert names(last_seen, later) == ["timer_done", "cook_complete"]
    assert names(last_seen, sooner) == ["cook_stopped"]
