"""The five cloud commands, and how each goes on the wire and is confirmed.

A :data:`CloudCommand` is what the bridge asks of a cooker (start, stop, a
new setpoint, timer or unit), as a typed value; :func:`to_wire` is the one
place that turns each kind into a :class:`WireCommand`: the wire name, the
payload (always carrying the cooker's real ``type`` from the device list,
because the cloud silently ignores a wrong one) and the predicate that a
later state must satisfy for the command to count as confirmed. A new cloud
command is a new value type here and a new case in :func:`to_wire`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, assert_never

from bridge.anova.confirmation import Applied
from bridge.anova.device import CookerInfo
from bridge.anova.oven_model import OvenPlan
from bridge.anova.state import CookerPhase, CookerState
from bridge.contract import TemperatureUnit

START = "CMD_APC_START"
STOP = "CMD_APC_STOP"
SET_UNIT = "CMD_APC_SET_TEMPERATURE_UNIT"
SET_TARGET = "CMD_APC_SET_TARGET_TEMP"
SET_TIMER = "CMD_APC_SET_TIMER"
# A setpoint sent in °F with one decimal comes back within 0.03 °C.
TARGET_TOLERANCE_C = 0.05


@dataclass(frozen=True)
class CommandOutcome:
    """What became of an acknowledged command.

    ``confirmed`` is False when no state showed the change in time: the
    cloud said ok, but the cooker may have ignored it. That is a warning for
    the caller to pass on, not an error.
    """

    confirmed: bool
    state: CookerState | None


@dataclass(frozen=True)
class StartCook:
    """Heat to ``target_c`` (sent in ``unit``) and run a ``timer_s`` timer (0: none)."""

    cooker_id: str
    target_c: float
    timer_s: int
    unit: TemperatureUnit


@dataclass(frozen=True)
class StopCook:
    """Stop the running cook."""

    cooker_id: str


@dataclass(frozen=True)
class SetTarget:
    """Change the running cook's setpoint (an idle cooker acks and ignores it)."""

    cooker_id: str
    target_c: float
    unit: TemperatureUnit


@dataclass(frozen=True)
class SetTimer:
    """Set the timer length in seconds, idle or cooking."""

    cooker_id: str
    timer_s: int


@dataclass(frozen=True)
class SetUnit:
    """Switch the cooker's display unit."""

    cooker_id: str
    unit: TemperatureUnit


@dataclass(frozen=True)
class StartOvenCook:
    """Run an oven plan (every stage in order); the oven kind builds v1 or v2 from it."""

    cooker_id: str
    plan: OvenPlan


CookerCommand = StartCook | StopCook | SetTarget | SetTimer | SetUnit
"""Everything the bridge asks of a sous-vide cooker through the cloud."""

CloudCommand = CookerCommand | StartOvenCook
"""Everything the bridge asks of any device through the cloud: a kind's
``to_wire`` refuses the commands its devices do not take."""


def to_wire(command: CookerCommand, device: CookerInfo, last: CookerState | None) -> WireCommand:
    """The wire form of ``command`` for ``device``, whose last state was ``last``.

    Over a running cook (a start that replaces it), only a state of the new
    cook confirms the start: ``last`` tells the old cook apart.
    """
    match command:
        case StartCook(_, target_c, timer_s, unit):
            return start(device, target_c, timer_s, unit, last)
        case StopCook():
            return stop(device)
        case SetTarget(_, target_c, unit):
            return set_target(device, target_c, unit)
        case SetTimer(_, timer_s):
            return set_timer(device, timer_s)
        case SetUnit(_, unit):
            return set_unit(device, unit)
        case _:
            assert_never(command)


@dataclass(frozen=True)
class WireCommand:
    """One command ready to send, with its confirmation predicate."""

    cooker_id: str
    name: str
    payload: dict[str, Any]
    applied: Applied


def new_request_id() -> str:
    """A fresh request id, as the apps use: a random UUID."""
    return str(uuid.uuid4())


def cloud_temperature(target_c: float, unit: TemperatureUnit) -> float:
    """A °C setpoint in the unit we send it in, with one decimal."""
    return round(target_c * 9.0 / 5.0 + 32.0, 1) if unit == "F" else round(target_c, 1)


