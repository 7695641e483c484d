"""Anova Precision Ovens (v1 and v2), the second device kind: their facets in one value."""

from __future__ import annotations

from bridge.anova.oven import OVEN_CLOUD
from bridge.commands.oven_vocabulary import OVEN_COMMANDS
from bridge.hass.oven_entities import OVEN_ENTITIES
from bridge.kinds.kind import DeviceKind
from bridge.kinds.oven.events import oven_events
from bridge.kinds.oven.state import oven_document
from bridge.safety.oven import OVEN_RULES

OVEN = DeviceKind(
    name=OVEN_CLOUD.name,
    cloud=OVEN_CLOUD,
    safety=OVEN_RULES,
    entities=OVEN_ENTITIES,
    state_document=oven_document,
    commands=OVEN_COMMANDS,
    events=oven_events,
    verbs="oven",
)
