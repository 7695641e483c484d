"""The typed commands: frozen, and 'start with what is stored' resolution."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bridge.commands import StartCommand, StopCommand
from bridge.errors import CommandError, ErrorCode


def test_commands_are_frozen() -> None:
    cmd = StopCommand(request_id="x")
    with pytest.raises(ValidationError):
        cmd.request_id = "y"  # type: ignore[misc]


def test_with_defaults_fills_the_stored_setpoint_and_timer() -> None:
    cmd = StartCommand(temperature_c=None, unit="C", timer_s=None)
    assert cmd.uses_stored_settings
    resolved = cmd.with_defaults(60.5, 5400)
    assert (resolved.temperature_c, resolved.timer_s) == (60.5, 5400)
    assert not resolved.uses_stored_settings


def test_with_defaults_without_a_stored_timer_means_no_timer() -> None:
    resolved = StartCommand(temperature_c=None, unit="F", timer_s=None).with_defaults(60.0, None)
    assert resolved.timer_s == 0


def test_with_defaults_keeps_explicit_values() -> None:
    cmd = StartCommand(temperature_c=57.0, unit="C", timer_s=600)
    assert cmd.with_defaults(60.0, 5400) == cmd


def test_with_defaults_without_any_setpoint_is_missing_field() -> None:
    with pytest.raises(CommandError) as caught:
        StartCommand(temperature_c=None, unit="C", timer_s=None).with_defaults(None, 60)
    assert caught.value.code is ErrorCode.MISSING_FIELD
    assert caught.value.field == "temperature"


def test_models_refuse_unknown_fields() -> None:
    with pytest.raises(ValidationError):
        StopCommand(colour="red")  # type: ignore[call-arg]


def test_with_food_fills_the_next_cooks_food_only_when_none_is_named() -> None:
    bare = StartCommand(temperature_c=60.0, unit="C")
    filled = bare.with_food("chicken", 30.0)
    assert (filled.food_type, filled.thickness_mm) == ("chicken", 30.0)
    named = StartCommand(temperature_c=60.0, unit="C", food_type="salmon")
    # The stored thickness belongs to the stored food, not to the salmon.
    assert named.with_food("chicken", 30.0) == named
    assert bare.with_food(None, None) == bare
