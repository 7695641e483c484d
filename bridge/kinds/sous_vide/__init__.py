"""Sous-vide cookers, the first device kind: their facets in one value."""

from __future__ import annotations

from bridge.anova.sous_vide import NAME, SOUS_VIDE_CLOUD
from bridge.commands.vocabulary import COOKER_COMMANDS
from bridge.hass.entities import BUILDERS
from bridge.kinds.kind import DeviceKind
from bridge.kinds.sous_vide.events import derive_events
from bridge.kinds.sous_vide.state import cooker_document
from bridge.safety.water_bath import WATER_BATH

SOUS_VIDE = DeviceKind(
    name=NAME,
    cloud=SOUS_VIDE_CLOUD,
    safety=WATER_BATH,
    entities=BUILDERS,
    state_document=cooker_document,
    commands=COOKER_COMMANDS,
    events=derive_events,
    verbs=NAME,
)
