"""An oven's command vocabulary: the one object the service holds to read oven commands.

The service keeps one vocabulary per device kind and asks it, not a module,
to parse what arrives on ``<base>/<id>/set`` and ``<base>/<id>/set/<field>``,
so adding a kind adds its vocabulary and nothing in the service branches on
the kind.
"""

from __future__ import annotations

from bridge.commands.oven_json import parse_oven_set_payload
from bridge.commands.oven_models import OvenCommand
from bridge.commands.oven_shortcuts import parse_oven_shortcut
from bridge.contract import OVEN_SHORTCUT_FIELDS, TemperatureUnit


class OvenCommandVocabulary:
    """The commands an Anova Precision Oven takes.

    Attributes:
        shortcut_fields: the ``<field>`` of every ``set/<field>`` topic, for
            subscriptions and the error message of an unknown one.
    """

    shortcut_fields: tuple[str, ...] = OVEN_SHORTCUT_FIELDS

    def parse_set(
        self, payload: bytes, *, retained: bool, default_unit: TemperatureUnit
    ) -> OvenCommand:
        """Parse a JSON ``set`` payload; see :func:`parse_oven_set_payload`."""
        return parse_oven_set_payload(payload, retained=retained, default_unit=default_unit)

    def parse_shortcut(
        self, field: str, payload: bytes, *, retained: bool, default_unit: TemperatureUnit
    ) -> OvenCommand:
        """Parse a ``set/<field>`` payload; see :func:`parse_oven_shortcut`."""
        return parse_oven_shortcut(field, payload, retained=retained, default_unit=default_unit)


OVEN_COMMANDS = OvenCommandVocabulary()
"""The oven's vocabulary, for the oven's :class:`~bridge.kinds.kind.DeviceKind`."""
