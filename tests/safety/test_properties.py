"""Property tests over the whole path: parse → safety check."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from bridge.anova.device import CLOUD_MAX_TIMER_S, max_temperature_c
from bridge.commands import (
    SetTemperatureCommand,
    SetTimerCommand,
    StartCommand,
    parse_set_payload,
    parse_shortcut,
)
from bridge.errors import CommandError
from bridge.safety import check_command, classify, table
from bridge.settings import SafetySettings

PROPS = settings(max_examples=400, deadline=None)
FOODS = ["chicken breast", "ground beef", "turkey sausage", "salmon", "ribeye", "carrots", None]
COOKERS = ["a7", "pro", "a4", "a5"]

starts = st.fixed_dictionaries(
    {
        "action": st.just("start"),
        "temperature": st.floats(-50, 250, allow_nan=False) | st.integers(-100, 300),
        "unit": st.sampled_from(["C", "F"]),
    },
    optional={
        "time_minutes": st.floats(0, 10_000, allow_nan=False) | st.integers(0, 7000),
        "food_type": st.sampled_from([f for f in FOODS if f]),
        "thickness_mm": st.floats(0.1, 200),
    },
)
any_command = (
    starts
    | st.fixed_dictionaries(
        {"action": st.just("set_temperature"), "temperature": st.floats(-50, 250, allow_nan=False)}
    )
    | st.fixed_dictionaries(
        {"action": st.just("set_timer"), "time_minutes": st.floats(0, 10_000, allow_nan=False)}
    )
)


def _accepted(document: dict[str, object], cooker: str, policy: str) -> object | None:
    payload = json.dumps(document).encode()
    safety = SafetySettings(policy=policy)
    try:
        cmd = parse_set_payload(payload, retained=False, default_unit="C")
        check_command(cmd, cooker_type=cooker, settings=safety)
    except CommandError:
        return None
    return cmd


@PROPS
@given(any_command, st.sampled_from(COOKERS), st.sampled_from(["strict", "warn", "off"]))
def test_every_accepted_command_is_within_device_limits(
    document: dict[str, object], cooker: str, policy: str
) -> None:
    cmd = _accepted(document, cooker, policy)
    if isinstance(cmd, StartCommand | SetTemperatureCommand):
        assert cmd.temperature_c is not None
        assert 0.0 <= cmd.temperature_c <= max_temperature_c(cooker)
    if isinstance(cmd, StartCommand | SetTimerCommand):
        assert cmd.timer_s is not None
        assert cmd.timer_s == 0 or 60 <= cmd.timer_s <= CLOUD_MAX_TIMER_S


@PROPS
@given(starts, st.sampled_from(COOKERS))
def test_strict_never_accepts_unsafe_poultry_or_ground_meat(
    document: dict[str, object], cooker: str
) -> None:
    cmd = _accepted(document, cooker, "strict")
    if not isinstance(cmd, StartCommand) or cmd.temperature_c is None:
        return
    food = classify(cmd.food_type)
    thickness = cmd.thickness_mm or 25.0
    for applies, name in ((food.poultry, "poultry"), (food.ground, "meat")):
        if not applies:
            continue
        data = table(name)  # type: ignore[arg-type]
        assert cmd.temperature_c >= data.lowest_c
        lookup = data.lookup(cmd.temperature_c, thickness)
        assert lookup is not None
        assert cmd.timer_s is not None
        assert cmd.timer_s == 0 or cmd.timer_s >= lookup.seconds


@PROPS
@given(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(COOKERS))
def test_shortcut_setpoints_are_checked_like_json(value: float, cooker: str) -> None:
    try:
        cmd = parse_shortcut(
            "target_temperature", repr(value).encode(), retained=False, default_unit="F"
        )
        check_command(cmd, cooker_type=cooker, settings=SafetySettings())
    except CommandError:
        return
    assert isinstance(cmd, SetTemperatureCommand)
    assert 0.0 <= cmd.temperature_c <= max_temperature_c(cooker)
