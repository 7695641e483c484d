"""A device kind's command vocabulary: the ``set`` payloads and shortcuts it takes.

Cookers and ovens share the topic tree and its rules (retained commands
refused, request ids, one response each) but not their words: an oven's
``start`` carries a plan and it has shortcuts a cooker lacks. The service
parses a command with the vocabulary of the device it is addressed to, so
neither kind's parser knows of the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bridge.commands.json_command import parse_set_payload
from bridge.commands.shortcuts import parse_shortcut
from bridge.contract import SHORTCUT_FIELDS, TemperatureUnit


class DeviceCommand(Protocol):
    """What the pipeline reads of any kind's command: its action and request id."""

    @property
    def action(self) -> str: ...

    @property
    def request_id(self) -> str | None: ...


class CommandVocabulary(Protocol):
    """One kind's parsers for ``<base>/<id>/set`` and ``<base>/<id>/set/<field>``."""

    @property
    def shortcut_fields(self) -> tuple[str, ...]:
        """The ``<field>`` names of its shortcut topics."""
        ...

    def parse_set(
        self, payload: bytes, *, retained: bool, default_unit: TemperatureUnit
    ) -> DeviceCommand:
        """A JSON command, typed.

        Raises:
            CommandError: with the input code that fits.
        """
        ...

    def parse_shortcut(
        self, field: str, payload: bytes, *, retained: bool, default_unit: TemperatureUnit
    ) -> DeviceCommand:
        """A shortcut's plain value, typed.

        Raises:
            CommandError: ``UNKNOWN_ACTION`` for a field the kind does not take, else
                the input code that fits.
        """
        ...


@dataclass(frozen=True)
class CookerCommands:
    """The sous-vide cookers' vocabulary (CONTRACT §1–2)."""

    shortcut_fields: tuple[str, ...] = SHORTCUT_FIELDS

    @staticmethod
    def parse_set(
        payload: bytes, *, retained: bool, default_unit: TemperatureUnit
    ) -> DeviceCommand:
        """:func:`~bridge.commands.json_command.parse_set_payload`."""
        return parse_set_payload(payload, retained=retained, default_unit=default_unit)

    @staticmethod
    def parse_shortcut(
        field: str, payload: bytes, *, retained: bool, default_unit: TemperatureUnit
    ) -> DeviceCommand:
        """:func:`~bridge.commands.shortcuts.parse_shortcut`."""
        return parse_shortcut(field, payload, retained=retained, default_unit=default_unit)


COOKER_COMMANDS = CookerCommands()
