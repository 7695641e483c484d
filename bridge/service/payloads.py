"""JSON payloads the bridge publishes for a device: state (CONTRACT §3) and events (§5).

The state document is the device kind's (:class:`bridge.kinds.kind.StateDocument`);
timestamps and units are shared by every kind (:mod:`bridge.kinds.document`).
"""

from __future__ import annotations

import json
from typing import Any

from bridge.kinds import KINDS
from bridge.kinds.document import iso, to_unit, utc_now
from bridge.kinds.kind import StateInputs


def encode(payload: dict[str, Any]) -> bytes:
    """Compact JSON, UTF-8, no NaN (a NaN would make the payload invalid JSON)."""
    return json.dumps(payload, separators=(",", ":"), allow_nan=False).encode()


def state_payload(inputs: StateInputs) -> dict[str, Any]:
    """The retained ``<base>/<id>/state`` document, as the device's kind writes it."""
    return KINDS.named(inputs.info.kind).state_document(inputs)


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
