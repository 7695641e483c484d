"""The food-safety rules for ovens, bullet by bullet ("Ovens" in food-safety.md)."""

from __future__ import annotations

import pytest

from bridge.anova.oven_model import OvenStage, TimerStart
from bridge.errors import ErrorCode
from bridge.settings import SafetySettings
from tests.safety.oven_support import MIN, H, check, dry, plan, refuse, steam, wet

LOW_TIME = ErrorCode.LOW_TEMP_TIME_UNSAFE


# Below 54.4 °C in the cavity: the rule-3 budget for the plan, no danger zone.


def test_proofing_below_the_danger_zone_is_accepted_with_a_timer(strict: SafetySettings) -> None:
    warnings = check(
        plan(dry(30.0, timer_s=H), dry(200.0, timer_s=30 * MIN), food="carrots"), strict
    )
    assert any("Not pasteurized" in w and "30.0 °C" in w for w in warnings)


@pytest.mark.parametrize("stage", [dry(35.0), wet(50.0), steam(54.3, 50)])
def test_a_low_stage_without_an_end_is_refused(stage: OvenStage, strict: SafetySettings) -> None:
    error = refuse(plan(stage), strict)
    assert (error.code, error.field) == (LOW_TIME, "duration")
    assert "no timer or probe target" in error.message


def test_a_stage_at_54_4_needs_no_end(strict: SafetySettings) -> None:
    assert not any("Not pasteurized" in w for w in check(plan(dry(54.4)), strict))


def test_the_budget_is_summed_across_the_low_stages(strict: SafetySettings) -> None:
    ok = plan(dry(35.0, timer_s=2 * H), dry(200.0, timer_s=H), wet(50.0, timer_s=2 * H))
    check(ok, strict)
    over = plan(dry(35.0, timer_s=2 * H), dry(200.0, timer_s=H), wet(50.0, timer_s=2 * H + MIN))
    error = refuse(over, strict)
    assert (error.code, error.field) == (LOW_TIME, "stages[2].duration")
    assert "stages 1, 3 add up to 4 h 1 min" in error.message


def test_one_low_stage_over_four_hours_is_refused(strict: SafetySettings) -> None:
    check(plan(dry(40.0, timer_s=4 * H)), strict)
    error = refuse(plan(dry(40.0, timer_s=4 * H + 1)), strict)
    assert (error.code, error.field) == (LOW_TIME, "duration")
    assert "4 h 1 s" in error.message


def test_a_low_stage_may_end_on_a_probe_below_its_setpoint(strict: SafetySettings) -> None:
    warnings = check(plan(dry(50.0, probe_c=45.0)), strict)
    assert any("ends on the probe" in w and "stops the cook at 4 h" in w for w in warnings)


def test_a_low_stage_whose_probe_target_the_core_cannot_pass_is_refused(
    strict: SafetySettings,
) -> None:
    error = refuse(plan(dry(50.0, probe_c=50.0)), strict)
    assert (error.code, error.field) == (LOW_TIME, "probe_temperature")


def test_a_manual_timer_at_low_heat_says_the_wait_counts(strict: SafetySettings) -> None:
    warnings = check(plan(dry(35.0, timer_s=H, timer_start=TimerStart.MANUAL)), strict)
    assert any("only when you start it" in w for w in warnings)


# Wet bulb 54.4–100 °C: rules 4–7 as if it were the bath, plus the probe advice.

WET_REFUSALS = [
    (wet(56.9, timer_s=9 * H), "duck", None, ErrorCode.POULTRY_TEMP_UNSAFE, "temperature"),
    (
        wet(60.0, timer_s=89 * MIN),
        "chicken breast",
        25,
        ErrorCode.PASTEURIZATION_TIME_TOO_SHORT,
        "duration",
    ),
    (
        wet(54.9, timer_s=3 * H),
        "pork sausage",
        None,
        ErrorCode.GROUND_MEAT_TEMP_UNSAFE,
        "temperature",
    ),
    (wet(58.0, timer_s=H), "burger", 25, ErrorCode.PASTEURIZATION_TIME_TOO_SHORT, "duration"),
]


