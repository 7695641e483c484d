"""Home Assistant MQTT discovery: turns cookers into discovery payloads.

Pure payload building (:mod:`.entities`, :mod:`.discovery`) and a small
stateful planner (:mod:`.planner`) that the service feeds and whose
messages it publishes. No MQTT I/O happens in this package.
"""

from bridge.hass.discovery import DiscoveryOptions, cooker_configs, is_ours
from bridge.hass.planner import (
    CookerEntry,
    DiscoveryMessage,
    DiscoveryPlanner,
    birth_delay,
    is_birth,
)
from bridge.hass.topics import CookerTopics

__all__ = [
    "CookerEntry",
    "CookerTopics",
    "DiscoveryMessage",
    "DiscoveryOptions",
    "DiscoveryPlanner",
    "birth_delay",
    "cooker_configs",
    "is_birth",
    "is_ours",
]
