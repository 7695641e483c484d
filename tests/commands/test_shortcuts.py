"""The ``set/<field>`` shortcut topics Home Assistant publishes to."""

from __future__ import annotations

import pytest

from bridge.commands import (
    SetFoodCommand,
    SetTemperatureCommand,
    SetTimerCommand,
    SetUnitCommand,
    StartCommand,
    StopCommand,
    parse_shortcut,
    shortcut_action,
)
from bridge.errors import CommandError, ErrorCode

STORED_START = StartCommand(temperature_c=None, unit="C", timer_s=None)


@pytest.mark.parametrize(
    ("field", "payload", "expected"),
    [
        ("target_temperature", b"60.0", SetTemperatureCommand(temperature_c=60.0, unit="C")),
        ("target_temperature", b" 60.5\n", SetTemperatureCommand(temperature_c=60.5, unit="C")),
        ("target_temperature", b"-1", SetTemperatureCommand(temperature_c=-1.0, unit="C")),
        ("timer", b"90", SetTimerCommand(timer_s=5400)),
        ("timer", b"90.0", SetTimerCommand(timer_s=5400)),
        ("timer", b"0", SetTimerCommand(timer_s=0)),
        ("timer", b"1h30m", SetTimerCommand(timer_s=5400)),
        ("timer", b"1:30", SetTimerCommand(timer_s=5400)),
        ("mode", b"heat", STORED_START),
        ("mode", b"HEAT ", STORED_START),
        ("mode", b"off", StopCommand(if_cooking=True)),
        ("start", b"", STORED_START),
        ("start", b"\xff\x00 anything", STORED_START),
        ("stop", b"PRESS", StopCommand()),
        ("unit", b"F", SetUnitCommand(unit="F")),
        ("unit", b"c", SetUnitCommand(unit="C")),
        (
            "food_type",
            b" chicken thighs\n",
            SetFoodCommand(food_type="chicken thighs", fields=("food_type",)),
        ),
        ("food_type", b"not set", SetFoodCommand(food_type=None, fields=("food_type",))),
        ("thickness_mm", b"30.0", SetFoodCommand(thickness_mm=30.0, fields=("thickness_mm",))),
        ("thickness_mm", b"0", SetFoodCommand(thickness_mm=None, fields=("thickness_mm",))),
        ("thickness_mm", b"", SetFoodCommand(thickness_mm=None, fields=("thickness_mm",))),
    ],
)
def test_shortcuts(field: str, payload: bytes, expected: object) -> None:
    assert parse_shortcut(field, payload, retained=False, default_unit="C") == expected


def test_shortcut_temperature_uses_the_configured_unit() -> None:
    cmd = parse_shortcut("target_temperature", b"140", retained=False, default_unit="F")
    assert cmd == SetTemperatureCommand(temperature_c=60.0, unit="F")


@pytest.mark.parametrize(
    ("field", "payload", "code"),
    [
        ("target_temperature", b"hot", ErrorCode.INVALID_FIELD),
        ("target_temperature", b"nan", ErrorCode.INVALID_FIELD),
        ("target_temperature", b"inf", ErrorCode.INVALID_FIELD),
        ("target_temperature", b"1e999", ErrorCode.INVALID_FIELD),
        ("target_temperature", b"1_000", ErrorCode.INVALID_FIELD),
        ("target_temperature", b"", ErrorCode.INVALID_FIELD),
        ("target_temperature", b"\xff", ErrorCode.INVALID_PAYLOAD),
        ("timer", b"-5", ErrorCode.INVALID_FIELD),
        ("timer", b"later", ErrorCode.INVALID_FIELD),
        ("mode", b"cool", ErrorCode.INVALID_FIELD),
        ("unit", b"K", ErrorCode.INVALID_FIELD),
        ("temperature", b"60", ErrorCode.UNKNOWN_ACTION),
        ("\ud800" * 100, b"60", ErrorCode.UNKNOWN_ACTION),
        ("stop", b"x" * 70_000, ErrorCode.PAYLOAD_TOO_LARGE),
    ],
)
def test_shortcut_refusals(field: str, payload: bytes, code: ErrorCode) -> None:
    with pytest.raises(CommandError) as caught:
        parse_shortcut(field, payload, retained=False, default_unit="C")
    assert caught.value.code is code
    if caught.value.field is not None:
        caught.value.field.encode()  # always encodable for the JSON answer


def test_retained_shortcut_is_refused_first() -> None:
    with pytest.raises(CommandError) as caught:
        parse_shortcut("nonsense", b"x" * 70_000, retained=True, default_unit="C")
    assert caught.value.code is ErrorCode.RETAINED_COMMAND_REJECTED


@pytest.mark.parametrize(
    ("field", "payload", "action"),
    [
        ("target_temperature", b"x", "set_temperature"),
        ("timer", b"", "set_timer"),
        ("mode", b"heat", "start"),
        ("mode", b"off", "stop"),
        ("mode", b"cool", None),
        ("unit", b"", "set_unit"),
        ("bogus", b"", None),
    ],
)
def test_shortcut_action(field: str, payload: bytes, action: str | None) -> None:
    assert shortcut_action(field, payload) == action


@pytest.mark.parametrize(
    ("field", "payload"),
    [
        ("thickness_mm", b"-5"),
        ("thickness_mm", b"thick"),
        ("thickness_mm", b"nan"),
        ("food_type", b"x" * 101),
        ("food_type", b"chicken\x00"),
    ],
)
def test_bad_food_shortcuts_are_refused_with_the_field(field: str, payload: bytes) -> None:
    with pytest.raises(CommandError) as caught:
        parse_shortcut(field, payload, retained=False, default_unit="C")
    assert caught.value.code is ErrorCode.INVALID_FIELD
    assert caught.value.field == field
    assert shortcut_action(field, payload) == "set_food"