@pytest.mark.parametrize("case", WET_REFUSALS, ids=[c[1] for c in WET_REFUSALS])
def test_the_wet_bulb_is_held_to_the_bath_rules(
    case: tuple[OvenStage, str, float | None, ErrorCode, str], strict: SafetySettings
) -> None:
    stage, food, thickness, code, field = case
    error = refuse(plan(stage, food=food, thickness=thickness), strict)
    assert (error.code, error.field) == (code, field)


@pytest.mark.parametrize(
    ("stage", "food"),
    [
        (wet(57.0, timer_s=3 * H), "chicken"),
        (wet(60.0, timer_s=90 * MIN), "chicken breast"),
        (wet(55.0, timer_s=165 * MIN), "ground beef"),
    ],
)
def test_a_wet_bulb_cook_at_the_table_time_passes_and_recommends_the_probe(
    stage: OvenStage, food: str, strict: SafetySettings
) -> None:
    warnings = check(plan(stage, food=food, thickness=25), strict)
    assert any("measured in water" in w and "use the probe" in w for w in warnings)


def test_a_wet_bulb_cook_of_a_whole_cut_is_not_refused(strict: SafetySettings) -> None:
    warnings = check(plan(wet(56.0, timer_s=10 * MIN), food="ribeye"), strict)
    assert any("Not pasteurized" in w for w in warnings)
    assert not any("measured in water" in w for w in warnings)


def test_no_timer_on_wet_poultry_names_the_minimum_time(strict: SafetySettings) -> None:
    warnings = check(plan(wet(60.0), food="chicken", thickness=25), strict)
    assert any("No timer" in w and "1 h 30 min" in w and "wet bulb" in w for w in warnings)


def test_a_wet_stage_of_a_longer_plan_names_its_place(strict: SafetySettings) -> None:
    error = refuse(plan(dry(200.0, timer_s=5 * MIN), wet(56.0, timer_s=H), food="turkey"), strict)
    assert (error.code, error.field) == (ErrorCode.POULTRY_TEMP_UNSAFE, "stages[1].temperature")
    assert error.message.startswith("Stage 2 of 2: ")


# Probe target: poultry 74 °C, ground meat 71 °C, unless a later stage holds it.


@pytest.mark.parametrize(
    ("food", "below", "at", "code"),
    [
        ("chicken", 73.9, 74.0, ErrorCode.POULTRY_TEMP_UNSAFE),
        ("ground beef", 70.9, 71.0, ErrorCode.GROUND_MEAT_TEMP_UNSAFE),
        ("ground turkey", 73.9, 74.0, ErrorCode.POULTRY_TEMP_UNSAFE),
    ],
)
def test_a_probe_target_below_the_consumer_temperature_is_refused(
    food: str, below: float, at: float, code: ErrorCode, strict: SafetySettings
) -> None:
    error = refuse(plan(dry(200.0, probe_c=below), food=food), strict)
    assert (error.code, error.field) == (code, "probe_temperature")
    assert "with no hold" in error.message
    check(plan(dry(200.0, probe_c=at), food=food), strict)


@pytest.mark.parametrize("food", ["pork loin", "salmon"])
def test_a_whole_cut_probe_below_63_is_not_pasteurized(food: str, strict: SafetySettings) -> None:
    assert any("below 63 °C" in w for w in check(plan(dry(200.0, probe_c=62.9), food=food), strict))
    assert not any(
        "below 63 °C" in w for w in check(plan(dry(200.0, probe_c=63.0), food=food), strict)
    )


def test_a_later_wet_stage_holding_the_core_long_enough_lifts_the_probe_refusal(
    strict: SafetySettings,
) -> None:
    # Core 65 °C reads the 62.2 °C column: 16.6 min (996 s) for poultry.
    held = plan(dry(200.0, probe_c=65.0), wet(70.0, timer_s=996), food="chicken")
    warnings = check(held, strict)
    assert any("Allowed: stage 2 holds the core at 65.0 °C" in w for w in warnings)
    short = plan(dry(200.0, probe_c=65.0), wet(70.0, timer_s=995), food="chicken")
    error = refuse(short, strict)
    assert (error.code, error.field) == (
        ErrorCode.POULTRY_TEMP_UNSAFE,
        "stages[0].probe_temperature",
    )


