"""An oven's JSON ``set`` command: what is accepted, the defaults, and the order of checks."""

from __future__ import annotations

import json

import pytest

from bridge.anova.oven_model import HeatingElements, OvenMode, OvenPlan, OvenStage, TimerStart
from bridge.commands import (
    MAX_PAYLOAD_BYTES,
    SetFoodCommand,
    SetTemperatureCommand,
    SetTimerCommand,
    SetUnitCommand,
    StopCommand,
    peek_request_id,
)
from bridge.commands.oven_json import (
    OVEN_ACTION_FIELDS,
    parse_oven_set_payload,
    peek_oven_action,
)
from bridge.commands.oven_models import NextStage, OvenCommand, OvenStartCommand
from bridge.commands.oven_models import SetNextStageCommand as NextCmd
from bridge.contract import OVEN_ACTIONS
from bridge.errors import CommandError

REAR = HeatingElements()


def parse(payload: bytes | str | dict[str, object], *, unit: str = "C") -> OvenCommand:
    if isinstance(payload, dict):
        payload = json.dumps(payload)
    if isinstance(payload, str):
        payload = payload.encode()
    return parse_oven_set_payload(payload, retained=False, default_unit=unit)  # type: ignore[arg-type]


def plan_of(document: dict[str, object], **kwargs: str) -> OvenPlan:
    command = parse({"action": "start", **document}, **kwargs)
    assert isinstance(command, OvenStartCommand)
    assert command.plan is not None
    return command.plan


def test_a_quick_start_takes_the_defaults_a_cook_expects() -> None:
    command = parse({"action": "start", "temperature": 200, "duration": "30m"})
    assert command == OvenStartCommand(
        plan=OvenPlan(stages=(OvenStage(mode=OvenMode.DRY, temperature_c=200.0, timer_s=1800),)),
        unit="C",
    )
    (stage,) = plan_of({"temperature": 200}).stages
    defaults = (REAR, 100, None, None, TimerStart.WHEN_PREHEATED, True, None, None, None)
    assert (
        stage.elements, stage.fan_speed, stage.timer_s, stage.probe_c, stage.timer_start,
        stage.preheat, stage.steam_percent, stage.rack_position, stage.title,
    ) == defaults  # fmt: skip


def test_a_quick_start_with_every_field() -> None:
    command = parse(
        {
            "action": "start",
            "mode": "steam",
            "temperature": 392,
            "unit": "F",
            "steam_percent": 30,
            "elements": ["top", "rear"],
            "fan_speed": 67,
            "time_minutes": 20,
            "timer_start": "immediately",
            "preheat": False,
            "rack_position": 3,
            "title": " Bread ",
            "food_type": "sourdough",
            "thickness_mm": 80,
            "replace": True,
            "request_id": "r-1",
        }
    )
    stage = OvenStage(
        mode=OvenMode.STEAM, temperature_c=200.0, steam_percent=30,
        elements=HeatingElements(top=True, rear=True), fan_speed=67, timer_s=1200,
        timer_start=TimerStart.IMMEDIATELY, preheat=False, rack_position=3, title="Bread",
    )  # fmt: skip
    plan = OvenPlan(stages=(stage,), food_type="sourdough", thickness_mm=80.0)
    assert command == OvenStartCommand(plan=plan, unit="F", replace=True, request_id="r-1")


def test_the_configured_unit_applies_to_temperature_and_probe() -> None:
    (stage,) = plan_of({"temperature": 350, "probe_temperature": 140}, unit="F").stages
    assert (stage.temperature_c, stage.probe_c, stage.timer_s) == (176.67, 60.0, None)


@pytest.mark.parametrize(
    ("elements", "expected"),
    [
        ("rear", HeatingElements(rear=True)),
        ("top", HeatingElements(top=True, rear=False)),
        ("bottom", HeatingElements(bottom=True, rear=False)),
        ("top_rear", HeatingElements(top=True, rear=True)),
        ("bottom_rear", HeatingElements(bottom=True, rear=True)),
        ("Top_Bottom", HeatingElements(top=True, bottom=True, rear=False)),
        (["rear", "bottom"], HeatingElements(bottom=True, rear=True)),
        (["top"], HeatingElements(top=True, rear=False)),
    ],
)
def test_elements_as_a_preset_or_a_list(elements: object, expected: HeatingElements) -> None:
    assert plan_of({"temperature": 100, "elements": elements}).stages[0].elements == expected


def test_wet_mode_and_a_zero_timer_mean_sous_vide_without_a_timer() -> None:
    (stage,) = plan_of({"mode": "WET", "temperature": 60, "time_minutes": 0}).stages
    assert (stage.mode, stage.timer_s, stage.title) == (OvenMode.WET, None, None)


