"""Rule 1: device limits, whatever the policy."""

from __future__ import annotations

import math

import pytest

from bridge.errors import CommandError, ErrorCode
from bridge.safety import check_cook, check_setpoint, check_timer
from bridge.settings import SafetySettings


@pytest.mark.parametrize(
    ("temperature_c", "cooker_type", "code"),
    [
        (99.51, "a7", ErrorCode.TEMPERATURE_TOO_HIGH),
        (92.1, "pro", ErrorCode.TEMPERATURE_TOO_HIGH),
        (92.1, "A4", ErrorCode.TEMPERATURE_TOO_HIGH),
        (-0.1, "a7", ErrorCode.TEMPERATURE_TOO_LOW),
        (math.nan, "a7", ErrorCode.INVALID_FIELD),
        (math.inf, "a7", ErrorCode.INVALID_FIELD),
    ],
)
def test_setpoints_outside_the_device_range_are_refused(
    temperature_c: float, cooker_type: str, code: ErrorCode
) -> None:
    with pytest.raises(CommandError) as caught:
        check_setpoint(temperature_c, cooker_type=cooker_type)
    assert caught.value.code is code
    assert caught.value.field == "temperature"


@pytest.mark.parametrize(
    ("temperature_c", "cooker_type"), [(99.5, "a7"), (92.0, "pro"), (0.0, "a5"), (95, "unknown")]
)
def test_setpoints_at_the_edges_are_accepted(temperature_c: float, cooker_type: str) -> None:
    check_setpoint(temperature_c, cooker_type=cooker_type)


def test_model_maximum_is_named_in_both_units() -> None:
    with pytest.raises(CommandError) as caught:
        check_setpoint(93.0, cooker_type="pro", unit="F")
    assert "Precision Cooker Pro" in caught.value.message
    assert "92 °C (197.6 °F)" in caught.value.message
    assert "device limit" in caught.value.message


@pytest.mark.parametrize(
    ("timer_s", "code"),
    [
        (359_941, ErrorCode.TIME_TOO_LONG),
        (10**300, ErrorCode.TIME_TOO_LONG),
        (59, ErrorCode.TIME_TOO_SHORT),
        (1, ErrorCode.TIME_TOO_SHORT),
        (-1, ErrorCode.INVALID_FIELD),
    ],
)
def test_timers_outside_the_device_range_are_refused(timer_s: int, code: ErrorCode) -> None:
    with pytest.raises(CommandError) as caught:
        check_timer(timer_s)
    assert caught.value.code is code
    assert len(caught.value.message) < 300


@pytest.mark.parametrize("timer_s", [0, 60, 359_940])
def test_timers_at_the_edges_are_accepted(timer_s: int) -> None:
    check_timer(timer_s)


@pytest.mark.parametrize("policy", ["strict", "warn", "off"])
def test_device_limits_apply_under_every_policy(policy: str) -> None:
    settings = SafetySettings(policy=policy)
    with pytest.raises(CommandError) as caught:
        check_cook(temperature_c=95.0, timer_s=0, cooker_type="pro", settings=settings)
    assert caught.value.code is ErrorCode.TEMPERATURE_TOO_HIGH
    with pytest.raises(CommandError) as caught:
        check_cook(temperature_c=60.0, timer_s=30, cooker_type="a7", settings=settings)
    assert caught.value.code is ErrorCode.TIME_TOO_SHORT
