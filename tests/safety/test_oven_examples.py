"""Every row of the ovens' examples table in docs/food-safety.md, strict, warn and off."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bridge.anova.oven_model import OvenPlan
from bridge.errors import CommandError, ErrorCode
from bridge.safety.oven import OVEN_RULES
from bridge.settings import SafetySettings

FIXTURE = Path(__file__).parents[1] / "fixtures" / "safety-oven-examples.json"
EXAMPLES: list[dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))["examples"]
DEVICE_CODES = {"TEMPERATURE_TOO_HIGH", "INVALID_FIELD"}


def _check(example: dict[str, Any], settings: SafetySettings) -> list[str]:
    plan = OvenPlan.model_validate(
        {
            "stages": example["stages"],
            "food_type": example.get("food_type"),
            "thickness_mm": example.get("thickness_mm"),
        },
        strict=False,
    )
    report = OVEN_RULES.check_plan(
        plan,
        oven_type=example.get("oven_type", "oven_v1"),
        settings=settings,
        unit=example.get("unit", "C"),
    )
    return report.warnings


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["row"] for e in EXAMPLES])
def test_example_row(example: dict[str, Any], strict: SafetySettings) -> None:
    if example["code"] is None:
        warnings = _check(example, strict)
        text = " ".join(warnings)
        for needle in example.get("warnings_contain", []):
            assert needle in text
        if "warnings" in example:
            assert warnings == example["warnings"]
        return
    with pytest.raises(CommandError) as caught:
        _check(example, strict)
    assert (caught.value.code, caught.value.field) == (ErrorCode(example["code"]), example["field"])
    for needle in example["message_contains"]:
        assert needle in caught.value.message


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["row"] for e in EXAMPLES])
def test_warn_and_off_refuse_only_the_device_limits(
    example: dict[str, Any], warn: SafetySettings, off: SafetySettings
) -> None:
    if example["code"] in DEVICE_CODES:
        for settings in (warn, off):
            with pytest.raises(CommandError):
                _check(example, settings)
        return
    if example["code"] is not None:
        assert any(w.startswith(example["code"]) for w in _check(example, warn))
    assert _check(example, off) == []
