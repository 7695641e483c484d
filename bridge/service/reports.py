"""What the bridge says about itself: ``bridge/info``, ``bridge/health``, ``/healthz``.

None of these may carry a secret: the MQTT URL is shown without its password
and no Anova credential is ever included (tested).
"""

from __future__ import annotations

import os
import resource
import sys
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from bridge import __version__
from bridge.service.payloads import iso, utc_now

if TYPE_CHECKING:
    from bridge.service.app import BridgeService


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


class BridgeReports:
    """Builds the bridge's self-descriptions from the live service."""

    def __init__(self, service: BridgeService) -> None:
        self._service = service

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
                }
                for c in service.cookers.values()
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
        stats = service.client.stats
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
                "connected": service.client.connected,
                "reconnects": stats.reconnects,
                "commands_sent": stats.commands_sent,
                "commands_failed": stats.commands_failed,
            },
            "devices": {
                c.topic_id: {
                    "online": service.outbound.device_online(c),
                    "last_seen": iso(stats.last_seen.get(c.cooker_id)),
                }
                for c in service.cookers.values()
            },
        }

    def healthz(self) -> tuple[bool, dict[str, Any]]:
        """``/healthz``: healthy when both MQTT and the cloud are connected."""
        service = self._service
        healthy = service.mqtt.connected and service.client.connected
        body = {
            "status": "ok" if healthy else "unavailable",
            "version": __version__,
            "timestamp": iso(utc_now()),
            "mqtt": {"connected": service.mqtt.connected, "last_error": service.mqtt.last_error},
            "anova": {"connected": service.client.connected},
            "devices": {
                c.topic_id: {"last_seen": iso(service.client.stats.last_seen.get(c.cooker_id))}
                for c in list(service.cookers.values())
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
        metrics.cloud_connected.set(1 if service.client.connected else 0)
        metrics.cloud_reconnects.set(service.client.stats.reconnects)
        metrics.commands_waiting.set(service.inbox.waiting)
