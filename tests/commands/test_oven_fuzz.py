"""Property tests for the oven's parsers: nothing but CommandError ever escapes them.

And what they accept is sound: every stage of a parsed plan has a timer or a
probe target or neither, never both, and steam only in steam mode.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bridge.anova.oven_model import OvenMode
from bridge.commands import CommandResponse, peek_request_id
from bridge.commands.oven_json import OVEN_KNOWN_FIELDS, parse_oven_set_payload, peek_oven_action
from bridge.commands.oven_models import OvenStartCommand
from bridge.commands.oven_shortcuts import oven_shortcut_action, parse_oven_shortcut
from bridge.commands.oven_stage import STAGE_FIELDS
from bridge.contract import OVEN_SHORTCUT_FIELDS
from bridge.errors import CommandError

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
stage_values: dict[str, st.SearchStrategy[object]] = {
    "mode": st.sampled_from(["dry", "steam", "wet", "grill"]) | json_values,
    "temperature": st.floats() | st.integers(-100, 600),
    "steam_percent": st.integers(-5, 105) | st.floats(),
    "elements": st.sampled_from(["rear", "top_bottom", "x"])
    | st.lists(st.sampled_from(["top", "bottom", "rear", "side"]), max_size=4),
    "fan_speed": st.integers(-5, 105) | st.floats(),
    "duration": st.sampled_from(["1h", "30m", "0s", "soon"]),
    "time_minutes": st.integers(-5, 600) | st.floats(),
    "probe_temperature": st.floats() | st.integers(-10, 300),
    "timer_start": st.sampled_from(["immediately", "when_preheated", "manual", "later"]),
    "preheat": json_values,
    "rack_position": st.integers(-1, 7) | json_values,
    "title": st.text(max_size=110),
}
stage = st.fixed_dictionaries({}, optional=stage_values)
commands = st.fixed_dictionaries(
    {"action": st.sampled_from(["start", "set_next_stage", "stop", "set_timer", "nope"])},
    optional={
        **stage_values,
        "stages": st.lists(stage, max_size=22) | json_values,
        "unit": st.sampled_from(["C", "F", "K"]),
        "food_type": st.text(max_size=20),
        "replace": json_values,
        "request_id": st.text(max_size=10) | json_values,
    },
)


def _parse(payload: bytes) -> None:
    try:
        command = parse_oven_set_payload(payload, retained=False, default_unit="C")
    except CommandError as err:
        answer = CommandResponse.error(peek_request_id(payload), peek_oven_action(payload), err)
        json.loads(answer.to_json())
        return
    if isinstance(command, OvenStartCommand) and command.plan is not None:
        for each in command.plan.stages:
            assert each.timer_s is None or each.probe_c is None
            assert (each.steam_percent is not None) == (each.mode is OvenMode.STEAM)


@FUZZ
@given(st.binary(max_size=1000))
def test_arbitrary_bytes(payload: bytes) -> None:
    _parse(payload)


@FUZZ
@given(commands)
def test_plausible_commands(document: dict[str, object]) -> None:
    _parse(json.dumps(document).encode())


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(sorted(OVEN_KNOWN_FIELDS)) | st.text(max_size=8), json_values, max_size=8
    )
)
def test_known_keys_with_arbitrary_values(document: dict[str, object]) -> None:
    _parse(json.dumps({"action": "start", **document}).encode())


@FUZZ
@given(st.lists(st.dictionaries(st.sampled_from(STAGE_FIELDS), json_values), max_size=3))
def test_stages_with_arbitrary_values(stages: list[dict[str, object]]) -> None:
    _parse(json.dumps({"action": "start", "stages": stages}).encode())


@FUZZ
@given(
    st.sampled_from(OVEN_SHORTCUT_FIELDS) | st.text(max_size=20),
    st.binary(max_size=40) | st.text(max_size=20).map(str.encode),
    st.sampled_from(["C", "F"]),
)
def test_arbitrary_shortcuts(field: str, payload: bytes, unit: str) -> None:
    try:
        parse_oven_shortcut(field, payload, retained=False, default_unit=unit)  # type: ignore[arg-type]
    except CommandError as err:
        answer = CommandResponse.error(None, oven_shortcut_action(field, payload), err)
        json.loads(answer.to_json())
