"""Cloud events to typed values: the device list and per-cooker states.

The generation is chosen by the *shape* of the state, not only by the
cooker's ``type``: a type we have never seen (a new model) still parses if
it speaks a known shape, and a known type sending an unexpected shape fails
as malformed instead of being misread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from bridge.anova import fields
from bridge.anova.a3 import parse_a3
from bridge.anova.device import CookerInfo, Generation, generation
from bridge.anova.fields import JsonObject, MalformedStateError
from bridge.anova.gen2 import parse_gen2
from bridge.anova.gen3 import parse_gen3
from bridge.anova.state import CookerState

Parser = Callable[[str, str, JsonObject, datetime], CookerState]

PARSERS: dict[Generation, Parser] = {
    Generation.GEN2: parse_gen2,
    Generation.GEN3: parse_gen3,
    Generation.A3: parse_a3,
}


def parse_devices(payload: Any) -> list[CookerInfo]:
    """Read an ``EVENT_APC_WIFI_LIST`` payload; entries without id or type are skipped.

    Raises:
        MalformedStateError: the payload is not a list.
    """
    if not isinstance(payload, list):
        raise MalformedStateError("the device list must be a JSON array")
    return [info for entry in payload if (info := _device(entry)) is not None]


def _device(entry: Any) -> CookerInfo | None:
    if not isinstance(entry, dict):
        return None
    cooker_id = fields.opt_text(entry, "cookerId")
    cooker_type = fields.opt_text(entry, "type")
    if cooker_id is None or cooker_type is None:
        return None
    try:
        return CookerInfo(
            cooker_id=cooker_id,
            type=cooker_type,
            name=fields.opt_text(entry, "name") or cooker_id,
            paired_at=fields.opt_timestamp(entry, "pairedAt"),
        )
    except ValidationError:
        return None


def parse_state(payload: Any, now: datetime) -> CookerState:
    """Read an ``EVENT_APC_STATE`` payload into a :class:`CookerState`.

    Args:
        payload: ``{"cookerId", "type", "state": {...}}``.
        now: when it arrived (aware UTC), for timers the device reports relatively.

    Raises:
        MalformedStateError: the payload cannot be read as any known shape.
    """
    if not isinstance(payload, dict):
        raise MalformedStateError("the state payload must be a JSON object")
    cooker_id = fields.text(payload, "cookerId")
    cooker_type = fields.opt_text(payload, "type") or ""
    doc = fields.obj(payload, "state")
    parser = PARSERS[shape_of(doc, cooker_type)]
    try:
        return parser(cooker_id, cooker_type, doc, now)
    except ValidationError as err:
        raise MalformedStateError(f"state values out of range: {err.error_count()} errors") from err


def shape_of(doc: JsonObject, cooker_type: str) -> Generation:
    """Which generation's shape ``doc`` has; falls back to the type's generation."""
    if "nodes" in doc:
        return Generation.GEN3
    if "job" in doc or "job-status" in doc:
        return Generation.GEN2
    if "isCooking" in doc:
        return Generation.A3
    return generation(cooker_type)
