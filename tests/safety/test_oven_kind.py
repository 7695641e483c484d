"""The oven's SafetyRules methods, its policies and its core-temperature table."""

from __future__ import annotations

import math

import pytest

from bridge.anova.oven_model import OvenPlan
from bridge.commands import StartCommand
from bridge.errors import CommandError, ErrorCode
from bridge.safety import classify
from bridge.safety.core_temperature import CoreTable, core_table
from bridge.safety.kind import RunningCook, SafetyRules
from bridge.safety.oven import OVEN_RULES
from bridge.settings import SafetySettings
from tests.safety.oven_support import MIN, H, check, dry, plan, wet

RULES: SafetyRules = OVEN_RULES  # mypy checks the oven keeps the protocol

UNSAFE_PLANS = [
    (plan(dry(35.0)), ErrorCode.LOW_TEMP_TIME_UNSAFE),
    (plan(dry(200.0, probe_c=65.0), food="chicken"), ErrorCode.POULTRY_TEMP_UNSAFE),
    (plan(wet(54.0, timer_s=3 * H), food="ground beef"), ErrorCode.GROUND_MEAT_TEMP_UNSAFE),
    (
        plan(wet(60.0, timer_s=45 * MIN), food="chicken", thickness=25),
        ErrorCode.PASTEURIZATION_TIME_TOO_SHORT,
    ),
]


@pytest.mark.parametrize(("unsafe", "code"), UNSAFE_PLANS)
def test_warn_runs_an_unsafe_plan_and_names_the_code(
    unsafe: OvenPlan, code: ErrorCode, warn: SafetySettings
) -> None:
    warnings = check(unsafe, warn)
    assert any(
        w.startswith(f"{code.value} (allowed because safety.policy is warn)") for w in warnings
    )


@pytest.mark.parametrize(("unsafe", "code"), UNSAFE_PLANS)
def test_off_runs_an_unsafe_plan_without_a_word(
    unsafe: OvenPlan, code: ErrorCode, off: SafetySettings
) -> None:
    assert check(unsafe, off) == []


def test_a_plan_without_food_says_the_food_rules_were_skipped(strict: SafetySettings) -> None:
    assert any("No food_type given" in w for w in check(plan(dry(200.0, timer_s=H)), strict))
    unknown = check(plan(dry(200.0, timer_s=H), food="zorblax"), strict)
    assert any("not one the safety rules recognise" in w for w in unknown)


def test_a_wet_hold_entered_at_a_known_core_is_not_judged_from_fridge_cold(
    strict: SafetySettings,
) -> None:
    # The bath table wants 55 min at 65 °C from 5 °C; from a 65 °C core the FSIS hold is 16.6 min.
    warnings = check(
        plan(dry(200.0, probe_c=65.0), wet(65.0, timer_s=17 * MIN), food="chicken"), strict
    )
    assert any(
        w.startswith("Stage 2 of 2: ") and "Allowed: this stage holds" in w for w in warnings
    )


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (250.1, ErrorCode.TEMPERATURE_TOO_HIGH),
        (24.9, ErrorCode.TEMPERATURE_TOO_LOW),
        (math.inf, ErrorCode.INVALID_FIELD),
    ],
)
def test_check_setpoint_holds_the_dry_bulb_limits(value: float, code: ErrorCode) -> None:
    with pytest.raises(CommandError) as caught:
        RULES.check_setpoint(value, cooker_type="oven_v2")
    assert (caught.value.code, caught.value.field) == (code, "temperature")
    RULES.check_setpoint(250.0, cooker_type="oven_v2")
    RULES.check_setpoint(25.0, cooker_type="oven_v2")


@pytest.mark.parametrize(
    ("timer_s", "code"),
    [
        (359_941, ErrorCode.TIME_TOO_LONG),
        (-1, ErrorCode.INVALID_FIELD),
    ],
)
def test_check_timer_holds_the_oven_limits(timer_s: int, code: ErrorCode) -> None:
    with pytest.raises(CommandError) as caught:
        RULES.check_timer(timer_s)
    assert (caught.value.code, caught.value.field) == (code, "duration")
    for fine in (0, 30, 359_940):
        RULES.check_timer(fine)


