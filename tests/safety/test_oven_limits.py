"""The Precision Oven's device limits: rule 1's place, under every policy."""

from __future__ import annotations

import math

import pytest

from bridge.anova.oven_model import HeatingElements, OvenStage
from bridge.commands.units import to_celsius
from bridge.errors import ErrorCode
from bridge.settings import SafetySettings
from tests.safety.oven_support import H, check, dry, plan, refuse, steam, wet

BOTTOM = HeatingElements(top=False, bottom=True, rear=False)
TOP_BOTTOM = HeatingElements(top=True, bottom=True, rear=False)

# (stage, oven type, expected code, expected field of a one-stage plan)
REFUSED = [
    (dry(250.1), "oven_v1", ErrorCode.TEMPERATURE_TOO_HIGH, "temperature"),
    (dry(24.9), "oven_v2", ErrorCode.TEMPERATURE_TOO_LOW, "temperature"),
    (dry(math.nan), "oven_v1", ErrorCode.INVALID_FIELD, "temperature"),
    (
        dry(180.1, elements=BOTTOM, fan_speed=0),
        "oven_v1",
        ErrorCode.TEMPERATURE_TOO_HIGH,
        "temperature",
    ),
    (
        dry(230.1, elements=BOTTOM, fan_speed=0),
        "oven_v2",
        ErrorCode.TEMPERATURE_TOO_HIGH,
        "temperature",
    ),
    (wet(100.1), "oven_v1", ErrorCode.TEMPERATURE_TOO_HIGH, "temperature"),
    (wet(98.1), "oven_v2", ErrorCode.TEMPERATURE_TOO_HIGH, "temperature"),
    (wet(24.9, timer_s=H), "oven_v1", ErrorCode.TEMPERATURE_TOO_LOW, "temperature"),
    (dry(200.0, probe_c=100.1), "oven_v1", ErrorCode.TEMPERATURE_TOO_HIGH, "probe_temperature"),
    (dry(200.0, probe_c=0.9), "oven_v1", ErrorCode.TEMPERATURE_TOO_LOW, "probe_temperature"),
    (dry(200.0, timer_s=359_941), "oven_v1", ErrorCode.TIME_TOO_LONG, "duration"),
    (dry(200.0, timer_s=-1), "oven_v1", ErrorCode.INVALID_FIELD, "duration"),
    (dry(200.0, timer_s=0), "oven_v1", ErrorCode.TIME_TOO_SHORT, "duration"),
    (
        dry(200.0, timer_s=600, probe_c=70.0),
        "oven_v1",
        ErrorCode.INVALID_FIELD,
        "probe_temperature",
    ),
    (steam(200.0, 101), "oven_v1", ErrorCode.INVALID_FIELD, "steam_percent"),
    (steam(200.0, -1), "oven_v1", ErrorCode.INVALID_FIELD, "steam_percent"),
    (steam(200.0, None), "oven_v1", ErrorCode.MISSING_FIELD, "steam_percent"),
    (dry(200.0, steam_percent=20), "oven_v1", ErrorCode.INVALID_FIELD, "steam_percent"),
    (wet(60.0, steam_percent=20), "oven_v1", ErrorCode.INVALID_FIELD, "steam_percent"),
    (
        dry(200.0, elements=HeatingElements(rear=False)),
        "oven_v1",
        ErrorCode.INVALID_FIELD,
        "elements",
    ),
    (
        dry(200.0, elements=HeatingElements(top=True, bottom=True, rear=True)),
        "oven_v1",
        ErrorCode.INVALID_FIELD,
        "elements",
    ),
    (dry(200.0, fan_speed=101), "oven_v1", ErrorCode.INVALID_FIELD, "fan_speed"),
    (
        dry(200.0, elements=TOP_BOTTOM, fan_speed=-1),
        "oven_v1",
        ErrorCode.INVALID_FIELD,
        "fan_speed",
    ),
    (dry(200.0, fan_speed=99), "oven_v1", ErrorCode.INVALID_FIELD, "fan_speed"),
    (
        steam(200.0, 1, elements=TOP_BOTTOM, fan_speed=99),
        "oven_v1",
        ErrorCode.INVALID_FIELD,
        "fan_speed",
    ),
    (wet(60.0, elements=TOP_BOTTOM, fan_speed=50), "oven_v1", ErrorCode.INVALID_FIELD, "fan_speed"),
    (dry(200.0, rack_position=0), "oven_v1", ErrorCode.INVALID_FIELD, "rack_position"),
    (dry(200.0, rack_position=6), "oven_v1", ErrorCode.INVALID_FIELD, "rack_position"),
]


