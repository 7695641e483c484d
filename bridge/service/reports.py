"""What the bridge says about itself: ``bridge/info``, ``bridge/health``, ``/healthz``.

None of these may carry a secret: the MQTT URL is shown without its password
and no Anova credential is ever included (tested).
"""

from __future__ import annotations

import os
import resource
import sys
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from bridge import __version__
from bridge.anova.listener import ClientStats
from bridge.metrics import BridgeMetrics
from bridge.mqtt.limits import BrokerLimits
from bridge.mqtt.stats import MqttStats
from bridge.service.directory import CookerDirectory
from bridge.service.payloads import iso, utc_now
from bridge.settings import Settings


def rss_bytes() -> int:
    """Resident memory now (Linux), else the peak the OS reports."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


def public_url(url: str) -> str:
    """The MQTT URL with any password removed.

    The host and port are kept as written, so an IPv6 host keeps its
    brackets (``mqtt://[::1]:1883``).
    """
    parts = urlsplit(url)
    host_port = parts.netloc.rpartition("@")[2]
    netloc = f"{parts.username}@{host_port}" if parts.username else host_port
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


class MqttLink(Protocol):
    """What the reports read of the MQTT connection."""

    @property
    def connected(self) -> bool: ...
    @property
    def last_error(self) -> str | None: ...
    @property
    def stats(self) -> MqttStats: ...
    @property
    def limits(self) -> BrokerLimits: ...


class CloudLink(Protocol):
    """What the reports read of the Anova client."""

    @property
    def connected(self) -> bool: ...
    @property
    def stats(self) -> ClientStats: ...


class Backlog(Protocol):
    """What the reports read of the command inbox."""

    @property
    def waiting(self) -> int: ...


@dataclass(frozen=True)
class ReportSources:
    """The narrow view the reports read: links, cookers and counters, nothing to act on."""

    settings: Settings
    started_at: datetime
    metrics: BridgeMetrics
    mqtt: MqttLink
    cloud: CloudLink
    cookers: CookerDirectory
    backlog: Backlog


class BridgeReports:
    """Builds the bridge's self-descriptions from a read-only view of the service."""

    def __init__(self, sources: ReportSources) -> None:
        self._service = sources

    def info(self) -> dict[str, Any]:
        """Retained ``<base>/bridge/info``."""
        service = self._service
        settings = service.settings
        return {
            "version": __version__,
            "started_at": iso(service.started_at),
            "devices": [
                {
                    "id": c.topic_id,
                    "cooker_id": c.cooker_id,
                    "name": c.info.name,
                    "type": c.info.type,
                    "model": c.info.model,
                    "kind": c.info.kind,
                }
                for c in service.cookers
            ],
            "mqtt": {
                "url": public_url(settings.mqtt.url),
                "base_topic": settings.mqtt.base_topic,
                "client_id": settings.mqtt.client_id,
                "protocol": settings.mqtt.protocol,
                "broker": service.mqtt.limits.as_dict(),
            },
            "homeassistant": {
                "enabled": settings.homeassistant.enabled,
                "discovery_prefix": settings.homeassistant.discovery_prefix,
                "discovery_mode": settings.homeassistant.discovery_mode,
            },
            "units": settings.units,
            "safety_policy": settings.safety.policy,
        }

    def health(self) -> dict[str, Any]:
        """Retained ``<base>/bridge/health`` and the ``health_check`` request's data."""
        service = self._service
        mqtt_stats = service.mqtt.stats
        stats = service.cloud.stats
        return {
            "uptime_s": round((utc_now() - service.started_at).total_seconds(), 1),
            "rss_bytes": rss_bytes(),
            "mqtt": {
                "connected": service.mqtt.connected,
                "reconnects": mqtt_stats.reconnects,
                "published": mqtt_stats.published,
                "received": mqtt_stats.received,
            },
            "anova": {
                "connected": service.cloud.connected,
                "reconnects": stats.reconnects,
                "commands_sent": stats.commands_sent,
                "commands_failed": stats.commands_failed,
            },
            "devices": {
                c.topic_id: {
                    "online": c.online,
                    "last_seen": iso(stats.last_seen.get(c.cooker_id)),
                }
                for c in service.cookers
            },
        }

    def healthz(self) -> tuple[bool, dict[str, Any]]:
        """``/healthz``: healthy when both MQTT and the cloud are connected."""
        service = self._service
        healthy = service.mqtt.connected and service.cloud.connected
        body = {
            "status": "ok" if healthy else "unavailable",
            "version": __version__,
            "timestamp": iso(utc_now()),
            "mqtt": {"connected": service.mqtt.connected, "last_error": service.mqtt.last_error},
            "anova": {"connected": service.cloud.connected},
            "devices": {
                c.topic_id: {"last_seen": iso(service.cloud.stats.last_seen.get(c.cooker_id))}
                for c in service.cookers
            },
        }
        return healthy, body

    def metrics_text(self) -> bytes:
        """``/metrics`` in Prometheus text format, with gauges refreshed first."""
        self._sync_metrics()
        return self._service.metrics.render()

    def _sync_metrics(self) -> None:
        service = self._service
        metrics = service.metrics
        metrics.mqtt_reconnects.set(service.mqtt.stats.reconnects)
        metrics.messages_in.set(service.mqtt.stats.received)
        metrics.messages_out.set(service.mqtt.stats.published)
        metrics.mqtt_connected.set(1 if service.mqtt.connected else 0)
        metrics.cloud_connected.set(1 if service.cloud.connected else 0)
        metrics.cloud_reconnects.set(service.cloud.stats.reconnects)
        metrics.commands_waiting.set(service.backlog.waiting)
