"""Every row of the 'Examples (strict)' table in food-safety.md, plus the seed case."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bridge.commands import parse_set_payload
from bridge.errors import CommandError, ErrorCode
from bridge.safety import check_cook, check_start
from bridge.settings import SafetySettings

FIXTURE = Path(__file__).parents[1] / "fixtures" / "safety-examples.json"
EXAMPLES: list[dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))["examples"]


def _check(example: dict[str, Any], settings: SafetySettings) -> list[str]:
    report = check_cook(
        temperature_c=example["temperature_c"],
        timer_s=example["timer_s"],
        food_type=example["food_type"],
        thickness_mm=example.get("thickness_mm"),
        cooker_type="a7",
        settings=settings,
    )
    return report.warnings


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["row"] for e in EXAMPLES])
def test_example_row(example: dict[str, Any], strict: SafetySettings) -> None:
    if example["code"] is None:
        warnings = _check(example, strict)
        text = " ".join(warnings)
        for needle in example.get("warnings_contain", []):
            assert needle in text
        for needle in example.get("warnings_exclude", []):
            assert needle not in text
        if "warnings" in example:
            assert warnings == example["warnings"]
        return
    with pytest.raises(CommandError) as caught:
        _check(example, strict)
    assert caught.value.code == ErrorCode(example["code"])
    for needle in example["message_contains"]:
        assert needle in caught.value.message


def test_seed_case_35c_for_an_hour_is_refused_as_danger_zone(strict: SafetySettings) -> None:
    payload = b'{"action": "start", "temperature": 35, "time_minutes": 60}'
    cmd = parse_set_payload(payload, retained=False, default_unit="C")
    with pytest.raises(CommandError) as caught:
        check_start(cmd, cooker_type="a7", settings=strict)  # type: ignore[arg-type]
    assert caught.value.code is ErrorCode.TEMPERATURE_TOO_LOW
    assert "danger zone" in caught.value.message
    assert caught.value.field == "temperature"


def test_seed_case_in_fahrenheit_names_both_units(strict: SafetySettings) -> None:
    payload = b'{"action": "start", "temperature": 95, "unit": "F", "duration": "1h"}'
    cmd = parse_set_payload(payload, retained=False, default_unit="C")
    with pytest.raises(CommandError) as caught:
        check_start(cmd, cooker_type="a7", settings=strict)  # type: ignore[arg-type]
    assert "35.0 °C (95.0 °F)" in caught.value.message
    assert "40 °C (104 °F)" in caught.value.message


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["row"] for e in EXAMPLES])
def test_warn_policy_runs_every_food_rule_example(
    example: dict[str, Any], warn: SafetySettings
) -> None:
    """Under warn only the device limits refuse; every other refusal becomes a warning."""
    if example["code"] == "TEMPERATURE_TOO_HIGH":
        with pytest.raises(CommandError):
            _check(example, warn)
        return
    warnings = _check(example, warn)
    if example["code"] is not None:
        assert any(w.startswith(example["code"]) for w in warnings)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["row"] for e in EXAMPLES])
def test_off_policy_keeps_only_device_limits(example: dict[str, Any], off: SafetySettings) -> None:
    if example["code"] == "TEMPERATURE_TOO_HIGH":
        with pytest.raises(CommandError):
            _check(example, off)
    else:
        assert _check(example, off) == []
