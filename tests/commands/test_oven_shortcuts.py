"""An oven's ``set/<field>`` shortcut topics, as Home Assistant's entities publish them."""

from __future__ import annotations

import pytest

from bridge.anova.oven_model import HeatingElements, OvenMode, TimerStart
from bridge.commands import (
    SetFoodCommand,
    SetTemperatureCommand,
    SetTimerCommand,
    SetUnitCommand,
    StopCommand,
)
from bridge.commands.oven_models import NextStage, OvenStartCommand
from bridge.commands.oven_models import SetNextStageCommand as NextCmd
from bridge.commands.oven_shortcuts import oven_shortcut_action, parse_oven_shortcut
from bridge.contract import OVEN_ACTIONS, OVEN_SHORTCUT_FIELDS
from bridge.errors import CommandError, ErrorCode

KEPT_START = OvenStartCommand(plan=None, unit="C")


def parse(field: str, payload: bytes, unit: str = "C") -> object:
    return parse_oven_shortcut(field, payload, retained=False, default_unit=unit)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "payload", "expected"),
    [
        ("target_temperature", b"200.0", SetTemperatureCommand(temperature_c=200.0, unit="C")),
        ("timer", b"30.0", SetTimerCommand(timer_s=1800)),
        ("timer", b"1h", SetTimerCommand(timer_s=3600)),
        ("mode", b"heat", KEPT_START),
        ("mode", b" Heat\n", KEPT_START),
        ("mode", b"off", StopCommand(if_cooking=True)),
        ("start", b"PRESS", KEPT_START),
        ("stop", b"", StopCommand()),
        ("unit", b"F", SetUnitCommand(unit="F")),
        ("food_type", b"baguette", SetFoodCommand(food_type="baguette", fields=("food_type",))),
        ("thickness_mm", b"40.0", SetFoodCommand(thickness_mm=40.0, fields=("thickness_mm",))),
        ("oven_mode", b"steam", NextCmd(settings=NextStage(mode=OvenMode.STEAM), fields=("mode",))),
        ("oven_mode", b"WET ", NextCmd(settings=NextStage(mode=OvenMode.WET), fields=("mode",))),
        ("steam_percent", b"30.0",
         NextCmd(settings=NextStage(steam_percent=30), fields=("steam_percent",))),
        ("steam_percent", b"100", NextCmd(settings=NextStage(steam_percent=100),
                                          fields=("steam_percent",))),
        ("steam_percent", b"0", NextCmd(settings=NextStage(), fields=("steam_percent",))),
        ("steam_percent", b"", NextCmd(settings=NextStage(), fields=("steam_percent",))),
        ("probe_target", b"63.5", NextCmd(settings=NextStage(probe_c=63.5), fields=("probe_c",))),
        ("probe_target", b"0.0", NextCmd(settings=NextStage(), fields=("probe_c",))),
        ("probe_target", b"", NextCmd(settings=NextStage(), fields=("probe_c",))),
        ("elements", b"bottom_rear",
         NextCmd(settings=NextStage(elements=HeatingElements(bottom=True)), fields=("elements",))),
        ("fan_speed", b"0", NextCmd(settings=NextStage(fan_speed=0), fields=("fan_speed",))),
        ("fan_speed", b"67.0", NextCmd(settings=NextStage(fan_speed=67), fields=("fan_speed",))),
        ("timer_start", b"when_preheated",
         NextCmd(settings=NextStage(timer_start=TimerStart.WHEN_PREHEATED),
                 fields=("timer_start",))),
    ],
)  # fmt: skip
def test_shortcuts(field: str, payload: bytes, expected: object) -> None:
    assert parse(field, payload) == expected


def test_temperatures_are_in_the_configured_unit() -> None:
    assert parse("probe_target", b"145", "F") == NextCmd(
        settings=NextStage(probe_c=62.78), fields=("probe_c",), unit="F"
    )
    assert parse("target_temperature", b"392", "F") == SetTemperatureCommand(
        temperature_c=200.0, unit="F"
    )
    assert parse("start", b"", "F") == OvenStartCommand(plan=None, unit="F")


def test_zero_fahrenheit_clears_the_probe_target_too() -> None:
    # The number typed is what clears, not a temperature that converts to 0 °C.
    assert parse("probe_target", b"0", "F") == NextCmd(
        settings=NextStage(), fields=("probe_c",), unit="F"
    )


@pytest.mark.parametrize(
    ("field", "payload", "code"),
    [
        ("oven_mode", b"grill", ErrorCode.INVALID_FIELD),
        ("oven_mode", b"", ErrorCode.INVALID_FIELD),
        ("steam_percent", b"101", ErrorCode.INVALID_FIELD),
        ("steam_percent", b"-1", ErrorCode.INVALID_FIELD),
        ("steam_percent", b"30.5", ErrorCode.INVALID_FIELD),
        ("steam_percent", b"nan", ErrorCode.INVALID_FIELD),
        ("probe_target", b"hot", ErrorCode.INVALID_FIELD),
        ("probe_target", b"inf", ErrorCode.INVALID_FIELD),
        ("elements", b"top,rear", ErrorCode.INVALID_FIELD),
        ("elements", b"top_bottom_rear", ErrorCode.INVALID_FIELD),
        ("fan_speed", b"", ErrorCode.INVALID_FIELD),
        ("fan_speed", b"101", ErrorCode.INVALID_FIELD),
        ("fan_speed", b"high", ErrorCode.INVALID_FIELD),
        ("timer_start", b"now", ErrorCode.INVALID_FIELD),
        ("mode", b"bake", ErrorCode.INVALID_FIELD),
        ("timer_start", b"\xff", ErrorCode.INVALID_PAYLOAD),
        ("probe", b"60", ErrorCode.UNKNOWN_ACTION),
        ("fan_speed", b"1" * 70_000, ErrorCode.PAYLOAD_TOO_LARGE),
    ],
)
def test_refusals_name_the_shortcut(field: str, payload: bytes, code: ErrorCode) -> None:
    with pytest.raises(CommandError) as caught:
        parse(field, payload)
    assert caught.value.code is code
    if code is ErrorCode.INVALID_FIELD:
        assert caught.value.field == field
        assert caught.value.message.endswith(".")


def test_retained_is_refused_first() -> None:
    with pytest.raises(CommandError) as caught:
        parse_oven_shortcut("nonsense", b"x" * 70_000, retained=True, default_unit="C")
    assert caught.value.code is ErrorCode.RETAINED_COMMAND_REJECTED


def test_an_unknown_shortcut_lists_the_oven_ones() -> None:
    with pytest.raises(CommandError) as caught:
        parse("steam", b"30")
    assert "set/steam_percent" in caught.value.message


@pytest.mark.parametrize(
    ("field", "payload", "action"),
    [
        ("target_temperature", b"", "set_temperature"),
        ("mode", b"heat", "start"),
        ("mode", b"off", "stop"),
        ("mode", b"bake", None),
        ("start", b"", "start"),
        ("food_type", b"", "set_food"),
        ("oven_mode", b"x", "set_next_stage"),
        ("probe_target", b"", "set_next_stage"),
        ("bogus", b"", None),
    ],
)
def test_shortcut_action(field: str, payload: bytes, action: str | None) -> None:
    assert oven_shortcut_action(field, payload) == action


def test_every_shortcut_stands_for_an_oven_action() -> None:
    for field in OVEN_SHORTCUT_FIELDS:
        assert oven_shortcut_action(field, b"heat") in OVEN_ACTIONS, field