def sent_as_celsius(value: float, unit: TemperatureUnit) -> float:
    """What the cooker will store, in °C, for a value sent in ``unit``."""
    return (value - 32.0) * 5.0 / 9.0 if unit == "F" else value


def _base(device: CookerInfo) -> dict[str, Any]:
    return {"cookerId": device.cooker_id, "type": device.type}


def _target_is(target_c: float) -> Applied:
    def applied(state: CookerState) -> bool:
        current = state.target_temperature_c
        return current is not None and abs(current - target_c) <= TARGET_TOLERANCE_C

    return applied


def start(
    device: CookerInfo,
    target_c: float,
    timer_s: int,
    unit: TemperatureUnit,
    running: CookerState | None = None,
) -> WireCommand:
    """Start a cook: heat to ``target_c`` and run a ``timer_s`` timer (0 for none).

    Args:
        device: the cooker, with its real type.
        target_c: the setpoint in °C.
        timer_s: the timer in seconds; 0 for none.
        unit: the unit to send the setpoint in.
        running: the cooker's last state when it is already cooking (a
            ``replace``): the old cook would otherwise confirm the new one
            at once when both share the setpoint.
    """
    value = cloud_temperature(target_c, unit)
    payload = _base(device) | {"targetTemperature": value, "unit": unit, "timer": int(timer_s)}
    on_target = _target_is(sent_as_celsius(value, unit))
    is_new = _new_cook(running)
    return WireCommand(
        device.cooker_id, START, payload, lambda s: s.is_cooking and on_target(s) and is_new(s)
    )


def _new_cook(running: CookerState | None) -> Applied:
    """A state that belongs to a cook started after ``running``.

    Gen 3 and gen 2 name each cook: a new id is a new cook. The a3 names
    none, so a restart shows as the preheat starting again or the timer
    set back to its full length. An a3 still preheating for the same
    target and timer looks exactly the same after the restart as before:
    there is nothing to wait for, so its next state confirms it.
    """
    if running is None or not running.is_cooking:
        return lambda _state: True
    old_id = running.cook.id if running.cook is not None else None
    if old_id is not None:
        return lambda s: s.cook is not None and s.cook.id not in (None, old_id)
    if running.phase is CookerPhase.PREHEATING:
        return lambda _state: True
    return lambda s: _restarted(running, s)


def _restarted(running: CookerState, state: CookerState) -> bool:
    if state.phase is CookerPhase.PREHEATING and running.phase is not CookerPhase.PREHEATING:
        return True
    if state.timer.total_s != running.timer.total_s:
        return True  # the start's own timer replaced the old one
    old_left, new_left = running.timer.remaining_s, state.timer.remaining_s
    return old_left is not None and new_left is not None and new_left > old_left


def stop(device: CookerInfo) -> WireCommand:
    """Stop the running cook."""
    return WireCommand(device.cooker_id, STOP, _base(device), lambda s: s.phase is CookerPhase.IDLE)


def set_target(device: CookerInfo, target_c: float, unit: TemperatureUnit) -> WireCommand:
    """Change the setpoint of a running cook (an idle cooker acks and ignores it)."""
    value = cloud_temperature(target_c, unit)
    payload = _base(device) | {"targetTemperature": value, "unit": unit}
    return WireCommand(
        device.cooker_id, SET_TARGET, payload, _target_is(sent_as_celsius(value, unit))
    )


def set_timer(device: CookerInfo, timer_s: int) -> WireCommand:
    """Set the timer length, idle or cooking."""
    payload = _base(device) | {"timer": int(timer_s)}
    return WireCommand(
        device.cooker_id, SET_TIMER, payload, lambda s: s.timer.total_s == int(timer_s)
    )


def set_unit(device: CookerInfo, unit: TemperatureUnit) -> WireCommand:
    """Switch the display unit on the cooker."""
    payload = _base(device) | {"unit": unit}
    return WireCommand(device.cooker_id, SET_UNIT, payload, lambda s: s.unit == unit)
