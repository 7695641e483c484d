"""The pasteurization tables, loaded from ``tables.json`` and looked up conservatively.

The numbers are published facts (Baldwin, *A Practical Guide to Sous Vide
Cooking*, derived from USDA-FSIS lethality data), so they live as data with
their source and units rather than in code. Look-ups never interpolate
toward less safety: the setpoint rounds *down* to a column (a cooler column
needs a longer time) and the thickness rounds *up* to a row (thicker food
needs a longer time).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

TableName = Literal["poultry", "meat", "fish_lean", "fish_fatty"]


class TableRow(BaseModel):
    """Times for one thickness, one per column."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    thickness_mm: float
    minutes: tuple[int, ...]


class PasteurizationTable(BaseModel):
    """One published table: total bath minutes by setpoint column and thickness row."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str
    citation: str
    source: str
    target: str
    temperature_unit: Literal["°C"]
    thickness_unit: Literal["mm"]
    time_unit: Literal["min"]
    columns_c: tuple[float, ...]
    rows: tuple[TableRow, ...]

    @model_validator(mode="after")
    def _check_shape(self) -> PasteurizationTable:
        # A typo in the data must fail loudly at import, not weaken a check.
        if list(self.columns_c) != sorted(set(self.columns_c)) or not self.rows:
            raise ValueError(f"{self.title}: columns must be strictly increasing")
        thicknesses = [row.thickness_mm for row in self.rows]
        if thicknesses != sorted(set(thicknesses)):
            raise ValueError(f"{self.title}: rows must be strictly increasing")
        if any(len(row.minutes) != len(self.columns_c) for row in self.rows):
            raise ValueError(f"{self.title}: every row needs one time per column")
        return self

    @property
    def lowest_c(self) -> float:
        """The coolest column: below it the table gives no time at all."""
        return self.columns_c[0]

    @property
    def thickest_mm(self) -> float:
        """The thickest row the table covers."""
        return self.rows[-1].thickness_mm

    def lookup(self, temperature_c: float, thickness_mm: float) -> Lookup | None:
        """The required time for a setpoint and thickness, or None below the first column."""
        column = _column_index(self.columns_c, temperature_c)
        if column is None:
            return None
        row = next((r for r in self.rows if r.thickness_mm >= thickness_mm), self.rows[-1])
        return Lookup(
            table=self,
            column_c=self.columns_c[column],
            row_mm=row.thickness_mm,
            minutes=row.minutes[column],
            beyond_table=thickness_mm > self.thickest_mm,
        )


class Lookup(BaseModel):
    """The outcome of one table look-up, with what was rounded to what."""

    model_config = ConfigDict(frozen=True)

    table: PasteurizationTable
    column_c: float
    row_mm: float
    minutes: int
    beyond_table: bool

    @property
    def seconds(self) -> int:
        """The required bath time in seconds."""
        return self.minutes * 60


class _TableFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    about: str
    tables: dict[TableName, PasteurizationTable]


def _column_index(columns: tuple[float, ...], temperature_c: float) -> int | None:
    """Index of the hottest column not above the setpoint (round down); None below all."""
    candidates = [index for index, column in enumerate(columns) if column <= temperature_c]
    return candidates[-1] if candidates else None


@cache
def load_tables() -> dict[TableName, PasteurizationTable]:
    """All tables from the packaged ``tables.json``, validated once."""
    text = resources.files("bridge.safety").joinpath("tables.json").read_text(encoding="utf-8")
    return dict(_TableFile.model_validate(json.loads(text)).tables)


def table(name: TableName) -> PasteurizationTable:
    """One table by name."""
    return load_tables()[name]
