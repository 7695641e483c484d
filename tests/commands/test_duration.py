"""Duration parsing: the forms CONTRACT §2 promises, and what is refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bridge.commands import parse_duration
from bridge.errors import CommandError, ErrorCode


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1h30m", 5400),
        ("90m", 5400),
        ("45s", 45),
        ("1:30", 5400),
        ("0:45", 2700),
        ("1:30:15", 5415),
        ("PT1H30M", 5400),
        ("pt90m", 5400),
        ("PT45S", 45),
        ("P1DT2H", 93_600),
        ("1h30", 5400),
        ("1.5h", 5400),
        ("2 hours 15 minutes", 8100),
        ("1 hr 5 min 30 sec", 3930),
        ("  10M  ", 600),
        ("0s", 0),
        ("0.1s", 1),  # positive never rounds to "no timer"
        ("99h59m", 359_940),
    ],
)
def test_accepted_forms(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    "text",
    ["", "90", "h", "PT", "P1DT", "P", "1:75", "1:5", "30m1h", "1h1h", "-5m", "1e3s", "abc",
     "5 days", "1" * 70 + "s", "1h 30m extra", "1,5h", "½h"],
)  # fmt: skip
def test_refused_forms(text: str) -> None:
    with pytest.raises(CommandError) as caught:
        parse_duration(text)
    assert caught.value.code is ErrorCode.INVALID_FIELD
    assert caught.value.field == "duration"
    assert "1h30m" in caught.value.message


def test_field_name_is_used_in_errors() -> None:
    with pytest.raises(CommandError) as caught:
        parse_duration("soon", field="timer")
    assert caught.value.field == "timer"


@given(st.integers(0, 99), st.integers(0, 59), st.integers(0, 59))
def test_all_forms_agree(hours: int, minutes: int, seconds: int) -> None:
    total = hours * 3600 + minutes * 60 + seconds
    assert parse_duration(f"{hours}:{minutes:02d}:{seconds:02d}") == total
    assert parse_duration(f"{hours}h{minutes}m{seconds}s") == total
    assert parse_duration(f"PT{hours}H{minutes}M{seconds}S") == total


@given(st.text(max_size=80))
def test_never_raises_anything_but_command_error(text: str) -> None:
    code = None
    try:
        assert parse_duration(text) >= 0
    except CommandError as err:
        code = err.code
    assert code in {None, ErrorCode.INVALID_FIELD}
