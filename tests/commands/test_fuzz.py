"""Property tests: no input of any shape or size raises anything but CommandError."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bridge.commands import (
    CommandResponse,
    parse_set_payload,
    parse_shortcut,
    peek_action,
    peek_request_id,
)
from bridge.commands.json_command import KNOWN_FIELDS
from bridge.errors import CommandError

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=200),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=20), children, max_size=5)
    ),
    max_leaves=20,
)
known_dicts = st.dictionaries(
    st.sampled_from(sorted(KNOWN_FIELDS)) | st.text(max_size=10), json_values, max_size=10
)
actions = st.sampled_from(["start", "stop", "set_temperature", "set_timer", "set_unit", "x"])
plausible = st.fixed_dictionaries(
    {"action": actions},
    optional={
        "temperature": st.floats() | st.integers(-1000, 1000),
        "unit": st.sampled_from(["C", "F", "c", "f", "K", ""]),
        "duration": st.text(max_size=12) | st.sampled_from(["1h", "90m", "1:30", "PT2H", "30s"]),
        "time_minutes": st.floats() | st.integers(-10, 10**6),
        "food_type": st.text(max_size=120),
        "thickness_mm": st.floats() | st.integers(-5, 500),
        "replace": json_values,
        "request_id": st.text(max_size=140) | json_values,
    },
)


def _parse(payload: bytes, retained: bool = False) -> None:
    """Parse, and check that any refusal can still be answered as JSON."""
    try:
        parse_set_payload(payload, retained=retained, default_unit="C")
    except CommandError as err:
        answer = CommandResponse.error(peek_request_id(payload), peek_action(payload), err)
        json.loads(answer.to_json())


@FUZZ
@given(st.binary(max_size=2000), st.booleans())
def test_arbitrary_bytes(payload: bytes, retained: bool) -> None:
    _parse(payload, retained)


@FUZZ
@given(json_values)
def test_arbitrary_json_values(value: object) -> None:
    _parse(json.dumps(value).encode())


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(known_dicts)
def test_dicts_with_known_keys_and_arbitrary_values(document: dict[str, object]) -> None:
    _parse(json.dumps(document).encode())


@FUZZ
@given(plausible)
def test_plausible_commands(document: dict[str, object]) -> None:
    _parse(json.dumps(document).encode())


@FUZZ
@given(
    st.sampled_from(["target_temperature", "timer", "mode", "start", "stop", "unit"])
    | st.text(max_size=30),
    st.binary(max_size=100) | st.text(max_size=40).map(str.encode),
    st.booleans(),
    st.sampled_from(["C", "F"]),
)
def test_arbitrary_shortcuts(field: str, payload: bytes, retained: bool, unit: str) -> None:
    try:
        parse_shortcut(field, payload, retained=retained, default_unit=unit)  # type: ignore[arg-type]
    except CommandError as err:
        json.loads(CommandResponse.error(None, None, err).to_json())
