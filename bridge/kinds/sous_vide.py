"""Sous-vide cookers, the first device kind: their facets in one value."""

from __future__ import annotations

from bridge.anova.sous_vide import NAME, SOUS_VIDE_CLOUD
from bridge.kinds.kind import DeviceKind
from bridge.safety.water_bath import WATER_BATH

SOUS_VIDE = DeviceKind(name=NAME, cloud=SOUS_VIDE_CLOUD, safety=WATER_BATH)
