"""Core-temperature equivalents (USDA-FSIS), loaded from ``core_temperatures.json``.

The water-bath tables give *total bath time* from fridge-cold food, so they
include heating up. An oven's probe reports the core itself: once the core
is at a temperature, the FSIS lethality figures say how long it must stay
there. The oven rules use them to decide whether a later stage holds the
food long enough after a probe stage ends below the consumer temperature.
Like the bath tables, look-ups round the temperature *down* to a column.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

CoreTableName = Literal["poultry", "meat"]


class CoreTable(BaseModel):
    """Hold seconds by core temperature, with the food's consumer temperature."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str
    citation: str
    source: str
    target: str
    consumer_c: float
    temperature_unit: Literal["°C"]
    time_unit: Literal["s"]
    columns_c: tuple[float, ...]
    seconds: tuple[int, ...]

    @model_validator(mode="after")
    def _check_shape(self) -> CoreTable:
        # A typo in the data must fail loudly at import, not weaken a check.
        if list(self.columns_c) != sorted(set(self.columns_c)):
            raise ValueError(f"{self.title}: columns must be strictly increasing")
        if len(self.seconds) != len(self.columns_c) or list(self.seconds) != sorted(
            self.seconds, reverse=True
        ):
            raise ValueError(f"{self.title}: one time per column, never longer when hotter")
        if self.columns_c[-1] > self.consumer_c or self.seconds[-1] != 0:
            raise ValueError(f"{self.title}: the last column must be instant, at most consumer_c")
        return self

    def hold_s(self, core_c: float) -> int | None:
        """Seconds the core must stay at ``core_c`` or more; None below the first column."""
        columns = [index for index, column in enumerate(self.columns_c) if column <= core_c]
        return self.seconds[columns[-1]] if columns else None

    def column_c(self, core_c: float) -> float | None:
        """The column ``core_c`` is read as (rounded down); None below the first."""
        columns = [column for column in self.columns_c if column <= core_c]
        return columns[-1] if columns else None


class _CoreFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    about: str
    tables: dict[CoreTableName, CoreTable]


@cache
def load_core_tables() -> dict[CoreTableName, CoreTable]:
    """Both tables from the packaged ``core_temperatures.json``, validated once."""
    text = (
        resources.files("bridge.safety")
        .joinpath("core_temperatures.json")
        .read_text(encoding="utf-8")
    )
    return dict(_CoreFile.model_validate(json.loads(text)).tables)


def core_table(name: CoreTableName) -> CoreTable:
    """One table by name."""
    return load_core_tables()[name]
