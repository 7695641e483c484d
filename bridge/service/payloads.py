"""JSON payloads the bridge publishes for a device: state (CONTRACT §3) and events (§5).

The state document is the device kind's (:class:`bridge.kinds.kind.StateDocument`);
timestamps and units are shared by every kind (:mod:`bridge.kinds.document`).
"""

from __future__ import annotations

import json
from typing import Any

from bridge.anova.device import CookerInfo
from bridge.anova.state import CookerState
from bridge.contract import TemperatureUnit
from bridge.kinds import KINDS
from bridge.kinds.document import iso, to_unit, utc_now


def encode(payload: dict[str, Any]) -> bytes:
    """Compact JSON, UTF-8, no NaN (a NaN would make the payload invalid JSON)."""
    return json.dumps(payload, separators=(",", ":"), allow_nan=False).encode()


def state_payload(
    info: CookerInfo,
    state: CookerState | None,
    *,
    unit: TemperatureUnit,
    online: bool,
    stored_target_c: float | None = None,
    stored_timer_s: int | None = None,
    food_type: str | None = None,
    food: tuple[str | None, float | None] = (None, None),
) -> dict[str, Any]:
    """The retained ``<base>/<id>/state`` document, as the device's kind writes it.

    Args: as :class:`bridge.kinds.kind.StateDocument`.
    """
    document = KINDS.named(info.kind).state_document
    return document(
        info,
        state,
        unit=unit,
        online=online,
        stored_target_c=stored_target_c,
        stored_timer_s=stored_timer_s,
        food_type=food_type,
        food=food,
    )


def event_payload(event: str, *, cook_id: str | None, **extra: Any) -> dict[str, Any]:
    """An ``<base>/<id>/event`` message: the event name, when, the cook id, details."""
    body: dict[str, Any] = {"event": event, "at": iso(utc_now())}
    if cook_id is not None:
        body["cook_id"] = cook_id
    body.update(extra)
    return body


def without_timestamp(payload: dict[str, Any]) -> dict[str, Any]:
    """The state document minus ``updated_at``, to tell a real change from a tick."""
    return {key: value for key, value in payload.items() if key != "updated_at"}


__all__ = [
    "encode",
    "event_payload",
    "iso",
    "state_payload",
    "to_unit",
    "utc_now",
    "without_timestamp",
]
