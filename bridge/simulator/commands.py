"""Commands the fake cloud accepts: envelope parsing, validation, the traps.

The order of checks reproduces what clients can observe from the real
cloud: a frame that is not a JSON object is "invalid command" with a null
``requestId``; an unknown command name is "Unknown command type"; a bad
payload, an unknown ``cookerId`` or a value out of range is "invalid
command"; and only then comes **the type trap**: a wrong or missing
``type`` is acknowledged "ok" and does nothing. Likewise a target
temperature sent to an idle cooker is acknowledged and ignored. Extra
fields are tolerated everywhere.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bridge.simulator.cooker import SimCooker
from bridge.simulator.device import SimDevice
from bridge.simulator.units import parse_unit, to_celsius

INVALID = "invalid command"
UNKNOWN = "Unknown command type"
MAX_TIMER_S = 359_940
TEMPERATURE_RANGES = {"C": (0.0, 99.5), "F": (32.0, 211.5)}

# What to do to a cooker once a command has passed validation; True if
# anything observable changed (and so deserves a push).
Action = Callable[[SimCooker], bool]


@dataclass(frozen=True)
class ReceivedCommand:
    """One well-formed command as the cloud received it, for tests to inspect.

    ``status`` and ``error`` record how the simulator answered; ``applied``
    says whether it changed a device (False for the traps and rejections);
    ``answered`` is False when no RESPONSE was sent at all.
    """

    command: str
    payload: dict[str, Any]
    request_id: str
    at: datetime
    connection: int
    status: str = "ok"
    error: str | None = None
    applied: bool = False
    answered: bool = True


@dataclass(frozen=True)
class Envelope:
    """A frame that parsed as ``{"command", "requestId", "payload"}``."""

    command: str
    request_id: str
    payload: Any


@dataclass(frozen=True)
class Outcome:
    """The answer to one command and the device it changed, if any.

    ``answer`` is False when the cloud sends no RESPONSE at all (an oven
    command naming no paired oven, anova-oven-api.md §2).
    """

    error: str | None = None
    changed: SimDevice | None = None
    request_id: str | None = field(default=None)
    answer: bool = True

    def response(self) -> str:
        """The ``RESPONSE`` frame for this outcome."""
        payload: dict[str, Any] = {"status": "ok"}
        if self.error is not None:
            payload = {"status": "error", "error": self.error}
        return json.dumps({"command": "RESPONSE", "requestId": self.request_id, "payload": payload})


def received(
    envelope: Envelope, outcome: Outcome, connection: int, at: datetime
) -> ReceivedCommand:
    """The record of one command and how it was answered, for tests to inspect."""
    return ReceivedCommand(
        command=envelope.command,
        payload=envelope.payload if isinstance(envelope.payload, dict) else {},
        request_id=envelope.request_id,
        at=at,
        connection=connection,
        status="ok" if outcome.error is None else "error",
        error=outcome.error,
        applied=outcome.changed is not None,
        answered=outcome.answer,
    )


def parse_envelope(raw: str | bytes) -> Envelope | Outcome:
    """Read a client frame; a malformed one becomes an "invalid command" outcome."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return Outcome(error=INVALID)
    if not isinstance(data, dict):
        return Outcome(error=INVALID)
    request_id = data.get("requestId")
    command = data.get("command")
    if not isinstance(request_id, str):
        return Outcome(error=INVALID)
    if not isinstance(command, str):
        return Outcome(error=INVALID, request_id=request_id)
    return Envelope(command=command, request_id=request_id, payload=data.get("payload"))


def execute(envelope: Envelope, cookers: Mapping[str, SimCooker]) -> Outcome:
    """Validate a command and apply it to its cooker."""
    rid = envelope.request_id
    validator = VALIDATORS.get(envelope.command)
    if validator is None:
        return Outcome(error=UNKNOWN, request_id=rid)
    payload = envelope.payload
    if not isinstance(payload, dict):
        return Outcome(error=INVALID, request_id=rid)
    cooker_id = payload.get("cookerId")
    cooker = cookers.get(cooker_id) if isinstance(cooker_id, str) else None
    action = validator(payload)
    if cooker is None or action is None:
        return Outcome(error=INVALID, request_id=rid)
    # The type trap, and the cooker that cannot hear the cloud: "ok", no effect.
    if payload.get("type") != cooker.type or not cooker.plugged:
        return Outcome(request_id=rid)
    if not action(cooker):
        return Outcome(request_id=rid)
    cooker.processed_ids.append(rid)
    return Outcome(changed=cooker, request_id=rid)


# -- field readers: None means "invalid" --------------------------------------


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _temperature(value: Any, unit: str | None) -> float | None:
    """A target in ``unit`` within the cloud's limits, converted to °C."""
    number = _number(value)
    if number is None or unit is None:
        return None
    low, high = TEMPERATURE_RANGES[unit]
    return to_celsius(number, unit) if low <= number <= high else None


def _timer(value: Any) -> int | None:
    number = _number(value)
    if number is None or number != int(number) or not 0 <= number <= MAX_TIMER_S:
        return None
    return int(number)


# -- one validator per command -------------------------------------------------


def _start(payload: dict[str, Any]) -> Action | None:
    unit = parse_unit(payload.get("unit"))
    target = _temperature(payload.get("targetTemperature"), unit)
    timer = _timer(payload.get("timer"))
    if unit is None or target is None or timer is None:
        return None

    def start(cooker: SimCooker) -> bool:
        cooker.start(target, unit, timer)
        return True

    return start


def _stop(_payload: dict[str, Any]) -> Action | None:
    def stop(cooker: SimCooker) -> bool:
        cooker.stop()
        return True

    return stop


def _set_unit(payload: dict[str, Any]) -> Action | None:
    unit = parse_unit(payload.get("unit"))
    if unit is None:
        return None

    def set_unit(cooker: SimCooker) -> bool:
        cooker.set_unit(unit)
        return True

    return set_unit


def _set_target(payload: dict[str, Any]) -> Action | None:
    unit = parse_unit(payload.get("unit"))
    target = _temperature(payload.get("targetTemperature"), unit)
    if target is None:
        return None
    # The idle trap lives in SimCooker.set_target: False when idle.
    return lambda cooker: cooker.set_target(target)


def _set_timer(payload: dict[str, Any]) -> Action | None:
    timer = _timer(payload.get("timer"))
    if timer is None:
        return None

    def set_timer(cooker: SimCooker) -> bool:
        cooker.set_timer(timer)
        return True

    return set_timer


VALIDATORS: dict[str, Callable[[dict[str, Any]], Action | None]] = {
    "CMD_APC_START": _start,
    "CMD_APC_STOP": _stop,
    "CMD_APC_SET_TEMPERATURE_UNIT": _set_unit,
    "CMD_APC_SET_TARGET_TEMP": _set_target,
    "CMD_APC_SET_TIMER": _set_timer,
}
