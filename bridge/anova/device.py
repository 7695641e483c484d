"""What a cooker is: its id, name, type, and the facts that follow from the type."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, field_validator

from bridge.anova.oven_model import OVEN_MODEL_NAMES

# The first device kind's name; a device list stamps its own kind on its entries.
FIRST_KIND = "sous_vide"


class Generation(StrEnum):
    """Which state shape a cooker type pushes (see docs/anova-cloud.md)."""

    A3 = "a3"
    GEN2 = "gen2"
    GEN3 = "gen3"


MODEL_NAMES: dict[str, str] = {
    "a3": "Precision Cooker (original Wi-Fi)",
    "a4": "Precision Cooker (2nd gen)",
    "a5": "Precision Cooker (2nd gen)",
    "pro": "Precision Cooker Pro",
    "a6": "Precision Cooker Nano 3.0",
    "a7": "Precision Cooker 3.0",
    "a8": "Precision Cooker Mini",
    "a9": "Precision Cooker Pro 3.0",
    **OVEN_MODEL_NAMES,
}

GENERATIONS: dict[str, Generation] = {
    "a3": Generation.A3,
    "a4": Generation.GEN2,
    "a5": Generation.GEN2,
    "pro": Generation.GEN2,
    "a6": Generation.GEN3,
    "a7": Generation.GEN3,
    "a8": Generation.GEN3,
    "a9": Generation.GEN3,
}

CLOUD_MAX_TEMPERATURE_C = 99.5
CLOUD_MIN_TEMPERATURE_C = 0.0
CLOUD_MAX_TIMER_S = 359_940
# Anova's own apps cap these models lower than the cloud does.
MODEL_MAX_TEMPERATURE_C: dict[str, float] = {"pro": 92.0, "a4": 92.0}


def model_name(cooker_type: str) -> str:
    """Human model name for a cloud ``type``; unknown types are named plainly."""
    return MODEL_NAMES.get(cooker_type.lower(), f"Anova cooker ({cooker_type})")


def generation(cooker_type: str) -> Generation:
    """The state shape family of a type; unknown types are read as gen 3, the current line."""
    return GENERATIONS.get(cooker_type.lower(), Generation.GEN3)


def max_temperature_c(cooker_type: str) -> float:
    """Highest setpoint the model accepts, in °C."""
    return MODEL_MAX_TEMPERATURE_C.get(cooker_type.lower(), CLOUD_MAX_TEMPERATURE_C)


class CookerInfo(BaseModel):
    """One entry of a device list (``EVENT_APC_WIFI_LIST`` for cookers).

    ``kind`` names the device kind whose list it came from (stamped by the
    registry as the list arrives); every layer above finds the kind's rules,
    entities and payload by it.
    """

    model_config = ConfigDict(frozen=True)

    cooker_id: str
    name: str
    type: str
    paired_at: datetime | None = None
    kind: str = FIRST_KIND

    @field_validator("cooker_id")
    @classmethod
    def _topic_safe(cls, value: str) -> str:
        # The id is a level of Home Assistant discovery topics
        # (<prefix>/device/<cooker_id>/config): a "/" would add levels, and paho
        # refuses to publish to a topic with "+" or "#". Real ids are alphanumeric,
        # so a device-list entry with such an id is skipped as malformed.
        if not value or any(ch in value for ch in "/+#\x00"):
            raise ValueError("a cooker id must be non-empty without /, +, # or NUL")
        return value

    @property
    def model(self) -> str:
        """The marketing model name for this cooker's type."""
        return model_name(self.type)