def test_a_hold_is_read_at_the_cooler_of_the_core_and_the_wet_bulb(
    strict: SafetySettings,
) -> None:
    # Core 70 °C, wet bulb 60 °C: the hold is at 60 °C, 35 min for poultry.
    check(plan(dry(200.0, probe_c=70.0), wet(60.0, timer_s=35 * MIN), food="turkey"), strict)
    refuse(plan(dry(200.0, probe_c=70.0), wet(60.0, timer_s=34 * MIN), food="turkey"), strict)


def test_a_ground_meat_hold_reads_the_fsis_beef_table(strict: SafetySettings) -> None:
    # Core 60 °C: 12 min.
    check(plan(dry(200.0, probe_c=60.0), wet(62.0, timer_s=12 * MIN), food="burger"), strict)
    error = refuse(
        plan(dry(200.0, probe_c=60.0), wet(62.0, timer_s=11 * MIN), food="burger"), strict
    )
    assert error.code is ErrorCode.GROUND_MEAT_TEMP_UNSAFE


def test_a_dry_stage_in_between_loses_the_known_core(strict: SafetySettings) -> None:
    between = plan(
        dry(200.0, probe_c=65.0),
        dry(120.0, timer_s=5 * MIN),
        wet(70.0, timer_s=20 * MIN),
        food="chicken",
    )
    assert refuse(between, strict).field == "stages[0].probe_temperature"


def test_a_later_probe_at_the_consumer_temperature_lifts_the_refusal(
    strict: SafetySettings,
) -> None:
    check(plan(wet(60.0, probe_c=55.0), dry(220.0, probe_c=74.0), food="chicken"), strict)


def test_a_later_wet_stage_that_pasteurizes_by_the_bath_table_lifts_the_refusal(
    strict: SafetySettings,
) -> None:
    fine = plan(dry(200.0, probe_c=40.0), wet(60.0, timer_s=90 * MIN), food="chicken", thickness=25)
    assert any("pasteurizes it" in w for w in check(fine, strict))


def test_an_earlier_stage_that_pasteurized_the_food_lifts_a_later_refusal(
    strict: SafetySettings,
) -> None:
    crisp = plan(wet(60.0, timer_s=90 * MIN), dry(250.0, probe_c=65.0), food="chicken")
    assert any("Allowed: stage 1 pasteurizes it" in w for w in check(crisp, strict))
    short = plan(wet(60.0, timer_s=89 * MIN), dry(250.0, probe_c=65.0), food="chicken")
    assert refuse(short, strict).field == "stages[0].duration"


def test_a_probe_target_the_cavity_cannot_reach_finishes_nothing(
    strict: SafetySettings,
) -> None:
    unreached = plan(dry(200.0, probe_c=65.0), wet(74.0, probe_c=74.0), food="chicken")
    assert refuse(unreached, strict).field == "stages[0].probe_temperature"


# Dry-bulb roasting on a timer: never refused; poultry and ground meat hear about the probe.


@pytest.mark.parametrize("food", ["whole chicken", "meatloaf"])
def test_roasting_poultry_or_ground_meat_on_a_timer_suggests_the_probe(
    food: str, strict: SafetySettings
) -> None:
    warnings = check(plan(dry(200.0, timer_s=20 * MIN), food=food), strict)
    assert any("Roasting on a timer" in w for w in warnings)


def test_roasting_a_whole_cut_on_a_timer_says_nothing_of_the_probe(
    strict: SafetySettings,
) -> None:
    assert check(plan(dry(200.0, timer_s=20 * MIN), food="ribeye"), strict) == []


def test_roasting_with_the_probe_drops_the_advice(strict: SafetySettings) -> None:
    warnings = check(
        plan(dry(230.0, timer_s=10 * MIN), dry(180.0, probe_c=74.0), food="chicken"), strict
    )
    assert not any("Roasting on a timer" in w for w in warnings)
