"""Rule 3's 4-hour budget counts the time already in the water, for changes and while running."""

from __future__ import annotations

import pytest

from bridge.errors import CommandError, ErrorCode
from bridge.safety import check_cook
from bridge.safety.budget import BudgetStage, budget_stage, spent_message
from bridge.settings import SafetySettings

HOUR = 3600
STRICT = SafetySettings()


def change(in_water_s: int, timer_left_s: int, **kw: object) -> list[str]:
    return check_cook(
        temperature_c=50.0,
        timer_s=3 * HOUR,
        cooker_type="a7",
        settings=kw.pop("settings", STRICT),  # type: ignore[arg-type]
        in_water_s=in_water_s,
        timer_left_s=timer_left_s,
        **kw,  # type: ignore[arg-type]
    ).warnings


def test_a_new_timer_after_two_hours_may_not_go_past_four() -> None:
    with pytest.raises(CommandError) as refused:
        change(2 * HOUR, 3 * HOUR)
    assert refused.value.code is ErrorCode.LOW_TEMP_TIME_UNSAFE
    assert "in the water 2 h" in refused.value.message
    assert "5 h" in refused.value.message
    assert change(2 * HOUR, 2 * HOUR)  # exactly 4 h: allowed, with the not-pasteurized warning


def test_a_timer_that_has_run_out_ends_nothing_below_54_4() -> None:
    with pytest.raises(CommandError) as refused:
        change(HOUR, 0)
    assert "already run out" in refused.value.message


def test_warn_lets_the_change_through_and_says_why() -> None:
    warnings = change(2 * HOUR, 3 * HOUR, settings=SafetySettings(policy="warn"))
    assert any(w.startswith("LOW_TEMP_TIME_UNSAFE") for w in warnings)


def test_a_new_cook_is_checked_as_before() -> None:
    report = check_cook(temperature_c=50.0, timer_s=4 * HOUR, cooker_type="a7", settings=STRICT)
    assert report.warnings


@pytest.mark.parametrize(
    ("target", "in_water", "stage"),
    [
        (50.0, 3 * HOUR, BudgetStage.RUNNING),
        (50.0, 3 * HOUR + 30 * 60, BudgetStage.ENDING),
        (50.0, 4 * HOUR, BudgetStage.SPENT),
        (54.4, 9 * HOUR, BudgetStage.NOT_APPLICABLE),
        (None, 9 * HOUR, BudgetStage.NOT_APPLICABLE),
    ],
)
def test_budget_stages(target: float | None, in_water: int, stage: BudgetStage) -> None:
    assert budget_stage(target, in_water) is stage


def test_the_spent_message_names_the_rule_and_what_was_done() -> None:
    stopped = spent_message(50.0, 4 * HOUR, "C", stopped=True)
    assert "rule 3" in stopped
    assert "stopped the cook" in stopped
    assert "left running" in spent_message(50.0, 4 * HOUR, "C", stopped=False)