@pytest.mark.parametrize("policy", ["strict", "warn", "off"])
@pytest.mark.parametrize(("stage", "oven_type", "code", "field"), REFUSED)
def test_a_stage_outside_the_oven_limits_is_refused_under_every_policy(
    stage: OvenStage, oven_type: str, code: ErrorCode, field: str, policy: str
) -> None:
    error = refuse(plan(stage), SafetySettings(policy=policy), oven_type=oven_type)
    assert (error.code, error.field) == (code, field)
    if code is not ErrorCode.INVALID_FIELD or field not in {"temperature", "duration"}:
        assert "oven device limit" in error.message


ACCEPTED = [
    (dry(250.0, timer_s=600), "oven_v1"),
    (dry(25.0, timer_s=600), "oven_v2"),
    (dry(180.0, elements=BOTTOM, fan_speed=0, timer_s=600), "oven_v1"),
    (dry(230.0, elements=BOTTOM, fan_speed=0, timer_s=600), "oven_v2"),
    (wet(100.0, timer_s=600), "oven_v1"),
    (wet(98.0, timer_s=600), "oven_v2"),
    (dry(200.0, probe_c=100.0), "oven_v1"),
    (dry(60.0, probe_c=1.0), "oven_v1"),
    (dry(200.0, timer_s=359_940), "oven_v1"),
    (dry(200.0, timer_s=1), "oven_v1"),
    (steam(200.0, 0, elements=TOP_BOTTOM, fan_speed=0, timer_s=600), "oven_v1"),
    (steam(200.0, 100, timer_s=600), "oven_v1"),
    (dry(200.0, elements=TOP_BOTTOM, fan_speed=0, timer_s=600), "oven_v1"),
    (dry(200.0, elements=HeatingElements(top=True, rear=True), timer_s=600), "oven_v1"),
    (dry(200.0, rack_position=1, timer_s=600), "oven_v1"),
    (dry(200.0, rack_position=5, timer_s=600), "oven_v1"),
]


@pytest.mark.parametrize(("stage", "oven_type"), ACCEPTED)
def test_a_stage_at_the_edge_of_the_oven_limits_is_accepted(
    stage: OvenStage, oven_type: str, strict: SafetySettings
) -> None:
    assert isinstance(check(plan(stage), strict, oven_type=oven_type), list)


def test_a_later_stage_is_named_by_its_place_in_the_list(strict: SafetySettings) -> None:
    error = refuse(plan(dry(200.0, timer_s=600), dry(251.0, timer_s=600)), strict)
    assert error.field == "stages[1].temperature"
    assert error.message.startswith("Stage 2 of 2: ")
    error = refuse(plan(dry(200.0, timer_s=600), dry(200.0, fan_speed=10), dry(200.0)), strict)
    assert error.field == "stages[1].fan_speed"


def test_a_fahrenheit_user_reads_both_units(strict: SafetySettings) -> None:
    assert check(plan(dry(to_celsius(400, "F"), timer_s=H), food="carrots"), strict, unit="F") == []
    error = refuse(plan(dry(to_celsius(500, "F"), timer_s=H), food="carrots"), strict, unit="F")
    assert error.code is ErrorCode.TEMPERATURE_TOO_HIGH
    assert "260.0 °C (500.0 °F)" in error.message
    assert "250 °C (482 °F)" in error.message


def test_a_probe_target_in_fahrenheit_is_checked_in_celsius(strict: SafetySettings) -> None:
    error = refuse(plan(dry(200.0, probe_c=to_celsius(213, "F"))), strict, unit="F")
    assert error.code is ErrorCode.TEMPERATURE_TOO_HIGH
    assert "100 °C (212 °F)" in error.message


def test_a_non_positive_thickness_is_refused(strict: SafetySettings) -> None:
    error = refuse(plan(dry(200.0, timer_s=600), food="chicken", thickness=0.0), strict)
    assert (error.code, error.field) == (ErrorCode.INVALID_FIELD, "thickness_mm")
