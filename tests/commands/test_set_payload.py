"""The JSON ``set`` command: what is accepted, and every refusal's code and field."""

from __future__ import annotations

import json

import pytest

from bridge.commands import (
    MAX_PAYLOAD_BYTES,
    SetFoodCommand,
    SetTemperatureCommand,
    SetTimerCommand,
    SetUnitCommand,
    StartCommand,
    StopCommand,
    parse_set_payload,
    peek_action,
    peek_request_id,
)
from bridge.errors import CommandError, ErrorCode

S: dict[str, object] = {"action": "start", "temperature": 60}


def parse(payload: bytes | str | dict[str, object], *, retained: bool = False, unit: str = "C"):
    if isinstance(payload, dict):
        payload = json.dumps(payload)
    if isinstance(payload, str):
        payload = payload.encode()
    return parse_set_payload(payload, retained=retained, default_unit=unit)  # type: ignore[arg-type]


def refusal(payload: bytes | str | dict[str, object], **kwargs: object) -> CommandError:
    with pytest.raises(CommandError) as caught:
        parse(payload, **kwargs)  # type: ignore[arg-type]
    assert caught.value.message.endswith(".")
    return caught.value


def test_contract_example_start() -> None:
    cmd = parse(
        '{"action": "start", "temperature": 60.5, "unit": "C", "duration": "1h30m",'
        ' "food_type": "chicken breast", "request_id": "abc-123"}'
    )
    assert cmd == StartCommand(
        temperature_c=60.5,
        unit="C",
        timer_s=5400,
        food_type="chicken breast",
        request_id="abc-123",
    )


def test_start_in_fahrenheit_with_minutes_thickness_and_replace() -> None:
    cmd = parse(
        {
            "action": "start",
            "temperature": 131.5,
            "unit": "f",
            "time_minutes": 90,
            "thickness_mm": 30,
            "replace": True,
        }
    )
    assert isinstance(cmd, StartCommand)
    assert (cmd.temperature_c, cmd.unit, cmd.timer_s) == (55.28, "F", 5400)
    assert (cmd.thickness_mm, cmd.replace) == (30.0, True)


def test_start_defaults_to_configured_unit_and_no_timer() -> None:
    cmd = parse({"action": "start", "temperature": 140, "food_type": "  ", "duration": None})
    assert isinstance(cmd, StartCommand)
    assert (cmd.temperature_c, cmd.unit, cmd.timer_s, cmd.food_type) == (140.0, "C", 0, None)
    cmd = parse({"action": "start", "temperature": 140}, unit="F")
    assert (cmd.temperature_c, cmd.unit) == (60.0, "F")


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"action": "stop"}, StopCommand()),
        ({"action": "stop", "request_id": "r"}, StopCommand(request_id="r")),
        (
            {"action": "set_temperature", "temperature": 57},
            SetTemperatureCommand(temperature_c=57.0, unit="C"),
        ),
        ({"action": "set_timer", "duration": "PT2H"}, SetTimerCommand(timer_s=7200)),
        ({"action": "set_timer", "time_minutes": 0}, SetTimerCommand(timer_s=0)),
        ({"action": "set_timer", "time_minutes": 1.5}, SetTimerCommand(timer_s=90)),
        ({"action": "set_unit", "unit": "F"}, SetUnitCommand(unit="F")),
        (S | {"food_type": None}, StartCommand(temperature_c=60.0, unit="C")),
        (
            {"action": "set_food", "food_type": " duck ", "thickness_mm": 30},
            SetFoodCommand(food_type="duck", thickness_mm=30.0),
        ),
        ({"action": "set_food"}, SetFoodCommand()),
    ],
)  # fmt: skip
def test_each_action(document: dict[str, object], expected: object) -> None:
    assert parse(document) == expected


NESTED = b'{"action": "stop", "request_id": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"

BAD = ErrorCode.INVALID_FIELD
HUGE_INT = b'{"action": "start", "temperature": 1' + b"0" * 400 + b"}"

