"""What every entity builder gets: one cooker's topics, type and published unit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bridge.contract import TemperatureUnit
from bridge.hass.topics import CookerTopics

Config = dict[str, Any]


@dataclass(frozen=True)
class EntityContext:
    """What the builders need: the cooker's topics, its type and the published unit."""

    topics: CookerTopics
    cooker_id: str
    cooker_type: str
    unit: TemperatureUnit

    def unique_id(self, key: str) -> str:
        """Stable across renames and restarts: ``anova_<cooker_id>_<key>``."""
        return f"anova_{self.cooker_id}_{key}"

    @property
    def unit_symbol(self) -> str:
        """Home Assistant's temperature unit string for sensors."""
        return "°C" if self.unit == "C" else "°F"
