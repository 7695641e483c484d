"""Parse the JSON command sent to an oven's ``<base>/<id>/set``.

The same fixed flow as the cookers' (:mod:`bridge.commands.json_command`),
so the first problem found is always the same one: retained → size →
UTF-8/JSON object → unknown keys → action → keys the action does not take →
each field in a fixed order. ``stop``, ``set_temperature``, ``set_timer``,
``set_unit`` and ``set_food`` are the cookers' own builders; ``start``
carries a plan (one quick stage, or ``stages``), and ``set_next_stage``
keeps the settings a start from Home Assistant will use.
"""

from __future__ import annotations

from collections.abc import Callable

from bridge.anova.oven_model import OvenPlan
from bridge.commands import fields
from bridge.commands.json_command import (
    ACTION_FIELDS,
    JsonAction,
    JsonVocabulary,
    build_set_food,
    build_set_temperature,
    build_set_timer,
    build_set_unit,
    build_stop,
    peek_known_action,
)
from bridge.commands.oven_fields import (
    read_elements,
    read_fan_speed,
    read_mode,
    read_percent,
    read_timer_start,
)
from bridge.commands.oven_models import (
    NEXT_STAGE_FIELDS,
    NextStage,
    NextStageField,
    OvenCommand,
    OvenStartCommand,
    SetNextStageCommand,
)
from bridge.commands.oven_stage import STAGE_FIELDS, read_stage, read_stages
from bridge.commands.units import to_celsius
from bridge.contract import OVEN_ACTIONS, OvenAction, TemperatureUnit
from bridge.errors import CommandError, ErrorCode

Document = fields.Document
OvenBuilder = Callable[[Document, TemperatureUnit], OvenCommand]

PLAN_FIELDS: tuple[str, ...] = ("stages", "unit", "food_type", "thickness_mm", "replace")
"""The keys of an oven ``start`` besides its quick stage's (:data:`STAGE_FIELDS`)."""


def parse_oven_set_payload(
    payload: bytes, *, retained: bool, default_unit: TemperatureUnit
) -> OvenCommand:
    """Turn an oven's ``set`` payload into a typed command.

    Args:
        payload: the raw MQTT payload.
        retained: the message's retain flag; retained commands are refused first.
        default_unit: the configured unit, used when the command names none.

    Returns:
        The command, with temperatures in °C. The oven model's limits and
        food safety are checked afterwards by :mod:`bridge.safety`.

    Raises:
        CommandError: with the CONTRACT §4 input code that fits.
    """
    return _VOCABULARY.parse(payload, retained=retained, default_unit=default_unit)


def peek_oven_action(payload: bytes) -> OvenAction | None:
    """The payload's ``action`` if it is an oven action; never raises.

    (:func:`bridge.commands.json_command.peek_request_id` reads any payload's
    ``request_id``, an oven's too.)
    """
    return peek_known_action(payload, OVEN_ACTIONS)


def _start(document: Document, default_unit: TemperatureUnit) -> OvenStartCommand:
    _refuse_both_forms(document)
    unit = fields.read_unit(document, default_unit)
    if fields.present(document, "stages"):
        stages = read_stages(document["stages"], unit)
    else:
        stages = (read_stage(document, unit),)
    plan = OvenPlan(
        stages=stages,
        food_type=fields.read_food_type(document),
        thickness_mm=fields.read_thickness(document),
    )
    return OvenStartCommand(
        plan=plan,
        unit=unit,
        replace=fields.read_replace(document),
        request_id=fields.read_request_id(document),
    )


def _refuse_both_forms(document: Document) -> None:
    if not fields.present(document, "stages"):
        return
    quick = [key for key in STAGE_FIELDS if fields.present(document, key)]
    if quick:
        raise fields.invalid(
            "stages",
            f"Give a stage's settings at the top level (one stage) or inside 'stages', "
            f"not both; move {', '.join(repr(key) for key in quick)} into a stage.",
        )


def _set_next_stage(document: Document, default_unit: TemperatureUnit) -> SetNextStageCommand:
    unit = fields.read_unit(document, default_unit)
    given = {
        field: None if document[key] is None else read(document[key], key, unit)
        for key, (field, read) in _NEXT_STAGE_READERS.items()
        if key in document
    }
    if not given:
        raise CommandError(
            ErrorCode.MISSING_FIELD,
            f"The 'set_next_stage' action needs at least one of {', '.join(_NEXT_STAGE_READERS)}.",
        )
    return SetNextStageCommand(
        # Each value was read by its field's own reader; the strict model checks the pairing.
        settings=NextStage.model_validate(given),
        fields=tuple(field for field in NEXT_STAGE_FIELDS if field in given),
        unit=unit,
        request_id=fields.read_request_id(document),
    )


def _steam_or_none(value: object, key: str, unit: TemperatureUnit) -> int | None:
    # 0 clears, like null: "no steam" is what the next stage goes back to.
    return None if _is_zero(value) else read_percent(value, key)


def _probe_or_none(value: object, key: str, unit: TemperatureUnit) -> float | None:
    # 0 clears, like null: Home Assistant's number entity has no "empty".
    return None if _is_zero(value) else to_celsius(fields.read_number(value, key), unit)


def _is_zero(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == 0


NextStageReader = Callable[[object, str, TemperatureUnit], object]


def _unitless(read: Callable[[object, str], object]) -> NextStageReader:
    return lambda value, key, _unit: read(value, key)


# The keys of set_next_stage in the order they are checked, with the
# NextStage field each one sets and its reader; a present null clears.
_NEXT_STAGE_READERS: dict[str, tuple[NextStageField, NextStageReader]] = {
    "mode": ("mode", _unitless(read_mode)),
    "steam_percent": ("steam_percent", _steam_or_none),
    "probe_temperature": ("probe_c", _probe_or_none),
    "elements": ("elements", _unitless(read_elements)),
    "fan_speed": ("fan_speed", _unitless(read_fan_speed)),
    "timer_start": ("timer_start", _unitless(read_timer_start)),
    "preheat": ("preheat", _unitless(fields.flag_from_value)),
}


# The one table of oven actions: a new action is a row here, its builder
# above (or the cookers'), and its command type in oven_models.py.
_OVEN_ACTIONS: dict[OvenAction, JsonAction[OvenCommand]] = {
    "start": JsonAction(frozenset(STAGE_FIELDS + PLAN_FIELDS), _start),
    "stop": JsonAction(ACTION_FIELDS["stop"], build_stop),
    "set_temperature": JsonAction(ACTION_FIELDS["set_temperature"], build_set_temperature),
    "set_timer": JsonAction(ACTION_FIELDS["set_timer"], build_set_timer),
    "set_unit": JsonAction(ACTION_FIELDS["set_unit"], build_set_unit),
    "set_food": JsonAction(ACTION_FIELDS["set_food"], build_set_food),
    "set_next_stage": JsonAction(frozenset({*_NEXT_STAGE_READERS, "unit"}), _set_next_stage),
}
OVEN_ACTION_FIELDS: dict[OvenAction, frozenset[str]] = {
    action: spec.fields for action, spec in _OVEN_ACTIONS.items()
}
"""Which optional keys each oven action takes, besides ``action`` and ``request_id``."""
OVEN_KNOWN_FIELDS = frozenset({"action", "request_id"}).union(*OVEN_ACTION_FIELDS.values())
_VOCABULARY = JsonVocabulary(
    OVEN_ACTIONS, _OVEN_ACTIONS, OVEN_KNOWN_FIELDS, "oven commands take only"
)
