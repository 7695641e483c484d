"""Home Assistant's anova-wifi 2.0 drives every cooker type the simulator offers.

anova-wifi is the reference third-party client (anova-api.md, "Commands"):
what it reads and sends is what the real cloud speaks. Here it sees every
cooker, parses every state of a whole cook (idle, preheating, cooking,
maintaining, stopped), and its ``start_cook``, ``update_running_cook`` and
``stop_cook`` reach the simulated cookers. Two limits are the library's own
and are pinned here so a change shows: it parses gen 3 states only for
``a6``/``a7`` (the driver runs its gen 3 parser on ``a8``/``a9`` pushes
itself), and so it refuses ``update_running_cook`` on those two, having no
state that says they cook.
"""

from __future__ import annotations

from typing import Any

import pytest

from bridge.simulator import CloudSimulator
from tests.anovawifi.conftest import TYPES

pytestmark = pytest.mark.integration

Driven = tuple[dict[str, Any], CloudSimulator]
UNPARSED_BY_LIBRARY = {"a8", "a9"}
STEPS = ["idle", "started", "cooking", "updated", "maintaining", "stopped"]
# What the library calls each step, by the field it reports it in.
GEN2_STATES = ["no_state", "preheating", "cooking", "cooking", "maintaining", "no_state"]
GEN3_STATES = ["no_state", "preheating", "cooking", "cooking", "timer_expired", "no_state"]
A3_STAGES = ["no_state", "heating", "cooking", "cooking", "keeping_warm", "no_state"]
COOKING = [False, True, True, True, True, False]
TARGETS = [60.0, 60.0, 60.0, 61.5, 61.5, 61.5]


def device(driven: Driven, cooker_type: str) -> dict[str, Any]:
    report, _ = driven
    return next(d for d in report["devices"] if d["type"] == cooker_type)


def seen_by_library(run: dict[str, Any], step: str) -> dict[str, Any]:
    """The library's parse of the step's state (its own, or its gen 3 parser's)."""
    found = run["steps"][step]
    parse: dict[str, Any] = found["library"] or found["gen3_parser"]
    return parse


def test_the_library_sees_every_cooker_and_its_listener_survives(driven: Driven) -> None:
    report, sim = driven
    seen = {(d["cooker_id"], d["type"], d["name"]) for d in report["devices"]}
    assert seen == {(c.cooker_id, c.type, c.name) for c in sim.cookers}
    assert sorted(d["type"] for d in report["devices"]) == sorted(TYPES)
    assert report["listener_error"] is None, "a push crashed anova-wifi's message listener"


@pytest.mark.parametrize("cooker_type", TYPES)
def test_every_state_of_a_cook_parses(driven: Driven, cooker_type: str) -> None:
    run = device(driven, cooker_type)
    steps = [s for s in STEPS if cooker_type not in UNPARSED_BY_LIBRARY or s != "updated"]
    assert list(run["steps"]) == steps
    for step in steps:
        index = STEPS.index(step)
        parse = seen_by_library(run, step)
        assert parse["binary_sensor"]["cooking"] is COOKING[index], step
        assert parse["sensor"]["target_temperature"] == pytest.approx(
            TARGETS[index] if cooker_type not in UNPARSED_BY_LIBRARY else 60.0
        ), step
        assert _stage(cooker_type, parse) == _expected_stage(cooker_type, index), step
        assert parse["sensor"]["firmware_version"], step


def _stage(cooker_type: str, parse: dict[str, Any]) -> str:
    return str(parse["sensor"]["a3_state" if cooker_type == "a3" else "state"])


def _expected_stage(cooker_type: str, index: int) -> str:
    if cooker_type == "a3":
        return A3_STAGES[index]
    return (GEN2_STATES if cooker_type in {"a4", "a5", "pro"} else GEN3_STATES)[index]


@pytest.mark.parametrize("cooker_type", sorted(set(TYPES) - UNPARSED_BY_LIBRARY))
def test_start_update_and_stop_reach_the_cooker(driven: Driven, cooker_type: str) -> None:
    run = device(driven, cooker_type)
    assert run["errors"] == {}
    assert _commands(driven, run) == [
        ("CMD_APC_START", {"targetTemperature": 60.0, "unit": "C", "timer": 600}),
        ("CMD_APC_SET_TARGET_TEMP", {"targetTemperature": 61.5, "unit": "C"}),
        ("CMD_APC_SET_TIMER", {"timer": 900}),
        ("CMD_APC_STOP", {}),
    ]
    maintaining = seen_by_library(run, "maintaining")["sensor"]
    assert maintaining["cook_time"] in (900, None)  # the a3 reports no timer length


@pytest.mark.parametrize("cooker_type", sorted(UNPARSED_BY_LIBRARY))
def test_types_the_library_does_not_parse_still_start_and_stop(
    driven: Driven, cooker_type: str
) -> None:
    run = device(driven, cooker_type)
    assert set(run["errors"]) == {"update_running_cook"}
    assert run["errors"]["update_running_cook"].startswith("NoActiveCookError")
    assert [name for name, _ in _commands(driven, run)] == ["CMD_APC_START", "CMD_APC_STOP"]


def _commands(driven: Driven, run: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """What reached the simulator for this cooker, each answered ok and applied."""
    _, sim = driven
    mine = [c for c in sim.received_commands if c.payload.get("cookerId") == run["cooker_id"]]
    assert all((c.status, c.applied, c.payload["type"]) == ("ok", True, run["type"]) for c in mine)
    skip = {"cookerId", "type"}
    return [(c.command, {k: v for k, v in c.payload.items() if k not in skip}) for c in mine]
