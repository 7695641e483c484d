"""Oven commands on the wire, and how each is confirmed (``anova-oven-api.md`` §2–3).

The oven's envelope nests one level deeper than the cookers':
``{"id": cookerId, "type": <command>, "payload": {…}}`` goes in the
client's ``payload``, and data-less commands (``STOP``) leave out the inner
``payload``. The bridge sends only the three commands Anova allows personal
access tokens (START, STOP, SET_TEMPERATURE_UNIT; docs/anova-cloud.md,
"Ovens"). A start is built for the oven's version only: a v1 plan sent to a
v2 oven has left ovens unusable until unplugged (BOGD#4), so an unknown
type, or a type the last state contradicts, is refused instead of guessed.
"""

from __future__ import annotations

from typing import Any, assert_never

from bridge.anova.commands import (
    CloudCommand,
    SetTarget,
    SetTimer,
    SetUnit,
    StartCook,
    StartOvenCook,
    StopCook,
    WireCommand,
)
from bridge.anova.device import CookerInfo
from bridge.anova.oven_model import OVEN_V1, OVEN_V2, OvenPlan, OvenState
from bridge.anova.oven_plan_v1 import v1_start
from bridge.anova.oven_plan_v2 import v2_start
from bridge.anova.oven_stage_parts import IdSource, new_id
from bridge.anova.state import CookerPhase, CookerState
from bridge.contract import TemperatureUnit
from bridge.errors import CommandError, ErrorCode

START = "CMD_APO_START"
STOP = "CMD_APO_STOP"
SET_UNIT = "CMD_APO_SET_TEMPERATURE_UNIT"
COOK_ID_PREFIX = "android-"  # as the apps' cook ids; the oven echoes it in state.cook.cookId
VERSION_OF_TYPE = {OVEN_V1: 1, OVEN_V2: 2}


def to_wire(
    command: CloudCommand, device: CookerInfo, last: CookerState | None, ids: IdSource = new_id
) -> WireCommand:
    """The wire form of ``command`` for the oven ``device``.

    Raises:
        CommandError: UNKNOWN_ACTION for a command ovens do not take (the
            cookers' setpoint and timer commands) or an oven type the bridge
            cannot build a plan for; INVALID_FIELD/MISSING_FIELD for a stage
            the oven cannot run.
    """
    match command:
        case StartOvenCook(_, plan):
            return start(device, plan, last, ids)
        case StopCook():
            return stop(device)
        case SetUnit(_, unit):
            return set_unit(device, unit)
        case StartCook() | SetTarget() | SetTimer():
            raise CommandError(
                ErrorCode.UNKNOWN_ACTION,
                f"{device.name} is a Precision Oven: it runs oven plans and takes stop and "
                f"unit changes, not the sous-vide cookers' {type(command).__name__}.",
            )
        case _:
            assert_never(command)


def envelope(device: CookerInfo, name: str, inner: dict[str, Any] | None = None) -> dict[str, Any]:
    """The client's ``payload`` for an oven command; no inner ``payload`` when there is no data."""
    outer: dict[str, Any] = {"id": device.cooker_id, "type": name}
    if inner is not None:
        outer["payload"] = inner
    return outer


def start(
    device: CookerInfo, plan: OvenPlan, last: CookerState | None, ids: IdSource = new_id
) -> WireCommand:
    """Run ``plan``; confirmed by a cooking state whose cook id is the one generated here.

    A v1 oven that silently refuses the plan stays idle, so the start stays
    unconfirmed (a warning for the user, not an error).
    """
    version = _version(device, last)
    cook_id = COOK_ID_PREFIX + ids()
    if version == 1:
        inner = v1_start(plan, cook_id, ids)
    else:
        inner = v2_start(plan, device.cooker_id, cook_id, ids)

    def applied(state: CookerState) -> bool:
        return state.is_cooking and state.cook is not None and state.cook.id == cook_id

    return WireCommand(device.cooker_id, START, envelope(device, START, inner), applied)


def _version(device: CookerInfo, last: CookerState | None) -> int:
    version = VERSION_OF_TYPE.get(device.type.lower())
    if version is None:
        raise CommandError(
            ErrorCode.UNKNOWN_ACTION,
            f"{device.name} is an oven of type {device.type!r}, for which the bridge "
            "cannot build a cook; it sends none rather than guess its shape.",
        )
    if isinstance(last, OvenState) and last.version != version:
        raise CommandError(
            ErrorCode.UNKNOWN_ACTION,
            f"{device.name} is listed as {device.type} but reports version "
            f"{last.version}; no cook is sent until the two agree.",
        )
    return version


def stop(device: CookerInfo) -> WireCommand:
    """Stop the running cook; confirmed by an idle state."""
    return WireCommand(
        device.cooker_id, STOP, envelope(device, STOP), lambda s: s.phase is CookerPhase.IDLE
    )


def set_unit(device: CookerInfo, unit: TemperatureUnit) -> WireCommand:
    """Switch the display unit (key ``temperatureUnit``); confirmed by the state's unit."""
    inner = {"temperatureUnit": unit}
    return WireCommand(
        device.cooker_id, SET_UNIT, envelope(device, SET_UNIT, inner), lambda s: s.unit == unit
    )
