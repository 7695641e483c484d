"""The oven's command vocabulary: the service's one handle on oven commands."""

from __future__ import annotations

import typing
from typing import Protocol

import pytest

from bridge.commands.oven_models import OvenCommand, OvenStartCommand
from bridge.commands.oven_vocabulary import OVEN_COMMANDS
from bridge.contract import OVEN_ACTIONS, OVEN_SHORTCUT_FIELDS, TemperatureUnit
from bridge.errors import CommandError, ErrorCode


class CommandVocabulary(Protocol):
    """The facet the service holds (mypy checks OVEN_COMMANDS against it below)."""

    shortcut_fields: tuple[str, ...]

    def parse_set(
        self, payload: bytes, *, retained: bool, default_unit: TemperatureUnit
    ) -> OvenCommand: ...

    def parse_shortcut(
        self, field: str, payload: bytes, *, retained: bool, default_unit: TemperatureUnit
    ) -> OvenCommand: ...


VOCABULARY: CommandVocabulary = OVEN_COMMANDS


def test_it_parses_the_set_topic_and_every_shortcut() -> None:
    assert VOCABULARY.shortcut_fields == OVEN_SHORTCUT_FIELDS
    command = VOCABULARY.parse_set(
        b'{"action": "start", "temperature": 392}', retained=False, default_unit="F"
    )
    assert isinstance(command, OvenStartCommand)
    assert command.plan is not None
    assert command.plan.stages[0].temperature_c == 200.0
    start = VOCABULARY.parse_shortcut("start", b"", retained=False, default_unit="C")
    assert start == OvenStartCommand(plan=None, unit="C")


def test_it_refuses_retained_messages_on_both_topics() -> None:
    with pytest.raises(CommandError) as caught:
        VOCABULARY.parse_set(b'{"action": "stop"}', retained=True, default_unit="C")
    assert caught.value.code is ErrorCode.RETAINED_COMMAND_REJECTED
    with pytest.raises(CommandError) as caught:
        VOCABULARY.parse_shortcut("stop", b"", retained=True, default_unit="C")
    assert caught.value.code is ErrorCode.RETAINED_COMMAND_REJECTED


def test_every_oven_action_has_a_command_type() -> None:
    declared = {
        typing.get_args(model.model_fields["action"].annotation)[0]
        for model in typing.get_args(OvenCommand)
    }
    assert declared == set(OVEN_ACTIONS)