def test_check_cook_keeps_the_four_hours_below_54_4(strict: SafetySettings) -> None:
    def cook(**kw: object) -> list[str]:
        running = RunningCook(cooker_type="oven_v1", **kw)  # type: ignore[arg-type]
        return RULES.check_cook(running, settings=strict).warnings

    cook(temperature_c=30.0, timer_s=H)  # no danger zone in an oven
    cook(temperature_c=50.0, timer_s=3 * H, in_water_s=2 * H, timer_left_s=2 * H)
    for unsafe in (
        {"temperature_c": 50.0, "timer_s": 0},
        {"temperature_c": 50.0, "timer_s": 3 * H, "in_water_s": 2 * H, "timer_left_s": 2 * H + 1},
        {"temperature_c": 50.0, "timer_s": 4 * H + 1},
    ):
        with pytest.raises(CommandError) as caught:
            cook(**unsafe)
        assert caught.value.code is ErrorCode.LOW_TEMP_TIME_UNSAFE
        assert "in the water" not in caught.value.message
    assert any(
        "Roasting on a timer" in w
        for w in cook(temperature_c=200.0, timer_s=H, food_type="chicken")
    )
    with pytest.raises(CommandError) as caught:
        cook(temperature_c=251.0, timer_s=H)
    assert caught.value.code is ErrorCode.TEMPERATURE_TOO_HIGH


def test_check_cook_follows_the_policy(warn: SafetySettings, off: SafetySettings) -> None:
    unsafe = RunningCook(temperature_c=50.0, timer_s=0, cooker_type="oven_v1")
    warned = RULES.check_cook(unsafe, settings=warn)
    assert warned.warnings[0].startswith("LOW_TEMP_TIME_UNSAFE")
    silent = RULES.check_cook(unsafe, settings=off)
    assert silent.warnings == []


def test_an_idle_setpoint_has_no_danger_zone(strict: SafetySettings) -> None:
    assert RULES.check_idle_setpoint(30.0, cooker_type="oven_v1", settings=strict).warnings == []
    with pytest.raises(CommandError) as caught:
        RULES.check_idle_setpoint(260.0, unit="F", cooker_type="oven_v1", settings=strict)
    assert "(500.0 °F)" in caught.value.message


def test_an_oven_is_not_started_like_a_cooker(strict: SafetySettings) -> None:
    start = StartCommand(temperature_c=60.0, unit="C", timer_s=H)
    with pytest.raises(CommandError) as caught:
        RULES.check_start(start, cooker_type="oven_v1", settings=strict)
    assert (caught.value.code, caught.value.field) == (ErrorCode.UNKNOWN_ACTION, "action")


def test_the_oven_reads_food_and_pasteurization_like_the_cookers() -> None:
    assert RULES.classify("ground chicken") == classify("ground chicken")
    assert RULES.pasteurized_from_c == 54.4


@pytest.mark.parametrize(
    ("name", "figures"),
    [
        (
            "meat",
            {
                54.4: 112 * 60,
                55.0: 89 * 60,
                57.2: 36 * 60,
                60.0: 12 * 60,
                62.8: 4 * 60,
                65.6: 67,
                70.0: 0,
            },
        ),
        ("poultry", {57.8: 4884, 60.0: 35 * 60, 62.2: 996, 74.0: 0}),
    ],
)
def test_the_core_table_holds_the_published_figures(name: str, figures: dict[float, int]) -> None:
    table = core_table(name)  # type: ignore[arg-type]
    assert {c: table.hold_s(c) for c in figures} == figures


def test_the_core_table_rounds_down_and_knows_the_consumer_temperatures() -> None:
    poultry, meat = core_table("poultry"), core_table("meat")
    assert poultry.hold_s(62.1) == 35 * 60
    assert poultry.hold_s(57.7) is None
    assert meat.hold_s(54.3) is None
    assert meat.hold_s(99.0) == 0
    assert (poultry.consumer_c, meat.consumer_c) == (74.0, 71.0)


def test_a_core_table_that_would_weaken_the_check_fails_to_load() -> None:
    good = core_table("poultry").model_dump()
    with pytest.raises(ValueError, match="never longer when hotter"):
        CoreTable.model_validate({**good, "seconds": [4884, 2100, 2200, 0]})
    with pytest.raises(ValueError, match="instant"):
        CoreTable.model_validate({**good, "seconds": [4884, 2100, 996, 60]})
