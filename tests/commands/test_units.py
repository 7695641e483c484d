"""Temperature conversion: one decimal in the user's unit survives the round trip."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bridge.commands import from_celsius, to_celsius
from bridge.commands.units import parse_unit


@pytest.mark.parametrize(
    ("fahrenheit", "celsius"),
    [(140.0, 60.0), (131.5, 55.28), (134.6, 57.0), (212.0, 100.0), (32.0, 0.0), (211.1, 99.5)],
)
def test_fahrenheit_to_celsius(fahrenheit: float, celsius: float) -> None:
    assert to_celsius(fahrenheit, "F") == celsius
    assert from_celsius(celsius, "F") == fahrenheit


def test_input_is_rounded_to_one_decimal_in_its_own_unit() -> None:
    assert to_celsius(60.04, "C") == 60.0
    assert to_celsius(140.04, "F") == 60.0


@given(st.integers(-4000, 10_000))
def test_fahrenheit_round_trip_keeps_one_decimal(tenths: int) -> None:
    fahrenheit = tenths / 10
    assert from_celsius(to_celsius(fahrenheit, "F"), "F") == fahrenheit


@given(st.integers(-2000, 5000))
def test_celsius_round_trip_is_exact(tenths: int) -> None:
    celsius = tenths / 10
    assert from_celsius(to_celsius(celsius, "C"), "C") == celsius


def test_huge_values_stay_finite() -> None:
    assert to_celsius(1.7e308, "F") > 1e300


@pytest.mark.parametrize(
    ("text", "unit"),
    [("C", "C"), ("c", "C"), ("°F", "F"), (" f ", "F"), ("Celsius", "C"), ("K", None), ("", None)],
)
def test_parse_unit(text: str, unit: str | None) -> None:
    assert parse_unit(text) == unit
