"""The contract's words: actions, shortcut fields, bridge requests and units (CONTRACT §1–2).

They are what users type into topics and payloads, so every layer that
needs them reads them here instead of spelling them again: the command
parsers (``commands/``), the Home Assistant topics (``hass/``), the cloud
states (``anova/``). A module of names only, at the bottom of the layers.
"""

from __future__ import annotations

from typing import Final, Literal

TemperatureUnit = Literal["C", "F"]
"""A temperature unit as users write it and the cloud reports it."""

Action = Literal["start", "stop", "set_temperature", "set_timer", "set_unit", "set_food"]
ACTIONS: Final[tuple[Action, ...]] = (
    "start",
    "stop",
    "set_temperature",
    "set_timer",
    "set_unit",
    "set_food",
)
"""The ``action`` of a JSON command on ``<base>/<id>/set``."""

SHORTCUT_FIELDS: Final[tuple[str, ...]] = (
    "target_temperature",
    "timer",
    "mode",
    "start",
    "stop",
    "unit",
    "food_type",
    "thickness_mm",
)
"""The ``<field>`` of each plain-value shortcut ``<base>/<id>/set/<field>``."""

BridgeAction = Literal["health_check", "devices", "republish_discovery"]
BRIDGE_ACTIONS: Final[tuple[BridgeAction, ...]] = ("health_check", "devices", "republish_discovery")
"""The ``<action>`` of ``<base>/bridge/request/<action>``."""

OvenAction = Literal[
    "start", "stop", "set_temperature", "set_timer", "set_unit", "set_food", "set_next_stage"
]
OVEN_ACTIONS: Final[tuple[OvenAction, ...]] = (
    "start",
    "stop",
    "set_temperature",
    "set_timer",
    "set_unit",
    "set_food",
    "set_next_stage",
)
"""The ``action`` of a JSON command on an oven's ``<base>/<id>/set``."""

OVEN_SHORTCUT_FIELDS: Final[tuple[str, ...]] = (
    *SHORTCUT_FIELDS,
    "oven_mode",
    "steam_percent",
    "probe_target",
    "elements",
    "fan_speed",
    "timer_start",
)
"""The ``<field>`` of each plain-value shortcut ``<base>/<id>/set/<field>`` of an oven."""

EVENT_TYPES: Final[tuple[str, ...]] = (
    "cook_started",
    "preheat_complete",
    "cook_complete",
    "cook_stopped",
    "alarm",
    "alarm_cleared",
    "device_offline",
    "device_online",
    "command_refused",
    "command_warnings",
    "low_temp_budget_ending",
    "low_temp_budget_spent",
    "cook_change_unsafe",
)
"""The ``event`` of a cooker's ``<base>/<id>/event`` messages (CONTRACT §5)."""

OVEN_EVENT_TYPES: Final[tuple[str, ...]] = (
    *EVENT_TYPES,
    "stage_started",
    "timer_done",
    "probe_target_reached",
    "door_opened",
    "door_closed",
    "water_tank_empty",
    "water_tank_refilled",
)
"""The ``event`` of an oven's ``<base>/<id>/event`` messages (docs/mqtt.md, "Oven events"):
the cookers' and what only an oven reports."""