REFUSALS: list[tuple[bytes | str | dict[str, object], ErrorCode, str | None]] = [
    (b"\xff\xfe", ErrorCode.INVALID_PAYLOAD, None),
    (b"not json", ErrorCode.INVALID_PAYLOAD, None),
    (b"", ErrorCode.INVALID_PAYLOAD, None),
    (b"[1, 2]", ErrorCode.INVALID_PAYLOAD, None),
    (b'"start"', ErrorCode.INVALID_PAYLOAD, None),
    (b"[" * 50_000, ErrorCode.INVALID_PAYLOAD, None),
    (NESTED[:MAX_PAYLOAD_BYTES], ErrorCode.INVALID_PAYLOAD, None),
    (b'{"action": "stop", "action": "start"}', ErrorCode.INVALID_PAYLOAD, None),
    (b'{"action": "stop", "n": ' + b"9" * 5000 + b"}", ErrorCode.INVALID_PAYLOAD, None),
    ({}, ErrorCode.MISSING_FIELD, "action"),
    ({"action": None}, ErrorCode.MISSING_FIELD, "action"),
    ({"action": 1}, BAD, "action"),
    ({"action": "explode"}, ErrorCode.UNKNOWN_ACTION, "action"),
    ({"action": "START"}, ErrorCode.UNKNOWN_ACTION, "action"),
    ({"action": "stop", "colour": "red"}, BAD, "colour"),
    ({"actoin": "stop"}, BAD, "actoin"),
    ({"action": "stop", "temperature": 60}, BAD, "temperature"),
    ({"action": "set_unit", "unit": "F", "food_type": "x"}, BAD, "food_type"),
    ({"action": "start"}, ErrorCode.MISSING_FIELD, "temperature"),
    ({"action": "set_temperature"}, ErrorCode.MISSING_FIELD, "temperature"),
    ({"action": "set_timer"}, ErrorCode.MISSING_FIELD, "duration"),
    ({"action": "set_unit"}, ErrorCode.MISSING_FIELD, "unit"),
    ({"action": "start", "temperature": "60"}, BAD, "temperature"),
    ({"action": "start", "temperature": True}, BAD, "temperature"),
    ({"action": "start", "temperature": [60]}, BAD, "temperature"),
    (b'{"action": "start", "temperature": NaN}', BAD, "temperature"),
    (b'{"action": "start", "temperature": Infinity}', BAD, "temperature"),
    (b'{"action": "start", "temperature": -Infinity}', BAD, "temperature"),
    (b'{"action": "start", "temperature": 1e400}', BAD, "temperature"),
    (HUGE_INT, BAD, "temperature"),
    (S | {"unit": "K"}, BAD, "unit"),
    (S | {"unit": 1}, BAD, "unit"),
    (S | {"duration": "soon"}, BAD, "duration"),
    (S | {"duration": 90}, BAD, "duration"),
    (S | {"duration": "1h", "time_minutes": 60}, BAD, "time_minutes"),
    (S | {"time_minutes": -1}, BAD, "time_minutes"),
    (S | {"time_minutes": False}, BAD, "time_minutes"),
    (S | {"food_type": "x" * 101}, BAD, "food_type"),
    (S | {"food_type": "beef\x00"}, BAD, "food_type"),
    (S | {"food_type": "beef\nsteak"}, BAD, "food_type"),
    (S | {"food_type": 5}, BAD, "food_type"),
    (S | {"thickness_mm": 0}, BAD, "thickness_mm"),
    (S | {"thickness_mm": "2cm"}, BAD, "thickness_mm"),
    (S | {"replace": 1}, BAD, "replace"),
    ({"action": "stop", "request_id": 7}, BAD, "request_id"),
    ({"action": "stop", "request_id": ""}, BAD, "request_id"),
    ({"action": "stop", "request_id": "r" * 129}, BAD, "request_id"),
    (b'{"action": "stop", "request_id": "\\ud800"}', BAD, "request_id"),
]  # fmt: skip


@pytest.mark.parametrize(("payload", "code", "field"), REFUSALS)
def test_refusals(payload: bytes | dict[str, object], code: ErrorCode, field: str | None) -> None:
    error = refusal(payload)
    assert (error.code, error.field) == (code, field)
    assert len(error.message) < 400


def test_retained_is_refused_before_anything_else() -> None:
    error = refusal(b"\xff" * (MAX_PAYLOAD_BYTES + 1), retained=True)
    assert error.code is ErrorCode.RETAINED_COMMAND_REJECTED


def test_size_is_checked_on_bytes_before_decoding() -> None:
    assert refusal(b"\xff" * (MAX_PAYLOAD_BYTES + 1)).code is ErrorCode.PAYLOAD_TOO_LARGE
    padded = b'{"action": "stop"}'.ljust(MAX_PAYLOAD_BYTES)
    assert parse(padded) == StopCommand()


def test_byte_order_mark_is_tolerated() -> None:
    assert parse(b'\xef\xbb\xbf{"action": "stop"}') == StopCommand()


def test_huge_unknown_field_name_is_truncated_in_the_error() -> None:
    error = refusal({"action": "stop", "k" * 60_000: 1})
    assert len(error.message) < 400
    assert error.field is not None
    assert len(error.field) <= 40


@pytest.mark.parametrize(
    ("payload", "request_id"),
    [
        (b'{"action": "explode", "request_id": "r-1"}', "r-1"),
        (b'{"request_id": "r-2", "temperature": NaN}', "r-2"),
        (b'{"request_id": 5}', None),
        (b'{"request_id": "\\ud800"}', None),
        (b"[" * 100_000, None),
        (b"\xff", None),
        (b" " * (MAX_PAYLOAD_BYTES + 1), None),
        (b"[]", None),
    ],
)
def test_peek_request_id(payload: bytes, request_id: str | None) -> None:
    assert peek_request_id(payload) == request_id


@pytest.mark.parametrize(
    ("payload", "action"),
    [(b'{"action": "stop", "x": 1}', "stop"), (b'{"action": "boom"}', None), (b"x", None)],
)
def test_peek_action(payload: bytes, action: str | None) -> None:
    assert peek_action(payload) == action