def test_a_two_stage_plan_proof_then_bake() -> None:
    plan = plan_of(
        {
            "stages": [
                {"mode": "steam", "temperature": 35, "steam_percent": 100, "duration": "45m",
                 "title": "Proof"},
                {"temperature": 200, "time_minutes": 30, "timer_start": "manual"},
            ],
            "food_type": "bread",
        }
    )  # fmt: skip
    proof, bake = plan.stages
    assert (proof.mode, proof.temperature_c, proof.steam_percent, proof.timer_s) == (
        OvenMode.STEAM,
        35.0,
        100,
        2700,
    )
    assert (bake.mode, bake.temperature_c, bake.timer_s, bake.timer_start) == (
        OvenMode.DRY,
        200.0,
        1800,
        TimerStart.MANUAL,
    )
    assert plan.food_type == "bread"


def test_a_plan_in_fahrenheit_converts_every_stage() -> None:
    stages = [{"temperature": 212}, {"temperature": 350, "probe_temperature": 165}]
    plan = plan_of({"stages": stages, "unit": "F"})
    assert [(s.temperature_c, s.probe_c) for s in plan.stages] == [(100.0, None), (176.67, 73.89)]


def test_twenty_stages_are_a_plan() -> None:
    assert len(plan_of({"stages": [{"temperature": 100}] * 20}).stages) == 20


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"action": "stop", "request_id": "r"}, StopCommand(request_id="r")),
        (
            {"action": "set_temperature", "temperature": 392, "unit": "F"},
            SetTemperatureCommand(temperature_c=200.0, unit="F"),
        ),
        ({"action": "set_timer", "duration": "1h"}, SetTimerCommand(timer_s=3600)),
        ({"action": "set_timer", "time_minutes": 0}, SetTimerCommand(timer_s=0)),
        ({"action": "set_unit", "unit": "f"}, SetUnitCommand(unit="F")),
        (
            {"action": "set_food", "food_type": "pork shoulder", "thickness_mm": 90},
            SetFoodCommand(food_type="pork shoulder", thickness_mm=90.0),
        ),
    ],
)
def test_the_actions_shared_with_the_cookers(document: dict[str, object], expected: object) -> None:
    assert parse(document) == expected


@pytest.mark.parametrize(
    ("document", "settings", "fields", "unit"),
    [
        ({"mode": "steam", "steam_percent": 40.0}, NextStage(mode=OvenMode.STEAM, steam_percent=40),
         ("mode", "steam_percent"), "C"),
        ({"probe_temperature": 140, "unit": "F"}, NextStage(probe_c=60.0), ("probe_c",), "F"),
        ({"probe_temperature": 0}, NextStage(), ("probe_c",), "C"),
        ({"probe_temperature": None}, NextStage(), ("probe_c",), "C"),
        ({"steam_percent": 0}, NextStage(), ("steam_percent",), "C"),
        ({"elements": "top_bottom", "fan_speed": 0},
         NextStage(elements=HeatingElements(top=True, bottom=True, rear=False), fan_speed=0),
         ("elements", "fan_speed"), "C"),
        ({"preheat": False, "timer_start": "immediately"},
         NextStage(preheat=False, timer_start=TimerStart.IMMEDIATELY),
         ("timer_start", "preheat"), "C"),
        ({"mode": None}, NextStage(), ("mode",), "C"),
    ],
)  # fmt: skip
def test_set_next_stage_names_the_fields_it_sets(
    document: dict[str, object], settings: NextStage, fields: tuple[str, ...], unit: str
) -> None:
    command = parse({"action": "set_next_stage", **document, "request_id": "n"})
    assert command == NextCmd(settings=settings, fields=fields, unit=unit, request_id="n")  # type: ignore[arg-type]


def test_set_next_stage_defaults_to_the_configured_unit() -> None:
    command = parse({"action": "set_next_stage", "probe_temperature": 165}, unit="F")
    assert command == NextCmd(settings=NextStage(probe_c=73.89), fields=("probe_c",), unit="F")


def test_every_oven_action_has_a_row() -> None:
    assert tuple(OVEN_ACTION_FIELDS) == OVEN_ACTIONS


@pytest.mark.parametrize(
    ("payload", "action"),
    [
        (b'{"action": "set_next_stage", "x": 1}', "set_next_stage"),
        (b'{"action": "start"}', "start"),
        (b'{"action": "boom"}', None),
        (b"[", None),
    ],
)
def test_peek_oven_action(payload: bytes, action: str | None) -> None:
    assert peek_oven_action(payload) == action


def test_peek_request_id_reads_an_oven_payload_too() -> None:
    payload = b'{"action": "start", "stages": [{"temperature": "hot"}], "request_id": "p-1"}'
    with pytest.raises(CommandError):
        parse(payload)
    assert peek_request_id(payload) == "p-1"


def test_a_padded_payload_at_the_size_limit_is_read() -> None:
    assert parse(b'{"action": "stop"}'.ljust(MAX_PAYLOAD_BYTES)) == StopCommand()
