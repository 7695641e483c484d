"""Every refusal of an oven's JSON ``set`` command, with its code and the field it names."""

from __future__ import annotations

import json

import pytest

from bridge.commands import MAX_PAYLOAD_BYTES
from bridge.commands.oven_json import parse_oven_set_payload
from bridge.errors import CommandError, ErrorCode

BAD = ErrorCode.INVALID_FIELD
MISSING = ErrorCode.MISSING_FIELD
S: dict[str, object] = {"action": "start", "temperature": 200}
P: dict[str, object] = {"action": "start"}
N: dict[str, object] = {"action": "set_next_stage"}
OK_STAGE: dict[str, object] = {"temperature": 35, "time_minutes": 45}


def refusal(payload: bytes | dict[str, object], *, retained: bool = False) -> CommandError:
    raw = json.dumps(payload).encode() if isinstance(payload, dict) else payload
    with pytest.raises(CommandError) as caught:
        parse_oven_set_payload(raw, retained=retained, default_unit="C")
    assert caught.value.message.endswith(".")
    assert len(caught.value.message) < 400
    return caught.value


def stages(*items: object) -> dict[str, object]:
    return P | {"stages": list(items)}


REFUSALS: list[tuple[bytes | dict[str, object], ErrorCode, str | None]] = [
    # the envelope, as for the cookers
    (b"\xff", ErrorCode.INVALID_PAYLOAD, None),
    (b"[]", ErrorCode.INVALID_PAYLOAD, None),
    (b'{"action": "stop", "action": "stop"}', ErrorCode.INVALID_PAYLOAD, None),
    # unknown keys before the action, the action, then keys the action does not take
    ({"action": "explode", "colour": 1}, BAD, "colour"),
    ({}, MISSING, "action"),
    ({"action": "explode"}, ErrorCode.UNKNOWN_ACTION, "action"),
    ({"action": "stop", "mode": "dry"}, BAD, "mode"),
    ({"action": "set_unit", "unit": "F", "stages": []}, BAD, "stages"),
    (N | {"temperature": 100}, BAD, "temperature"),
    # the quick start, field by field
    (P, MISSING, "temperature"),
    (S | {"temperature": "200"}, BAD, "temperature"),
    (S | {"mode": "grill"}, BAD, "mode"),
    (S | {"mode": 1}, BAD, "mode"),
    (S | {"mode": "steam"}, MISSING, "steam_percent"),
    (S | {"mode": "steam", "steam_percent": 0}, BAD, "steam_percent"),
    (S | {"mode": "steam", "steam_percent": 101}, BAD, "steam_percent"),
    (S | {"mode": "steam", "steam_percent": 30.5}, BAD, "steam_percent"),
    (S | {"mode": "steam", "steam_percent": True}, BAD, "steam_percent"),
    (S | {"steam_percent": 30}, BAD, "steam_percent"),
    (S | {"mode": "wet", "steam_percent": 30}, BAD, "steam_percent"),
    (S | {"elements": "all"}, BAD, "elements"),
    (S | {"elements": []}, BAD, "elements"),
    (S | {"elements": ["top", "bottom", "rear"]}, BAD, "elements"),
    (S | {"elements": ["top", "top"]}, BAD, "elements"),
    (S | {"elements": ["side"]}, BAD, "elements"),
    (S | {"elements": [1]}, BAD, "elements"),
    (S | {"elements": {"top": True}}, BAD, "elements"),
    (S | {"fan_speed": 101}, BAD, "fan_speed"),
    (S | {"fan_speed": -1}, BAD, "fan_speed"),
    (S | {"fan_speed": "high"}, BAD, "fan_speed"),
    (S | {"duration": "soon"}, BAD, "duration"),
    (S | {"duration": "1h", "time_minutes": 60}, BAD, "time_minutes"),
    (S | {"time_minutes": -5}, BAD, "time_minutes"),
    (S | {"probe_temperature": "60"}, BAD, "probe_temperature"),
    (S | {"duration": "1h", "probe_temperature": 60}, BAD, "probe_temperature"),
    (S | {"timer_start": "later"}, BAD, "timer_start"),
    (S | {"preheat": "yes"}, BAD, "preheat"),
    (S | {"preheat": 1}, BAD, "preheat"),
    (S | {"rack_position": 0}, BAD, "rack_position"),
    (S | {"rack_position": 6}, BAD, "rack_position"),
    (S | {"rack_position": 2.5}, BAD, "rack_position"),
    (S | {"title": 7}, BAD, "title"),
    (S | {"title": "x" * 101}, BAD, "title"),
    (S | {"title": "bread\nloaf"}, BAD, "title"),
    (S | {"unit": "K"}, BAD, "unit"),
    (S | {"food_type": 5}, BAD, "food_type"),
    (S | {"thickness_mm": 0}, BAD, "thickness_mm"),
    (S | {"replace": "yes"}, BAD, "replace"),
    (S | {"request_id": ""}, BAD, "request_id"),
    # the plan form
    (P | {"stages": [OK_STAGE], "temperature": 200}, BAD, "stages"),
    (P | {"stages": [OK_STAGE], "mode": "dry"}, BAD, "stages"),
    (P | {"stages": {"temperature": 200}}, BAD, "stages"),
    (stages(), BAD, "stages"),
    (stages(*[OK_STAGE] * 21), BAD, "stages"),
    (stages(OK_STAGE, 5), BAD, "stages[1]"),
    (stages(OK_STAGE, {"temperature": "hot"}), BAD, "stages[1].temperature"),
    (stages(OK_STAGE, {"time_minutes": 30}), MISSING, "stages[1].temperature"),
    (stages({"temperature": 100, "colour": "red"}), BAD, "stages[0].colour"),
    (stages({"temperature": 100, "unit": "F"}), BAD, "stages[0].unit"),
    (stages({"temperature": 100, "food_type": "x"}), BAD, "stages[0].food_type"),
    (stages(OK_STAGE, OK_STAGE, {"temperature": 100, "mode": "steam"}), MISSING,
     "stages[2].steam_percent"),
    (stages({"temperature": 100, "duration": "1h", "probe_temperature": 70}), BAD,
     "stages[0].probe_temperature"),
    (stages({"temperature": 100, "fan_speed": 200}), BAD, "stages[0].fan_speed"),
    (stages(OK_STAGE) | {"unit": "K"}, BAD, "unit"),
    # set_next_stage
    (N, MISSING, None),
    (N | {"unit": "F"}, MISSING, None),
    (N | {"mode": "grill"}, BAD, "mode"),
    (N | {"steam_percent": 101}, BAD, "steam_percent"),
    (N | {"steam_percent": False}, BAD, "steam_percent"),
    (N | {"probe_temperature": "60"}, BAD, "probe_temperature"),
    (N | {"probe_temperature": False}, BAD, "probe_temperature"),
    (N | {"elements": "everything"}, BAD, "elements"),
    (N | {"fan_speed": 33.3}, BAD, "fan_speed"),
    (N | {"timer_start": 0}, BAD, "timer_start"),
    (N | {"preheat": "no"}, BAD, "preheat"),
]  # fmt: skip


