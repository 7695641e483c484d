"""Rules 2–7 one by one, their order, their messages, and the entry points."""

from __future__ import annotations

from typing import Any

import pytest

from bridge.commands import SetTemperatureCommand, SetTimerCommand, StartCommand, StopCommand
from bridge.errors import CommandError, ErrorCode
from bridge.safety import SafetyPolicy, check_command, check_cook, check_idle_setpoint, check_start
from bridge.safety.checks import NO_FOOD_WARNING
from bridge.settings import SafetySettings

H = 3600


def refuse(settings: SafetySettings, **cook: object) -> CommandError:
    with pytest.raises(CommandError) as caught:
        check_cook(cooker_type="a7", settings=settings, **cook)  # type: ignore[arg-type]
    return caught.value


def warnings(settings: SafetySettings, **cook: object) -> list[str]:
    return check_cook(cooker_type="a7", settings=settings, **cook).warnings  # type: ignore[arg-type]


LOW, POULTRY, GROUND = "TEMPERATURE_TOO_LOW", "POULTRY_TEMP_UNSAFE", "GROUND_MEAT_TEMP_UNSAFE"
LOW_TIME, SHORT = "LOW_TEMP_TIME_UNSAFE", "PASTEURIZATION_TIME_TOO_SHORT"

# (°C, timer s, food_type, thickness mm, expected code, expected field)
REFUSALS = [
    (39.9, 600, None, None, LOW, "temperature"),
    (45.0, 0, None, None, LOW_TIME, "duration"),
    (54.3, 4 * H + 60, None, None, LOW_TIME, "duration"),
    # rule 3 comes before rule 4: no timer at 50 °C is the first problem
    (50.0, 0, "chicken", None, LOW_TIME, "duration"),
    (50.0, H, "chicken", None, POULTRY, "temperature"),
    (56.9, 9 * H, "duck", None, POULTRY, "temperature"),
    # ground chicken: poultry (rule 4) comes before ground (rule 5)
    (56.0, 9 * H, "ground chicken", None, POULTRY, "temperature"),
    (54.9, 3 * H, "pork sausage", None, GROUND, "temperature"),
    (58.0, H, "burger", 25, SHORT, "duration"),
    (63.0, 74 * 60, "turkey", 25, SHORT, "duration"),
    (66.0, 3 * H, "chicken", 90, SHORT, "duration"),
]


@pytest.mark.parametrize("case", REFUSALS, ids=[f"{c[0]}C-{c[2]}-{c[4]}" for c in REFUSALS])
def test_strict_refusals(case: tuple[Any, ...], strict: SafetySettings) -> None:
    temp, timer, food, thickness, code, field = case
    error = refuse(
        strict, temperature_c=temp, timer_s=timer, food_type=food, thickness_mm=thickness
    )
    assert (error.code, error.field) == (ErrorCode(code), field)
    assert "rule" in error.message


@pytest.mark.parametrize(
    "cook",
    [
        {"temperature_c": 40.0, "timer_s": 4 * H},
        {"temperature_c": 54.4, "timer_s": 0},
        {"temperature_c": 57.0, "timer_s": 3 * H, "food_type": "chicken", "thickness_mm": 25},
        {"temperature_c": 63.0, "timer_s": 75 * 60, "food_type": "turkey", "thickness_mm": 25},
        {
            "temperature_c": 55.0,
            "timer_s": 165 * 60,
            "food_type": "ground beef",
            "thickness_mm": 25,
        },
        {"temperature_c": 60.0, "timer_s": 0, "food_type": "chicken"},
        {"temperature_c": 56.0, "timer_s": 600, "food_type": "steak"},
    ],
)
def test_strict_accepts(cook: dict[str, object], strict: SafetySettings) -> None:
    assert isinstance(warnings(strict, **cook), list)


def test_no_timer_on_poultry_warns_with_the_minimum_time(strict: SafetySettings) -> None:
    text = " ".join(
        warnings(strict, temperature_c=60.0, timer_s=0, food_type="chicken", thickness_mm=25)
    )
    assert "No timer" in text
    assert "FSIS/Baldwin poultry table: 60 °C at 25 mm needs 1 h 30 min" in text


def test_short_whole_muscle_cook_warns_not_pasteurized(strict: SafetySettings) -> None:
    text = " ".join(
        warnings(strict, temperature_c=56.0, timer_s=H, food_type="pork chop", thickness_mm=25)
    )
    assert "Not pasteurized" in text
    assert "56.0 °C, read as 55 °C, at 25 mm needs 2 h 45 min" in text


def test_fish_below_55_is_told_to_freeze_first(strict: SafetySettings) -> None:
    text = " ".join(warnings(strict, temperature_c=52.0, timer_s=H, food_type="trout"))
    assert "−20 °C for 7 days or −35 °C for 15 h" in text


def test_whole_muscle_just_below_the_table_says_no_time_applies(strict: SafetySettings) -> None:
    text = " ".join(warnings(strict, temperature_c=54.6, timer_s=H, food_type="beef"))
    assert "starts at 55 °C" in text


def test_thickness_beyond_the_table_warns(strict: SafetySettings) -> None:
    text = " ".join(
        warnings(strict, temperature_c=65.0, timer_s=8 * H, food_type="chicken", thickness_mm=100)
    )
    assert "stops at 70 mm" in text
    assert "100 mm is thicker" in text


