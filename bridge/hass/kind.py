"""The Home Assistant side of a device kind: the entities each of its devices gets.

A kind provides an :data:`EntitySet`, its entity builders by stable object
id (the cookers' is :data:`bridge.hass.entities.BUILDERS`); discovery builds a
device's components from its kind's set and never from one kind's
builders directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from bridge.hass.context import Config, EntityContext
from bridge.hass.topics import CookerTopics

EntityBuilder = Callable[[EntityContext], Config]
EntitySet = Mapping[str, EntityBuilder]


def components(ctx: EntityContext, entities: EntitySet) -> dict[str, Config]:
    """Every entity of one device, keyed by its stable object id."""
    return {key: build(ctx) for key, build in entities.items()}


def platforms(sets: Iterable[EntitySet]) -> dict[str, str]:
    """Each entity key's platform across the kinds: the per-component topic of a key."""
    placeholder = EntityContext(CookerTopics("base", "id"), "id", "", "C")
    found: dict[str, str] = {}
    for entities in sets:
        for key, config in components(placeholder, entities).items():
            found.setdefault(key, str(config["platform"]))
    return found
