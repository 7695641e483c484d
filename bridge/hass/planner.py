"""Decide which discovery messages to send, and when; never sends them itself.

The service owns the MQTT client. This class only turns "these cookers
exist" into an ordered list of retained messages, remembering what it sent
so discovery is re-sent only when it changed (Home Assistant re-processes
every config it receives) unless forced after Home Assistant's birth
message. At start-up it also works out, from the retained configs already on
the broker, which ones belong to cookers that are gone or to the other
discovery layout, and hands those over with Home Assistant's
``migrate_discovery`` protocol before publishing the new layout:

1. ``{"migrate_discovery": true}`` on each old topic of a cooker still
   present: Home Assistant unloads those entities but keeps their registry
   entries (entity ids, names, areas, history);
2. an empty retained payload on each old topic, so nothing replays later;
3. the new layout's configs: the same discovery ids and unique ids re-attach
   the entities.

Home Assistant's docs clear the old topics last. Checked against a real
Home Assistant 2025.4 (``tests/ha/test_discovery_e2e.py``), that order logs
a "conflicting MQTT discovery message" WARNING per entity, because the old
topic's discovery id then belongs to the new entity. Clearing before
publishing is silent for component → device. The rarer device → component
rollback still logs one "No device components to cleanup" WARNING per
device topic in both orders; the entities survive either way.
Configs of cookers that are gone skip step 1, so their entities are removed.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from bridge.anova.device import FIRST_KIND, CookerInfo
from bridge.hass.context import Config
from bridge.hass.discovery import (
    MIGRATE_PAYLOAD,
    DiscoveryOptions,
    Mode,
    bridge_configs,
    cooker_configs,
    is_ours,
)
from bridge.hass.entities import BUILDERS
from bridge.hass.kind import EntitySet, platforms
from bridge.hass.topics import (
    component_config_topic,
    device_config_topic,
    discovery_wildcards,
    parse_config_topic,
)

__all__ = [
    "BIRTH_DELAY_RANGE",
    "CookerEntry",
    "DiscoveryMessage",
    "DiscoveryOptions",
    "DiscoveryPlanner",
    "birth_delay",
    "encode",
    "is_birth",
]

BIRTH_DELAY_RANGE: Final = (1.0, 5.0)


def birth_delay(rng: random.Random) -> float:
    """Seconds to wait after ``<prefix>/status`` ``online`` before republishing.

    Home Assistant's docs ask for a random delay so that a restart of Home
    Assistant is not met by every device on the broker at the same instant.
    """
    return rng.uniform(*BIRTH_DELAY_RANGE)


def is_birth(payload: bytes | str) -> bool:
    """True when a ``<prefix>/status`` payload says Home Assistant came online."""
    text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
    return text.strip() == "online"


@dataclass(frozen=True)
class CookerEntry:
    """One cooker as discovery sees it: cloud info, topic id and firmware if known."""

    info: CookerInfo
    topic_id: str
    firmware: str | None = None


@dataclass(frozen=True)
class DiscoveryMessage:
    """One retained QoS 1 message to publish; an empty payload clears a config."""

    topic: str
    payload: str
    retain: bool = True
    qos: int = 1


def encode(payload: Config | None) -> str:
    """Compact JSON, or the empty string that removes a retained config."""
    if payload is None:
        return ""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def _decode(payload: bytes | str) -> Any:
    try:
        return json.loads(payload) if payload else None
    except ValueError:
        return None


class DiscoveryPlanner:
    """Builds discovery messages for the current cookers and remembers what was sent."""

    def __init__(
        self, options: DiscoveryOptions, entities: Mapping[str, EntitySet] | None = None
    ) -> None:
        self.options = options
        # Each device kind's entity builders, by kind name.
        self._entities = dict(entities) if entities is not None else {FIRST_KIND: BUILDERS}
        self._platforms = platforms(self._entities.values())
        self._sent: dict[str, Config | None] = {}

    @property
    def subscriptions(self) -> list[str]:
        """Wildcards to subscribe to briefly at start-up to learn the retained configs."""
        return discovery_wildcards(self.options.prefix)

    def configs_for(
        self, cooker: CookerInfo, *, topic_id: str, firmware: str | None = None
    ) -> dict[str, Config]:
        """Discovery ``{topic: payload}`` for one cooker in the configured mode (pure)."""
        return cooker_configs(cooker, topic_id, firmware, self.options, self._entities[cooker.kind])

    def messages_for(self, cooker: CookerEntry, *, force: bool = False) -> list[DiscoveryMessage]:
        """The cooker's configs that changed since last sent (all of them with ``force``)."""
        configs = self.configs_for(cooker.info, topic_id=cooker.topic_id, firmware=cooker.firmware)
        return self._changed(configs, force=force)

    def bridge_messages(self, *, force: bool = False) -> list[DiscoveryMessage]:
        """The bridge device's config, if it changed (or with ``force``)."""
        return self._changed(bridge_configs(self.options), force=force)

    def all_messages(
        self, cookers: Sequence[CookerEntry], *, force: bool = False
    ) -> list[DiscoveryMessage]:
        """Bridge first (so ``via_device`` resolves), then every cooker."""
        messages = self.bridge_messages(force=force)
        for cooker in cookers:
            messages.extend(self.messages_for(cooker, force=force))
        return messages

    def removal_messages(self, cooker_id: str) -> list[DiscoveryMessage]:
        """Clear a cooker that left the account while running: its entities go away."""
        return self._changed(dict.fromkeys(self.layout_topics(cooker_id)), force=False)

    def layout_topics(self, object_id: str) -> list[str]:
        """The config topics the configured mode uses for a cooker (or the bridge)."""
        prefix = self.options.prefix
        if self.options.mode == "device":
            return [device_config_topic(prefix, object_id)]
        keys = (
            {"connection": "binary_sensor"}
            if object_id == self.options.bridge_id
            else self._platforms
        )
        return [
            component_config_topic(prefix, platform, object_id, key)
            for key, platform in keys.items()
        ]

    def stale_topics(
        self, existing: Mapping[str, bytes | str], current_cookers: Iterable[str]
    ) -> list[str]:
        """Retained configs of ours that should not survive: gone cookers, other layout.

        Args:
            existing: topic → retained payload seen under :attr:`subscriptions`.
                Payloads are needed, not just topics: other integrations use
                the same prefix and layouts, and only our own may be cleared.
            current_cookers: cooker ids present now.
        """
        ids = {*current_cookers, self.options.bridge_id}
        keep = {topic for object_id in ids for topic in self.layout_topics(object_id)}
        return sorted(
            topic
            for topic, payload in existing.items()
            if topic not in keep
            and parse_config_topic(self.options.prefix, topic) is not None
            and is_ours(_decode(payload), self.options)
        )

    def startup_messages(
        self, existing: Mapping[str, bytes | str], cookers: Sequence[CookerEntry]
    ) -> list[DiscoveryMessage]:
        """Everything to publish once the retained configs are known, in order.

        Unchanged configs already on the broker are not re-sent; the old
        layout of present cookers is migrated; the rest is cleared.
        """
        self._remember_existing(existing)
        present = {cooker.info.cooker_id for cooker in cookers} | {self.options.bridge_id}
        stale = self.stale_topics(existing, present)
        migrating = [t for t in stale if self._object_id(t) in present]
        messages = [DiscoveryMessage(t, encode(MIGRATE_PAYLOAD)) for t in migrating]
        messages.extend(DiscoveryMessage(t, "") for t in migrating)
        messages.extend(self.all_messages(cookers))
        messages.extend(DiscoveryMessage(t, "") for t in stale if t not in migrating)
        for topic in stale:
            self._sent[topic] = None
        return messages

    def _object_id(self, topic: str) -> str | None:
        parsed = parse_config_topic(self.options.prefix, topic)
        return None if parsed is None else parsed[1]

    def _remember_existing(self, existing: Mapping[str, bytes | str]) -> None:
        for topic, payload in existing.items():
            decoded = _decode(payload)
            if isinstance(decoded, dict) and is_ours(decoded, self.options):
                self._sent[topic] = decoded

    def _changed(
        self, configs: Mapping[str, Config | None], *, force: bool
    ) -> list[DiscoveryMessage]:
        messages = []
        for topic, payload in configs.items():
            if force or topic not in self._sent or self._sent[topic] != payload:
                messages.append(DiscoveryMessage(topic, encode(payload)))
                self._sent[topic] = payload
        return messages

    def with_mode(self, mode: Mode) -> DiscoveryPlanner:
        """A fresh planner for the given layout, e.g. to show what a switch sends."""
        return DiscoveryPlanner(replace(self.options, mode=mode), self._entities)
