"""Partial a3 pushes, completed from the last one seen.

Home Assistant users report a3 pushes that carry only some keys, and
``currentJob`` or its ``jobStage`` being ``null`` (anova-api.md, "Events").
Gen 2 and gen 3 push whole documents, but an a3 push missing a key (or
carrying ``null`` for it) says nothing about that key, so each a3 state is
laid over the last one from the same cooker before it is parsed. A push
that adds nothing readable to an empty memory still fails as malformed in
the parser and is skipped; it never crashes the client.
"""

from __future__ import annotations

from typing import Any

from bridge.anova.device import Generation
from bridge.anova.parsing import shape_of

JOB = "currentJob"


class PartialStates:
    """The last a3 ``state`` per cooker, and pushes completed with it."""

    def __init__(self) -> None:
        self._last: dict[str, dict[str, Any]] = {}

    def complete(self, payload: Any) -> Any:
        """``payload`` with its a3 ``state`` completed; anything else unchanged."""
        if not isinstance(payload, dict):
            return payload
        cooker_id, doc = payload.get("cookerId"), payload.get("state")
        if not isinstance(cooker_id, str) or not isinstance(doc, dict):
            return payload
        cooker_type = payload.get("type")
        if shape_of(doc, cooker_type if isinstance(cooker_type, str) else "") is not Generation.A3:
            return payload
        merged = _overlay(self._last.get(cooker_id, {}), doc)
        self._last[cooker_id] = merged
        return {**payload, "state": merged}

    def keep_only(self, cooker_ids: set[str]) -> None:
        """Forget cookers that left the device list."""
        for cooker_id in set(self._last) - cooker_ids:
            del self._last[cooker_id]


def _overlay(last: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    merged = {**last, **_known(doc)}
    job, last_job = doc.get(JOB), last.get(JOB)
    if isinstance(job, dict) and isinstance(last_job, dict):
        merged[JOB] = {**last_job, **_known(job)}
    return merged


def _known(values: dict[str, Any]) -> dict[str, Any]:
    """The keys that say something: ``null`` means "not known in this push"."""
    return {key: value for key, value in values.items() if value is not None}
