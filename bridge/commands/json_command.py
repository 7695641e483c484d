"""Parse the JSON command sent to ``<base>/<id>/set`` (CONTRACT §2).

The flow is fixed so the first problem found is always the same one:
retained → size → UTF-8/JSON object → unknown keys → action → keys the
action does not take → each field in a fixed order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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
    refuse_retained(retained)
    check_size(payload)
    document = decode_object(payload)
    _refuse_unknown_fields(document)
    action = _read_action(document)
    _refuse_fields_not_for(action, document)
    return _JSON_ACTIONS[action].build(document, default_unit)


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
    document = try_decode_object(payload)
    action = None if document is None else document.get("action")
    return next((known for known in ACTIONS if known == action), None)


def _refuse_unknown_fields(document: Document) -> None:
    for key in document:
        if key not in KNOWN_FIELDS:
            known = ", ".join(sorted(KNOWN_FIELDS))
            raise fields.invalid(
                fields.safe_name(key),
                f"Unknown field {fields.display(key)}; commands take only: {known}.",
            )


def _read_action(document: Document) -> Action:
    value = document.get("action")
    if value is None:
        raise CommandError(
            ErrorCode.MISSING_FIELD,
            f"The command needs an 'action': one of {', '.join(ACTIONS)}.",
            field="action",
        )
    if not isinstance(value, str):
        raise fields.wrong_type("action", "a string", value)
    for action in ACTIONS:
        if value == action:
            return action
    raise CommandError(
        ErrorCode.UNKNOWN_ACTION,
        f"Unknown action {fields.display(value)}; use one of {', '.join(ACTIONS)}.",
        field="action",
    )


def _refuse_fields_not_for(action: Action, document: Document) -> None:
    allowed = _JSON_ACTIONS[action].fields | {"action", "request_id"}
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


def _stop(document: Document, default_unit: TemperatureUnit) -> Command:
    return StopCommand(request_id=fields.read_request_id(document))


def _set_temperature(document: Document, default_unit: TemperatureUnit) -> Command:
    unit = fields.read_unit(document, default_unit)
    return SetTemperatureCommand(
        temperature_c=fields.read_temperature(document, "set_temperature", unit),
        unit=unit,
        request_id=fields.read_request_id(document),
    )


def _set_timer(document: Document, default_unit: TemperatureUnit) -> Command:
    timer_s = fields.read_timer(document)
    if timer_s is None:
        raise CommandError(
            ErrorCode.MISSING_FIELD,
            "The 'set_timer' action needs 'duration' (like \"1h30m\") or 'time_minutes'; "
            "use 0 to clear the timer.",
            field="duration",
        )
    return SetTimerCommand(timer_s=timer_s, request_id=fields.read_request_id(document))


def _set_unit(document: Document, default_unit: TemperatureUnit) -> Command:
    value = fields.require(document, "unit", "set_unit")
    return SetUnitCommand(
        unit=fields.unit_from_value(value, "unit"), request_id=fields.read_request_id(document)
    )


def _set_food(document: Document, default_unit: TemperatureUnit) -> Command:
    return SetFoodCommand(
        food_type=fields.read_food_type(document),
        thickness_mm=fields.read_thickness(document),
        request_id=fields.read_request_id(document),
    )


@dataclass(frozen=True)
class JsonAction:
    """One action of the JSON ``set`` command: the keys it takes and its builder.

    Attributes:
        fields: the optional keys it takes, besides ``action`` and ``request_id``.
        build: turns a checked document into the typed command.
    """

    fields: frozenset[str]
    build: Builder


# The one table of JSON actions: a new action is a row here, its builder
# above, and its command type in models.py (the executor's match then
# refuses to type-check until it handles it).
_JSON_ACTIONS: dict[Action, JsonAction] = {
    "start": JsonAction(
        frozenset(
            {"temperature", "unit", "duration", "time_minutes", "food_type", "thickness_mm"}
            | {"replace"}
        ),
        _start,
    ),
    "stop": JsonAction(frozenset(), _stop),
    "set_temperature": JsonAction(frozenset({"temperature", "unit"}), _set_temperature),
    "set_timer": JsonAction(frozenset({"duration", "time_minutes"}), _set_timer),
    "set_unit": JsonAction(frozenset({"unit"}), _set_unit),
    "set_food": JsonAction(frozenset({"food_type", "thickness_mm"}), _set_food),
}
ACTION_FIELDS: dict[Action, frozenset[str]] = {
    action: spec.fields for action, spec in _JSON_ACTIONS.items()
}
"""Which optional keys each action takes, besides ``action`` and ``request_id``."""
KNOWN_FIELDS = frozenset({"action", "request_id"}).union(*ACTION_FIELDS.values())
