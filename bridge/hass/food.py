"""The food entities: how Home Assistant gives the next cook's food and thickness.

Home Assistant's thermostat can only say "heat to 55 °C"; the food-safety
rules for poultry, ground meat, whole cuts and fish need to know what is in
the bath. These entities write the ``set/food_type`` and ``set/thickness_mm``
shortcuts and read the state's ``food`` object (docs/home-assistant.md says
why there are three of them).
"""

from __future__ import annotations

from typing import Final

from bridge.commands.fields import MAX_FOOD_TYPE_CHARS
from bridge.commands.shortcuts import NOT_SET
from bridge.hass.context import Config, EntityContext

MAX_THICKNESS_MM: Final = 150  # twice the tables' last row; thicker food is a roast, not sous vide

FOOD_CHOICES: Final[dict[str | None, str]] = {
    None: NOT_SET,
    "poultry": "poultry",
    "ground_meat": "ground meat",
    "whole_meat": "beef, pork or lamb",
    "lean_fish": "lean fish",
    "fatty_fish": "fatty fish",
    "egg": "eggs",
    "vegetable": "vegetables",
    "other": "other food",
}
"""The state's ``food.category`` → the select's option.

Each option, sent back as a food type, is read by the classifier as that
same category, so choosing one never shows another.
"""
_FOOD_MAP = "{" + ", ".join(f"'{k}': '{v}'" for k, v in FOOD_CHOICES.items() if k) + "}"


# A retained state from a bridge older than the food entities has no ``food``:
# read it as "no food" rather than make Home Assistant log a template error.
_FOOD = "(value_json.get('food') or {})"


def food_name(ctx: EntityContext) -> Config:
    """The next cook's food as free text ("chicken thighs"), for rules 4–7.

    Home Assistant's thermostat cannot say what is cooking; without this a
    start from Home Assistant gets rules 1–3 only. While a cook runs it shows
    that cook's food. Empty clears it.
    """
    return {
        "platform": "text",
        "name": "Food",
        "unique_id": ctx.unique_id("food_type"),
        "command_topic": ctx.topics.set("food_type"),
        "state_topic": ctx.topics.state,
        "value_template": f"{{{{ {_FOOD}.get('food_type') or '' }}}}",
        "min": 0,
        "max": MAX_FOOD_TYPE_CHARS,
        "mode": "text",
        "icon": "mdi:food-drumstick",
    }


def food_category(ctx: EntityContext) -> Config:
    """How the rules read the food, and a one-tap way to give it (``not set`` clears)."""
    return {
        "platform": "select",
        "name": "Food category",
        "unique_id": ctx.unique_id("food_category"),
        "command_topic": ctx.topics.set("food_type"),
        "state_topic": ctx.topics.state,
        "value_template": f"{{{{ {_FOOD_MAP}.get({_FOOD}.get('category'), '{NOT_SET}') }}}}",
        "options": list(FOOD_CHOICES.values()),
        "icon": "mdi:food",
    }


def thickness(ctx: EntityContext) -> Config:
    """The food's thickness, which sets the pasteurization time; 0 assumes the default."""
    return {
        "platform": "number",
        "name": "Thickness",
        "unique_id": ctx.unique_id("thickness"),
        "command_topic": ctx.topics.set("thickness_mm"),
        "state_topic": ctx.topics.state,
        # A JSON start may give more than the slider's range: unknown, not an error in HA's log.
        "value_template": (
            f"{{% set mm = {_FOOD}.get('thickness_mm') or 0 %}}"
            f"{{{{ mm if mm <= {MAX_THICKNESS_MM} else None }}}}"
        ),
        "min": 0,
        "max": MAX_THICKNESS_MM,
        "step": 1,
        "mode": "box",
        "device_class": "distance",
        "unit_of_measurement": "mm",
    }
