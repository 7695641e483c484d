"""The contract's words are defined once (bridge.contract) and every table follows them."""

from __future__ import annotations

import typing

from bridge import contract
from bridge.commands import Command
from bridge.commands.json_command import ACTION_FIELDS
from bridge.commands.shortcuts import shortcut_action
from bridge.hass.topics import SHORTCUT_FIELDS as HASS_SHORTCUT_FIELDS
from bridge.mqtt import topics as mqtt_topics


def test_every_action_has_a_command_type_and_a_json_row() -> None:
    declared = {
        typing.get_args(model.model_fields["action"].annotation)[0]
        for model in typing.get_args(Command)
    }
    assert declared == set(contract.ACTIONS)
    assert set(ACTION_FIELDS) == set(contract.ACTIONS)


def test_every_shortcut_stands_for_a_known_action_or_lets_its_payload_decide() -> None:
    for field in contract.SHORTCUT_FIELDS:
        action = shortcut_action(field, b"heat")
        assert action in contract.ACTIONS, field


def test_the_topic_tables_use_the_same_words() -> None:
    assert HASS_SHORTCUT_FIELDS is contract.SHORTCUT_FIELDS
    # mqtt/topics.py still spells them out; until it reads bridge.contract, they must agree.
    assert (
        set(contract.SHORTCUT_FIELDS) | set(contract.OVEN_SHORTCUT_FIELDS) == mqtt_topics.SET_FIELDS
    )
    assert set(contract.BRIDGE_ACTIONS) == mqtt_topics.BRIDGE_ACTIONS
