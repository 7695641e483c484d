"""The device kinds the bridge serves: the one place a kind is registered.

See docs/architecture.md, "How to add a device kind".
"""

from __future__ import annotations

from bridge.kinds.kind import DeviceKind, KindRegistry
from bridge.kinds.oven import OVEN
from bridge.kinds.sous_vide import SOUS_VIDE

KINDS = KindRegistry([SOUS_VIDE, OVEN])

__all__ = ["KINDS", "DeviceKind", "KindRegistry"]
