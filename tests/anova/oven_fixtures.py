"""The oven pushes of ``tests/fixtures/oven-*.json`` (recorded or documented: anova-oven-api.md)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bridge.anova.oven_model import OvenState
from bridge.anova.oven_states import parse_oven_state

FIXTURES = Path(__file__).parent.parent / "fixtures"
# Arrival time; every fixture carries its own updatedTimestamp, which wins.
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def oven_fixture(name: str) -> dict[str, Any]:
    """The whole frame ``{"command", "payload"}`` of ``oven-<name>.json``."""
    found: dict[str, Any] = json.loads((FIXTURES / f"oven-{name}.json").read_text())
    return found


def oven_payload(name: str) -> dict[str, Any]:
    """The frame's payload, ready to change one fact."""
    payload: dict[str, Any] = oven_fixture(name)["payload"]
    return payload


def oven_state(name: str) -> OvenState:
    """The fixture read without memory of earlier pushes."""
    return parse_oven_state(oven_payload(name), NOW)
