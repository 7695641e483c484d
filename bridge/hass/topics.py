"""Every MQTT topic Home Assistant is pointed at, in one place.

The discovery payloads must name exactly the topics the daemon publishes and
listens on (CONTRACT §1), so they are spelled here once and nowhere else in
``bridge/hass``. Discovery topics themselves follow Home Assistant's layouts:
``<prefix>/device/<object_id>/config`` (device-based) and
``<prefix>/<component>/<node_id>/<object_id>/config`` (per component).
"""

from __future__ import annotations

from dataclasses import dataclass

from bridge.contract import OVEN_SHORTCUT_FIELDS, SHORTCUT_FIELDS

# SHORTCUT_FIELDS is re-exported: the shortcut topics HA's entities write are the contract's.
# Any kind's field is a topic; which kind takes which is the kind's own business.
_COMMAND_FIELDS = frozenset(SHORTCUT_FIELDS) | frozenset(OVEN_SHORTCUT_FIELDS)
__all__ = [
    "SHORTCUT_FIELDS",
    "CookerTopics",
    "bridge_availability_topic",
    "component_config_topic",
    "device_config_topic",
    "discovery_wildcards",
    "parse_config_topic",
]


@dataclass(frozen=True)
class CookerTopics:
    """The bridge's topics for one cooker, addressed by its topic id (``<id>``)."""

    base: str
    topic_id: str

    @property
    def bridge_availability(self) -> str:
        """``<base>/bridge/availability``: the bridge's LWT."""
        return f"{self.base}/bridge/availability"

    @property
    def availability(self) -> str:
        """``<base>/<id>/availability``: the cooker's own online/offline."""
        return f"{self.base}/{self.topic_id}/availability"

    @property
    def state(self) -> str:
        """``<base>/<id>/state``: the state JSON of CONTRACT §3."""
        return f"{self.base}/{self.topic_id}/state"

    @property
    def event(self) -> str:
        """``<base>/<id>/event``: the event JSON of CONTRACT §5."""
        return f"{self.base}/{self.topic_id}/event"

    def set(self, field: str) -> str:
        """``<base>/<id>/set/<field>``: a plain-value shortcut command topic."""
        if field not in _COMMAND_FIELDS:
            raise ValueError(f"no shortcut command topic for {field!r}")
        return f"{self.base}/{self.topic_id}/set/{field}"


def bridge_availability_topic(base: str) -> str:
    """``<base>/bridge/availability`` without a cooker at hand."""
    return f"{base}/bridge/availability"


def device_config_topic(prefix: str, object_id: str) -> str:
    """Where a device-based discovery payload lives."""
    return f"{prefix}/device/{object_id}/config"


def component_config_topic(prefix: str, component: str, node_id: str, object_id: str) -> str:
    """Where a single-component discovery payload lives."""
    return f"{prefix}/{component}/{node_id}/{object_id}/config"


def discovery_wildcards(prefix: str) -> list[str]:
    """What to subscribe to briefly at start-up to see every retained config.

    Both layouts are listed so a switch of ``discovery_mode`` in either
    direction finds the configs to migrate and clear. Other integrations'
    configs match too; :func:`bridge.hass.planner.is_ours` filters them.
    """
    return [f"{prefix}/device/+/config", f"{prefix}/+/+/+/config"]


def parse_config_topic(prefix: str, topic: str) -> tuple[str, str, str | None] | None:
    """Split a discovery topic into ``(component, node_or_object_id, object_id)``.

    Device-based topics give ``("device", object_id, None)``. Anything that is
    not a discovery config topic under ``prefix`` gives ``None``.
    """
    head = f"{prefix}/"
    if not topic.startswith(head) or not topic.endswith("/config"):
        return None
    parts = topic[len(head) : -len("/config")].split("/")
    if len(parts) == 2 and parts[0] == "device":
        return ("device", parts[1], None)
    if len(parts) == 3 and parts[0] != "device":
        return (parts[0], parts[1], parts[2])
    return None
