"""The pasteurization tables: data with sources, and conservative look-ups."""

from __future__ import annotations

import pytest

from bridge.safety import load_tables, table
from bridge.safety.tables import PasteurizationTable


@pytest.mark.parametrize("name", ["poultry", "meat", "fish_lean", "fish_fatty"])
def test_every_table_names_its_source_and_units(name: str) -> None:
    data = table(name)  # type: ignore[arg-type]
    assert "Baldwin" in data.source
    assert data.temperature_unit == "°C"
    assert data.thickness_unit == "mm"
    assert data.time_unit == "min"
    assert data.citation in {
        "FSIS/Baldwin poultry table",
        "FSIS/Baldwin meat table",
        "Baldwin lean-fish table",
        "Baldwin fatty-fish table",
    }


@pytest.mark.parametrize("data", list(load_tables().values()), ids=list(load_tables()))
def test_tables_are_monotonic(data: PasteurizationTable) -> None:
    """Hotter never needs longer and thicker never needs less: guards against data typos."""
    for row in data.rows:
        assert list(row.minutes) == sorted(row.minutes, reverse=True)
    for column in range(len(data.columns_c)):
        times = [row.minutes[column] for row in data.rows]
        assert times == sorted(times)


@pytest.mark.parametrize(
    ("name", "temperature_c", "thickness_mm", "expected"),
    [
        ("poultry", 60.0, 25.0, (60.0, 25.0, 90)),
        ("poultry", 57.0, 10.0, (57.0, 10.0, 135)),
        ("poultry", 59.99, 25.0, (57.0, 25.0, 180)),  # temperature rounds down
        ("poultry", 60.0, 26.0, (60.0, 50.0, 195)),  # thickness rounds up
        ("poultry", 60.0, 5.0, (60.0, 10.0, 55)),
        ("poultry", 80.0, 70.0, (65.0, 70.0, 225)),  # above the last column
        ("meat", 57.0, 25.0, (55.0, 25.0, 165)),
        ("meat", 58.0, 50.0, (58.0, 50.0, 180)),
        ("meat", 65.0, 10.0, (65.0, 10.0, 25)),
        ("fish_lean", 60.0, 25.0, (60.0, 25.0, 75)),
        ("fish_fatty", 59.0, 70.0, (55.0, 70.0, 555)),
    ],
)
def test_lookup_rounds_toward_safety(
    name: str, temperature_c: float, thickness_mm: float, expected: tuple[float, float, int]
) -> None:
    lookup = table(name).lookup(temperature_c, thickness_mm)  # type: ignore[arg-type]
    assert lookup is not None
    assert (lookup.column_c, lookup.row_mm, lookup.minutes) == expected
    assert lookup.seconds == expected[2] * 60
    assert not lookup.beyond_table


def test_thicker_than_the_last_row_uses_it_and_says_so() -> None:
    lookup = table("poultry").lookup(63.0, 90.0)
    assert lookup is not None
    assert (lookup.row_mm, lookup.minutes, lookup.beyond_table) == (70.0, 255, True)


@pytest.mark.parametrize(("name", "temperature_c"), [("poultry", 56.9), ("meat", 54.99)])
def test_below_the_first_column_there_is_no_time(name: str, temperature_c: float) -> None:
    assert table(name).lookup(temperature_c, 25.0) is None  # type: ignore[arg-type]


def test_food_safety_md_poultry_table_is_transcribed() -> None:
    rows = [(row.thickness_mm, row.minutes) for row in table("poultry").rows]
    assert rows == [
        (10, (135, 55, 30, 20)),
        (25, (180, 90, 75, 55)),
        (50, (285, 195, 150, 135)),
        (70, (420, 300, 255, 225)),
    ]


@pytest.mark.parametrize(
    "broken",
    [
        {"columns_c": [60, 57], "rows": [{"thickness_mm": 10, "minutes": [1, 2]}]},
        {"columns_c": [57, 60], "rows": [{"thickness_mm": 10, "minutes": [1]}]},
        {
            "columns_c": [57],
            "rows": [{"thickness_mm": 25, "minutes": [1]}, {"thickness_mm": 10, "minutes": [2]}],
        },
    ],
)
def test_malformed_table_data_fails_loudly(broken: dict[str, object]) -> None:
    base = table("poultry").model_dump()
    with pytest.raises(ValueError, match=r"must|needs"):
        PasteurizationTable.model_validate({**base, **broken})


def test_food_safety_md_meat_table_is_transcribed() -> None:
    data = table("meat")
    assert data.columns_c == (55.0, 58.0, 60.0, 65.0)
    assert [(row.thickness_mm, row.minutes) for row in data.rows] == [
        (10, (120, 55, 40, 25)),  # 2 h, 55 min, 40 min, 25 min
        (25, (165, 105, 90, 55)),  # 2 h 45, 1 h 45, 1 h 30, 55 min
        (50, (270, 180, 150, 120)),  # 4 h 30, 3 h, 2 h 30, 2 h
        (70, (390, 285, 240, 195)),  # 6 h 30, 4 h 45, 4 h, 3 h 15
    ]


def test_food_safety_md_lean_fish_table_is_transcribed() -> None:
    data = table("fish_lean")
    assert data.columns_c == (55.0, 60.0)
    assert [(row.thickness_mm, row.minutes) for row in data.rows] == [
        (10, (165, 35)),  # 2 h 45, 35 min
        (25, (195, 75)),  # 3 h 15, 1 h 15
        (50, (315, 180)),  # 5 h 15, 3 h
        (70, (450, 285)),  # 7 h 30, 4 h 45
    ]


def test_food_safety_md_fatty_fish_table_is_transcribed() -> None:
    data = table("fish_fatty")
    assert data.columns_c == (55.0, 60.0)
    assert [(row.thickness_mm, row.minutes) for row in data.rows] == [
        (10, (255, 50)),  # 4 h 15, 50 min
        (25, (300, 90)),  # 5 h, 1 h 30
        (50, (420, 195)),  # 7 h, 3 h 15
        (70, (555, 315)),  # 9 h 15, 5 h 15
    ]