@pytest.mark.parametrize(("payload", "code", "field"), REFUSALS)
def test_refusals(payload: bytes | dict[str, object], code: ErrorCode, field: str | None) -> None:
    error = refusal(payload)
    assert (error.code, error.field) == (code, field)


def test_an_error_inside_a_stage_says_which_stage() -> None:
    error = refusal(stages(OK_STAGE, {"temperature": "hot"}))
    assert error.message.startswith("In stages[1]: ")


def test_stages_and_quick_keys_together_name_the_keys_to_move() -> None:
    error = refusal(P | {"stages": [OK_STAGE], "temperature": 200, "duration": "1h"})
    assert "'temperature', 'duration'" in error.message


def test_the_first_problem_in_check_order_wins() -> None:
    # A wrong mode (first) and a wrong fan speed (later): the mode is named.
    assert refusal(S | {"fan_speed": 500, "mode": "grill"}).field == "mode"
    # A bad first stage is found before a bad later one.
    assert refusal(stages({"temperature": "x"}, {"temperature": "y"})).field == (
        "stages[0].temperature"
    )


def test_retained_is_refused_before_anything_else() -> None:
    error = refusal(b"\xff" * (MAX_PAYLOAD_BYTES + 1), retained=True)
    assert error.code is ErrorCode.RETAINED_COMMAND_REJECTED


def test_size_is_checked_before_decoding() -> None:
    assert refusal(b"\xff" * (MAX_PAYLOAD_BYTES + 1)).code is ErrorCode.PAYLOAD_TOO_LARGE
