"""Prometheus metrics, one registry per bridge instance.

A registry of its own (not prometheus-client's global one) lets tests run
several bridges in one process without "duplicated timeseries" errors.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest


class BridgeMetrics:
    """Every metric ``/metrics`` exposes, named ``anova_bridge_*``."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.commands_received = Counter(
            "anova_bridge_commands_received",
            "Commands received over MQTT",
            registry=self.registry,
        )
        self.commands_accepted = Counter(
            "anova_bridge_commands_accepted",
            "Commands the cooker carried out",
            registry=self.registry,
        )
        self.commands_refused = Counter(
            "anova_bridge_commands_refused",
            "Commands refused, by error code",
            ["code"],
            registry=self.registry,
        )
        self.cloud_latency = Histogram(
            "anova_bridge_cloud_command_seconds",
            "Round trip of a command to the Anova cloud and back",
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15),
            registry=self.registry,
        )
        self.mqtt_reconnects = Gauge(
            "anova_bridge_mqtt_reconnects", "MQTT reconnects since start", registry=self.registry
        )
        self.cloud_reconnects = Gauge(
            "anova_bridge_cloud_reconnects",
            "Anova cloud reconnects since start",
            registry=self.registry,
        )
        self.messages_in = Gauge(
            "anova_bridge_mqtt_messages_received", "MQTT messages received", registry=self.registry
        )
        self.messages_out = Gauge(
            "anova_bridge_mqtt_messages_published",
            "MQTT messages published",
            registry=self.registry,
        )
        self.cookers_online = Gauge(
            "anova_bridge_cookers_online", "Cookers currently online", registry=self.registry
        )
        self.mqtt_connected = Gauge(
            "anova_bridge_mqtt_connected", "1 while connected to the broker", registry=self.registry
        )
        self.cloud_connected = Gauge(
            "anova_bridge_cloud_connected",
            "1 while connected to the Anova cloud",
            registry=self.registry,
        )
        self.commands_waiting = Gauge(
            "anova_bridge_commands_waiting",
            "Commands read from MQTT and not yet handled (the command inbox)",
            registry=self.registry,
        )

    def render(self) -> bytes:
        """The Prometheus text exposition of every metric."""
        return generate_latest(self.registry)
