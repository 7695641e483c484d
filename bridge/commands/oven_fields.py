"""Read the values only an oven's commands have: modes, elements, percentages, rack, title.

The JSON command (:mod:`bridge.commands.oven_json`) and the shortcut topics
(:mod:`bridge.commands.oven_shortcuts`) both read them here, so a value
means the same on either topic. Only shape is checked: types, whole
numbers, the named choices, and the limits that hold for every oven
(percentages and fan 0–100, rack 1–5). Limits that depend on the oven
model, and food safety, are :mod:`bridge.safety`'s.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from bridge.anova.oven_model import HeatingElements, OvenMode, TimerStart
from bridge.commands import fields

MAX_TITLE_CHARS = 100
ELEMENT_NAMES = ("top", "bottom", "rear")

ELEMENT_PRESETS: dict[str, HeatingElements] = {
    "rear": HeatingElements(top=False, bottom=False, rear=True),
    "top": HeatingElements(top=True, bottom=False, rear=False),
    "bottom": HeatingElements(top=False, bottom=True, rear=False),
    "top_rear": HeatingElements(top=True, bottom=False, rear=True),
    "bottom_rear": HeatingElements(top=False, bottom=True, rear=True),
    "top_bottom": HeatingElements(top=True, bottom=True, rear=False),
}
"""The element combinations an oven runs, by the name users give them.

All three at once is not among them: the ovens refuse it (``anova-oven-api.md`` §5).
"""

ChoiceT = TypeVar("ChoiceT", bound=StrEnum)


def choice_from_text(text: str, field: str, choices: type[ChoiceT]) -> ChoiceT:
    """One of an enumeration's values, in any case, spaces around ignored."""
    wanted = text.strip().lower()
    for member in choices:
        if member.value == wanted:
            return member
    names = ", ".join(f'"{member.value}"' for member in choices)
    raise fields.invalid(
        field, f"Field '{field}' must be one of {names}, not {fields.display(text)}."
    )


def read_choice(value: object, field: str, choices: type[ChoiceT]) -> ChoiceT:
    """A JSON string naming one of an enumeration's values."""
    if not isinstance(value, str):
        names = ", ".join(f'"{member.value}"' for member in choices)
        raise fields.wrong_type(field, f"one of {names}", value)
    return choice_from_text(value, field, choices)


def read_mode(value: object, field: str = "mode") -> OvenMode:
    """``dry``, ``steam`` or ``wet``."""
    return read_choice(value, field, OvenMode)


def read_timer_start(value: object, field: str = "timer_start") -> TimerStart:
    """``immediately``, ``when_preheated`` or ``manual``."""
    return read_choice(value, field, TimerStart)


def whole_number(number: float, field: str, low: int, high: int) -> int:
    """A whole number in ``low``–``high``; ``30.0`` counts (Home Assistant sends it)."""
    if not number.is_integer() or not low <= number <= high:
        raise fields.invalid(field, f"Field '{field}' must be a whole number from {low} to {high}.")
    return int(number)


def read_whole(value: object, field: str, low: int, high: int) -> int:
    """A JSON number that is whole and in ``low``–``high``."""
    return whole_number(fields.read_number(value, field), field, low, high)


def read_percent(value: object, field: str) -> int:
    """A whole percentage 1–100 (0 is "none", which only some fields mean; they check first)."""
    return read_whole(value, field, 1, 100)


def read_fan_speed(value: object, field: str = "fan_speed") -> int:
    """The fan speed, a whole number 0–100."""
    return read_whole(value, field, 0, 100)


def read_rack_position(value: object, field: str = "rack_position") -> int:
    """The rack the food is on, 1 (bottom) to 5."""
    return read_whole(value, field, 1, 5)


def elements_from_preset(text: str, field: str = "elements") -> HeatingElements:
    """The elements a preset names (``rear``, ``top_rear``, …), in any case."""
    elements = ELEMENT_PRESETS.get(text.strip().lower())
    if elements is None:
        raise fields.invalid(
            field,
            f"Field '{field}' must be one of {', '.join(ELEMENT_PRESETS)}, "
            f"not {fields.display(text)}.",
        )
    return elements


def read_elements(value: object, field: str = "elements") -> HeatingElements:
    """A preset name, or a list of element names such as ``["top", "rear"]``."""
    if isinstance(value, str):
        return elements_from_preset(value, field)
    if not isinstance(value, list):
        raise fields.wrong_type(field, 'a preset such as "rear" or a list such as ["top"]', value)
    names = [_element_name(item, field) for item in value]
    if len(set(names)) != len(names):
        raise fields.invalid(field, f"Field '{field}' names an element twice.")
    preset = "_".join(name for name in ELEMENT_NAMES if name in names)
    if preset not in ELEMENT_PRESETS:
        raise fields.invalid(
            field,
            f"Field '{field}' must name one or two of top, bottom and rear: "
            "an oven runs at least one element and never all three.",
        )
    return ELEMENT_PRESETS[preset]


def read_title(value: object, field: str = "title") -> str | None:
    """A stage's short display name; blank is None."""
    if not isinstance(value, str):
        raise fields.wrong_type(field, "a string", value)
    return fields.short_text(value, field, MAX_TITLE_CHARS)


def _element_name(item: object, field: str) -> str:
    if not isinstance(item, str) or item.strip().lower() not in ELEMENT_NAMES:
        shown = fields.display(item) if isinstance(item, str) else fields.json_type(item)
        raise fields.invalid(
            field, f"Field '{field}' lists elements by name: top, bottom or rear, not {shown}."
        )
    return item.strip().lower()
