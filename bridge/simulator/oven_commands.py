"""``CMD_APO_*`` commands: the nested envelope, validation and the ovens' traps.

An oven command nests one level deeper than a cooker's (anova-oven-api.md
§2): ``{"command", "requestId", "payload": {"id", "type", "payload": {…}}}``.
The order of checks:

1. the outer payload is not an object, or has no string ``id``: error;
2. no paired oven has that id: **no RESPONSE at all** (trap
   ``ignore_unknown_oven``; off: an error);
3. a dead (bricked) oven: "ok", nothing happens (the cloud still answers;
   the oven never hears it);
4. the command's own checks: a malformed one is ``status:"error"`` with a
   ``payload.error`` text naming what is wrong;
5. the traps: a v1 plan to a v2 oven bricks it; a v1 oven drops plans it
   dislikes (§6.2) after answering "ok".

Only an applied command joins ``processedCommandIds``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bridge.logs import get_logger
from bridge.simulator.commands import Envelope, Outcome
from bridge.simulator.oven import SimOven
from bridge.simulator.oven_plan import plan_version, read_plan, v1_refusals
from bridge.simulator.oven_traps import OvenTraps

INVALID = "invalid command"
START = "CMD_APO_START"
STOP = "CMD_APO_STOP"
SET_UNIT = "CMD_APO_SET_TEMPERATURE_UNIT"

log = get_logger("simulator.oven")


class Ignored:
    """A command acknowledged "ok" that changes nothing (the silent traps)."""


IGNORED = Ignored()

# Runs a command on an oven: None when applied, IGNORED, or the error text.
Handler = Callable[[SimOven, Any, OvenTraps, str], str | Ignored | None]


def execute_oven(  # noqa: PLR0911 - one return per answer of the check order above
    envelope: Envelope, ovens: Mapping[str, SimOven], traps: OvenTraps
) -> Outcome:
    """Validate an oven command and apply it to its oven."""
    rid = envelope.request_id
    payload = envelope.payload
    if not isinstance(payload, dict) or not isinstance(payload.get("id"), str):
        return Outcome(error=f"{INVALID}: payload.id must name an oven", request_id=rid)
    oven = ovens.get(payload["id"])
    if oven is None:
        if traps.ignore_unknown_oven:
            log.info("oven_command_unanswered", command=envelope.command, request_id=rid)
            return Outcome(request_id=rid, answer=False)
        return Outcome(error=f"{INVALID}: unknown device", request_id=rid)
    if oven.bricked:
        return Outcome(request_id=rid)
    result = HANDLERS[envelope.command](oven, payload.get("payload"), traps, rid)
    if isinstance(result, str):
        return Outcome(error=f"{INVALID}: {result}", request_id=rid)
    if isinstance(result, Ignored):
        return Outcome(request_id=rid)
    oven.processed_ids.append(rid)
    return Outcome(changed=oven, request_id=rid)


def _start(  # noqa: PLR0911 - one return per outcome, in the order of the checks
    oven: SimOven, inner: Any, traps: OvenTraps, rid: str
) -> str | Ignored | None:
    if not isinstance(inner, dict):
        return "payload.payload must hold a plan"
    version = plan_version(inner)
    if version is None:
        return "payload.payload.stages must be a non-empty list of v1 or v2 stages"
    if version == 1 and oven.version == 2:
        if not traps.brick_v2_on_v1_plan:
            return "a v1 plan cannot run on a v2 oven"
        oven.bricked = True
        log.warning("oven_bricked", cooker_id=oven.cooker_id, request_id=rid)
        return IGNORED
    if version == 2 and oven.version == 1:
        return "a v2 plan cannot run on a v1 oven"
    try:
        plan = read_plan(inner, version)
    except ValueError as err:
        return str(err)
    refused = [rule for rule in v1_refusals(plan) if traps.refuses(rule)] if version == 1 else []
    if version == 1 and traps.drop_every_v1_plan:
        refused.append("every_v1_plan")
    if refused:
        log.info("oven_plan_dropped", cooker_id=oven.cooker_id, request_id=rid, rules=refused)
        return IGNORED
    oven.start(plan)
    return None


def _stop(oven: SimOven, _inner: Any, _traps: OvenTraps, _rid: str) -> str | Ignored | None:
    oven.stop()
    return None


def _set_unit(oven: SimOven, inner: Any, _traps: OvenTraps, _rid: str) -> str | Ignored | None:
    unit = inner.get("temperatureUnit") if isinstance(inner, dict) else None
    if unit not in ("C", "F"):
        return 'payload.payload.temperatureUnit must be "C" or "F"'
    oven.set_unit(unit)
    return None


HANDLERS: dict[str, Handler] = {START: _start, STOP: _stop, SET_UNIT: _set_unit}
