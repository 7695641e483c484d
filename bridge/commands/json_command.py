"""Parse the JSON command sent to ``<base>/<id>/set`` (CONTRACT §2).

The flow is fixed so the first problem found is always the same one:
retained → size → UTF-8/JSON object → unknown keys → action → keys the
action does not take → each field in a fixed order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from bridge.commands import fields
from bridge.commands.envelope import check_size, decode_object, refuse_retained, try_decode_object
from bridge.commands.models import (
    Command,
    SetFoodCommand,
    SetTemperatureCommand,
    SetTimerCommand,
    SetUnitCommand,
    StartCommand,
    StopCommand,
)
from bridge.contract import ACTIONS, Action, TemperatureUnit
from bridge.errors import CommandError, ErrorCode

Document = fields.Document

Builder = Callable[[Document, TemperatureUnit], Command]
C = TypeVar("C")
ActionT = TypeVar("ActionT", bound=str)


def parse_set_payload(payload: bytes, *, retained: bool, default_unit: TemperatureUnit) -> Command:
    """Turn a ``set`` payload into a typed command.

    Args:
        payload: the raw MQTT payload.
        retained: the message's retain flag; retained commands are refused first.
        default_unit: the configured unit, used when the command names none.

    Returns:
        The command, with temperatures in °C. Device limits and food safety
        are checked afterwards by :mod:`bridge.safety`.

    Raises:
        CommandError: with the CONTRACT §4 input code that fits.
    """
    return _VOCABULARY.parse(payload, retained=retained, default_unit=default_unit)


def peek_request_id(payload: bytes) -> str | None:
    """The payload's ``request_id`` if it has a valid one; never raises.

    The service calls this when parsing failed so that even an error answer
    carries the id the client is waiting for.
    """
    document = try_decode_object(payload)
    if document is None:
        return None
    try:
        return fields.read_request_id(document)
    except CommandError:
        return None


def peek_action(payload: bytes) -> Action | None:
    """The payload's ``action`` if it is a known one; never raises."""
    return peek_known_action(payload, ACTIONS)


def peek_known_action(payload: bytes, actions: tuple[ActionT, ...]) -> ActionT | None:
    """The payload's ``action`` if it is one of ``actions``; never raises."""
    document = try_decode_object(payload)
    action = None if document is None else document.get("action")
    return next((known for known in actions if known == action), None)


def refuse_unknown_fields(document: Document, known: frozenset[str], *, takes: str) -> None:
    """Refuse the first key that no action takes, listing the ones there are.

    Args:
        document: the decoded object.
        known: every key an action of this vocabulary takes.
        takes: who takes them, for the message (``"commands take only"``).
    """
    for key in document:
        if key not in known:
            raise fields.invalid(
                fields.safe_name(key),
                f"Unknown field {fields.display(key)}; {takes}: {', '.join(sorted(known))}.",
            )


def read_action(document: Document, actions: tuple[ActionT, ...]) -> ActionT:
    """The document's ``action``, which must be one of ``actions`` (case-sensitive)."""
    value = document.get("action")
    if value is None:
        raise CommandError(
            ErrorCode.MISSING_FIELD,
            f"The command needs an 'action': one of {', '.join(actions)}.",
            field="action",
        )
    if not isinstance(value, str):
        raise fields.wrong_type("action", "a string", value)
    for action in actions:
        if value == action:
            return action
    raise CommandError(
        ErrorCode.UNKNOWN_ACTION,
        f"Unknown action {fields.display(value)}; use one of {', '.join(actions)}.",
        field="action",
    )


def refuse_fields_not_for(action: str, document: Document, takes: frozenset[str]) -> None:
    """Refuse a key the action does not take (``action`` and ``request_id`` always pass)."""
    allowed = takes | {"action", "request_id"}
    for key in document:
        if key not in allowed:
            raise fields.invalid(key, f"The '{action}' action does not take the '{key}' field.")


def _start(document: Document, default_unit: TemperatureUnit) -> Command:
    unit = fields.read_unit(document, default_unit)
    temperature_c = fields.read_temperature(document, "start", unit)
    return StartCommand(
        temperature_c=temperature_c,
        unit=unit,
        # CONTRACT §2: no duration at all means no timer, not "the stored timer".
        timer_s=fields.read_timer(document) or 0,
        food_type=fields.read_food_type(document),
        thickness_mm=fields.read_thickness(document),
        replace=fields.read_replace(document),
        request_id=fields.read_request_id(document),
    )


