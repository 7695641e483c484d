"""The food entities: Home Assistant's way to give the next cook's food and thickness."""

from __future__ import annotations

import pytest

from bridge.commands import SetFoodCommand, parse_shortcut
from bridge.hass.food import FOOD_CHOICES
from bridge.safety import classify
from bridge.safety.foods import RULE_CATEGORIES
from tests.hass.test_discovery import device_payload


def test_the_select_offers_every_category_the_rules_know_and_not_set() -> None:
    select = device_payload()["components"]["food_category"]
    assert select["options"] == list(FOOD_CHOICES.values())
    assert set(FOOD_CHOICES) == {None, *RULE_CATEGORIES}
    assert select["options"][0] == "not set"


@pytest.mark.parametrize(("category", "option"), [(k, v) for k, v in FOOD_CHOICES.items() if k])
def test_each_option_sent_back_is_read_as_its_own_category(category: str, option: str) -> None:
    """Choosing an option stores it as the food; the select must then show that same option."""
    command = parse_shortcut("food_type", option.encode(), retained=False, default_unit="C")
    assert isinstance(command, SetFoodCommand)
    assert command.food_type == option
    assert classify(command.food_type).rule_category == category


def test_not_set_and_an_empty_text_clear_the_food() -> None:
    for payload in (b"not set", b"Not Set ", b"", b"   "):
        command = parse_shortcut("food_type", payload, retained=False, default_unit="C")
        assert command == SetFoodCommand(food_type=None, fields=("food_type",))


def test_entities_write_the_food_shortcuts_and_read_the_state_food() -> None:
    components = device_payload(topic_id="sous_vide")["components"]
    text, select, number = (components[k] for k in ("food_type", "food_category", "thickness"))
    assert text["command_topic"] == select["command_topic"] == "anova/sous_vide/set/food_type"
    assert number["command_topic"] == "anova/sous_vide/set/thickness_mm"
    assert ".get('food_type')" in text["value_template"]
    assert ".get('category')" in select["value_template"]
    assert ".get('thickness_mm')" in number["value_template"]
    for config in (text, select, number):  # an older bridge's retained state has no food
        assert "value_json.get('food') or {}" in config["value_template"]
    assert text["max"] == 100  # the food_type limit, so HA refuses longer text itself
    assert (number["min"], number["unit_of_measurement"]) == (0, "mm")