def test_unrecognised_food_says_only_general_rules_applied(strict: SafetySettings) -> None:
    assert "not one the safety rules recognise" in " ".join(
        warnings(strict, temperature_c=60.0, timer_s=H, food_type="mystery box")
    )


def test_messages_give_fahrenheit_too_when_the_user_used_it(strict: SafetySettings) -> None:
    error = refuse(strict, temperature_c=55.0, timer_s=2 * H, food_type="chicken", unit="F")
    assert "55.0 °C (131.0 °F)" in error.message
    assert "57 °C (134.6 °F)" in error.message


def test_lower_min_temperature_keeps_rule_three() -> None:
    """Lowering safety.min_temperature_c must not open unlimited cooks at 35 °C."""
    error = refuse(SafetySettings(min_temperature_c=30), temperature_c=35.0, timer_s=0)
    assert error.code is ErrorCode.LOW_TEMP_TIME_UNSAFE


def test_warn_policy_lists_every_finding_in_rule_order(warn: SafetySettings) -> None:
    found = warnings(warn, temperature_c=50.0, timer_s=0, food_type="ground chicken")
    codes = [w.split(" ")[0] for w in found if w[0].isupper() and "_" in w.split(" ")[0]]
    assert codes == ["LOW_TEMP_TIME_UNSAFE", "POULTRY_TEMP_UNSAFE", "GROUND_MEAT_TEMP_UNSAFE"]


def test_check_start_requires_a_resolved_setpoint(strict: SafetySettings) -> None:
    cmd = StartCommand(temperature_c=None, unit="C", timer_s=None)
    with pytest.raises(CommandError) as caught:
        check_start(cmd, cooker_type="a7", settings=strict)
    assert caught.value.code is ErrorCode.MISSING_FIELD
    resolved = cmd.with_defaults(60.0, 5400)
    assert check_start(resolved, cooker_type="a7", settings=strict).policy is SafetyPolicy.STRICT


def test_check_command_dispatches(strict: SafetySettings) -> None:
    assert check_command(StopCommand(), cooker_type="a7", settings=strict).warnings == []
    with pytest.raises(CommandError) as caught:
        check_command(
            SetTemperatureCommand(temperature_c=95.0, unit="C"), cooker_type="pro", settings=strict
        )
    assert caught.value.code is ErrorCode.TEMPERATURE_TOO_HIGH
    with pytest.raises(CommandError) as caught:
        check_command(SetTimerCommand(timer_s=400_000), cooker_type="a7", settings=strict)
    assert caught.value.code is ErrorCode.TIME_TOO_LONG
    # An idle setpoint is only stored: food rules wait for the start that uses it.
    check_command(
        SetTemperatureCommand(temperature_c=45.0, unit="C"), cooker_type="a7", settings=strict
    )


def test_an_idle_setpoint_no_start_could_accept_is_refused(
    strict: SafetySettings, warn: SafetySettings, off: SafetySettings
) -> None:
    with pytest.raises(CommandError) as caught:
        check_idle_setpoint(30.0, cooker_type="a7", settings=strict)
    assert caught.value.code is ErrorCode.TEMPERATURE_TOO_LOW
    assert "danger zone" in caught.value.message
    # 45 °C needs a timer, which the start may bring: it is kept.
    assert check_idle_setpoint(45.0, cooker_type="a7", settings=strict).warnings == []
    warned = check_idle_setpoint(30.0, cooker_type="a7", settings=warn).warnings
    assert warned[0].startswith("TEMPERATURE_TOO_LOW (allowed because safety.policy is warn)")
    assert check_idle_setpoint(30.0, cooker_type="a7", settings=off).warnings == []
    with pytest.raises(CommandError) as caught:
        check_idle_setpoint(93.0, cooker_type="pro", settings=off)
    assert caught.value.code is ErrorCode.TEMPERATURE_TOO_HIGH


def test_a_start_without_food_says_the_food_rules_were_skipped(
    strict: SafetySettings, off: SafetySettings
) -> None:
    cmd = StartCommand(temperature_c=60.0, unit="C", timer_s=3600)
    found = check_start(cmd, cooker_type="a7", settings=strict).warnings
    assert found == [NO_FOOD_WARNING]
    assert "rules (1–3)" in found[0]
    assert "skipped" in found[0]
    named = cmd.model_copy(update={"food_type": "carrots"})
    assert check_start(named, cooker_type="a7", settings=strict).warnings == []
    assert check_start(cmd, cooker_type="a7", settings=off).warnings == []


def test_changing_a_running_cook_is_checked_like_a_start(strict: SafetySettings) -> None:
    """The service re-checks a running chicken cook when its setpoint drops."""
    error = refuse(strict, temperature_c=55.0, timer_s=3 * H, food_type="chicken breast")
    assert error.code is ErrorCode.POULTRY_TEMP_UNSAFE


def test_stored_float_noise_lands_in_the_right_column(strict: SafetySettings) -> None:
    assert (
        warnings(
            strict, temperature_c=56.99999999, timer_s=3 * H, food_type="chicken", thickness_mm=25
        )
        == []
    )