def build_stop(document: Document, default_unit: TemperatureUnit) -> StopCommand:
    """The ``stop`` command (it takes no fields besides ``request_id``)."""
    return StopCommand(request_id=fields.read_request_id(document))


def build_set_temperature(
    document: Document, default_unit: TemperatureUnit
) -> SetTemperatureCommand:
    """The ``set_temperature`` command: the required ``temperature`` in ``unit``."""
    unit = fields.read_unit(document, default_unit)
    return SetTemperatureCommand(
        temperature_c=fields.read_temperature(document, "set_temperature", unit),
        unit=unit,
        request_id=fields.read_request_id(document),
    )


def build_set_timer(document: Document, default_unit: TemperatureUnit) -> SetTimerCommand:
    """The ``set_timer`` command: ``duration`` or ``time_minutes`` (0 clears)."""
    timer_s = fields.read_timer(document)
    if timer_s is None:
        raise CommandError(
            ErrorCode.MISSING_FIELD,
            "The 'set_timer' action needs 'duration' (like \"1h30m\") or 'time_minutes'; "
            "use 0 to clear the timer.",
            field="duration",
        )
    return SetTimerCommand(timer_s=timer_s, request_id=fields.read_request_id(document))


def build_set_unit(document: Document, default_unit: TemperatureUnit) -> SetUnitCommand:
    """The ``set_unit`` command: the required display ``unit``."""
    value = fields.require(document, "unit", "set_unit")
    return SetUnitCommand(
        unit=fields.unit_from_value(value, "unit"), request_id=fields.read_request_id(document)
    )


def build_set_food(document: Document, default_unit: TemperatureUnit) -> SetFoodCommand:
    """The ``set_food`` command: the next cook's food and thickness (absent clears)."""
    return SetFoodCommand(
        food_type=fields.read_food_type(document),
        thickness_mm=fields.read_thickness(document),
        request_id=fields.read_request_id(document),
    )


@dataclass(frozen=True)
class JsonAction(Generic[C]):
    """One action of a kind's JSON ``set`` command: the keys it takes and its builder.

    Attributes:
        fields: the optional keys it takes, besides ``action`` and ``request_id``.
        build: turns a checked document into the typed command.
    """

    fields: frozenset[str]
    build: Callable[[Document, TemperatureUnit], C]


@dataclass(frozen=True)
class JsonVocabulary(Generic[ActionT, C]):
    """A kind's JSON ``set`` command: its actions, their rows, and the order of the checks.

    Attributes:
        names: the actions, in the order error messages list them.
        rows: each action's keys and builder.
        known: every key some action takes (an unknown key is refused first).
        takes: how the unknown-key message introduces ``known``.
    """

    names: tuple[ActionT, ...]
    rows: Mapping[ActionT, JsonAction[C]]
    known: frozenset[str]
    takes: str

    def parse(self, payload: bytes, *, retained: bool, default_unit: TemperatureUnit) -> C:
        """Retained → size → UTF-8/JSON object → unknown keys → action → its keys → its builder."""
        refuse_retained(retained)
        check_size(payload)
        document = decode_object(payload)
        refuse_unknown_fields(document, self.known, takes=self.takes)
        action = read_action(document, self.names)
        row = self.rows[action]
        refuse_fields_not_for(action, document, row.fields)
        return row.build(document, default_unit)


# The one table of JSON actions: a new action is a row here, its builder
# above, and its command type in models.py (the executor's match then
# refuses to type-check until it handles it).
_JSON_ACTIONS: dict[Action, JsonAction[Command]] = {
    "start": JsonAction(
        frozenset(
            {"temperature", "unit", "duration", "time_minutes", "food_type", "thickness_mm"}
            | {"replace"}
        ),
        _start,
    ),
    "stop": JsonAction(frozenset(), build_stop),
    "set_temperature": JsonAction(frozenset({"temperature", "unit"}), build_set_temperature),
    "set_timer": JsonAction(frozenset({"duration", "time_minutes"}), build_set_timer),
    "set_unit": JsonAction(frozenset({"unit"}), build_set_unit),
    "set_food": JsonAction(frozenset({"food_type", "thickness_mm"}), build_set_food),
}
ACTION_FIELDS: dict[Action, frozenset[str]] = {
    action: spec.fields for action, spec in _JSON_ACTIONS.items()
}
"""Which optional keys each action takes, besides ``action`` and ``request_id``."""
KNOWN_FIELDS = frozenset({"action", "request_id"}).union(*ACTION_FIELDS.values())
_VOCABULARY = JsonVocabulary(ACTIONS, _JSON_ACTIONS, KNOWN_FIELDS, "commands take only")
