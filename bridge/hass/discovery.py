"""Home Assistant MQTT discovery payloads, built from plain inputs.

Pure functions: no MQTT I/O, no clock. Given a cooker and the options below,
they return ``{topic: payload}`` for either discovery layout:

* ``device`` (default, CONTRACT §6): one retained message per cooker at
  ``<prefix>/device/<cooker_id>/config`` whose ``components`` hold every
  entity, with device, origin and availability said once;
* ``component``: one message per entity at
  ``<prefix>/<component>/<cooker_id>/<key>/config``, each repeating device,
  origin and availability, for Home Assistant older than 2024.11.

The two layouts use the same node/object ids (``<cooker_id>`` and ``<key>``),
so Home Assistant sees the same discovery ids in both and its
``migrate_discovery`` hand-over keeps entity ids and history.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final, Literal

from bridge import __version__
from bridge.anova.device import CookerInfo
from bridge.contract import TemperatureUnit
from bridge.hass.context import Config, EntityContext
from bridge.hass.entities import BUILDERS
from bridge.hass.kind import EntitySet, components
from bridge.hass.topics import (
    CookerTopics,
    bridge_availability_topic,
    component_config_topic,
    device_config_topic,
)
from bridge.settings import Settings

Mode = Literal["device", "component"]
ORIGIN_NAME: Final = "anova-mqtt-bridge"
SUPPORT_URL: Final = "https://github.com/anova-mqtt-bridge/anova-mqtt-bridge"
MIGRATE_PAYLOAD: Final[Config] = {"migrate_discovery": True}
_BRIDGE_KEY: Final = "connection"


@dataclass(frozen=True)
class DiscoveryOptions:
    """Everything discovery needs from the configuration, as plain values."""

    prefix: str = "homeassistant"
    base_topic: str = "anova"
    mode: Mode = "device"
    unit: TemperatureUnit = "C"
    version: str = __version__
    support_url: str = SUPPORT_URL

    @classmethod
    def from_settings(cls, settings: Settings, *, version: str = __version__) -> DiscoveryOptions:
        """The options a running bridge uses."""
        hass = settings.homeassistant
        return cls(
            prefix=hass.discovery_prefix,
            base_topic=settings.mqtt.base_topic,
            mode=hass.discovery_mode,
            unit=settings.units,
            version=version,
        )

    @property
    def bridge_id(self) -> str:
        """The bridge's own device identifier; one per base topic, so two bridges differ."""
        return re.sub(r"[^a-z0-9_]+", "_", self.base_topic.lower()).strip("_") + "_bridge"


def origin(options: DiscoveryOptions) -> Config:
    """Who published the discovery (shown in Home Assistant's MQTT info)."""
    return {"name": ORIGIN_NAME, "sw_version": options.version, "support_url": options.support_url}


def availability(topics: CookerTopics) -> Config:
    """Bridge and cooker availability: an entity is available only when both are."""
    return {
        "availability": [{"topic": topics.bridge_availability}, {"topic": topics.availability}],
        "availability_mode": "all",
    }


def cooker_device(cooker: CookerInfo, firmware: str | None, options: DiscoveryOptions) -> Config:
    """The device registry entry; ``sw_version`` only when the device said it."""
    device: Config = {
        "identifiers": [f"anova_{cooker.cooker_id}"],
        "name": cooker.name,
        "manufacturer": "Anova",
        "model": cooker.model,
        "model_id": cooker.type,
        "via_device": options.bridge_id,
    }
    if firmware:
        device["sw_version"] = firmware
    return device


def _shared(device: Config, options: DiscoveryOptions, extra: Config) -> Config:
    return {"device": device, "origin": origin(options), **extra}


def cooker_configs(
    cooker: CookerInfo,
    topic_id: str,
    firmware: str | None,
    options: DiscoveryOptions,
    entities: EntitySet = BUILDERS,
) -> dict[str, Config]:
    """Discovery ``{topic: payload}`` for one device in ``options.mode``.

    Args:
        cooker: the device, as listed.
        topic_id: its topic id.
        firmware: its firmware version, when known.
        options: the discovery settings.
        entities: its kind's entity builders (the cookers' by default).
    """
    topics = CookerTopics(options.base_topic, topic_id)
    ctx = EntityContext(topics, cooker.cooker_id, cooker.type, options.unit)
    shared = _shared(cooker_device(cooker, firmware, options), options, availability(topics))
    return _layout(cooker.cooker_id, components(ctx, entities), shared, options)


def bridge_device(options: DiscoveryOptions) -> Config:
    """The bridge as a device, so each cooker's ``via_device`` resolves."""
    return {
        "identifiers": [options.bridge_id],
        "name": "Anova MQTT bridge",
        "manufacturer": "anova-mqtt-bridge",
        "model": "MQTT bridge",
        "sw_version": options.version,
    }


def bridge_configs(options: DiscoveryOptions) -> dict[str, Config]:
    """The bridge device with one connectivity sensor reading its LWT.

    It carries no availability itself: it *is* the availability, and should
    read "disconnected" rather than "unavailable" when the bridge is gone.
    """
    sensor: Config = {
        "platform": "binary_sensor",
        "name": "Connection",
        "unique_id": f"{options.bridge_id}_{_BRIDGE_KEY}",
        "state_topic": bridge_availability_topic(options.base_topic),
        "payload_on": "online",
        "payload_off": "offline",
        "device_class": "connectivity",
        "entity_category": "diagnostic",
    }
    shared = _shared(bridge_device(options), options, {})
    return _layout(options.bridge_id, {_BRIDGE_KEY: sensor}, shared, options)


def _layout(
    object_id: str, comps: dict[str, Config], shared: Config, options: DiscoveryOptions
) -> dict[str, Config]:
    # QoS goes on each component: Home Assistant accepts a device-level ``qos``
    # but does not hand it down to the components (it is not in its
    # SHARED_OPTIONS in 2025.4), so there it would be silently ignored.
    comps = {key: {**comp, "qos": 1} for key, comp in comps.items()}
    if options.mode == "device":
        return {device_config_topic(options.prefix, object_id): {**shared, "components": comps}}
    return {
        component_config_topic(options.prefix, comp["platform"], object_id, key): {
            **shared,
            **{k: v for k, v in comp.items() if k != "platform"},
        }
        for key, comp in comps.items()
    }


def is_ours(payload: Any, options: DiscoveryOptions) -> bool:
    """True for a discovery payload this bridge (same base topic) published.

    Other integrations publish under the same prefix, possibly with
    device-based discovery too: only configs whose origin is this program and
    whose device is this bridge or hangs off it may ever be cleared.
    """
    if not isinstance(payload, dict):
        return False
    origin_block = payload.get("origin", payload.get("o"))
    device = payload.get("device", payload.get("dev"))
    if not isinstance(origin_block, dict) or not isinstance(device, dict):
        return False
    if origin_block.get("name") != ORIGIN_NAME:
        return False
    ids = device.get("identifiers", device.get("ids"))
    via = device.get("via_device", device.get("via_device_id"))
    return via == options.bridge_id or ids in ([options.bridge_id], options.bridge_id)
