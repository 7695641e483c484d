"""MQTT: the paho connection, typed inbound messages and the topic layout.

Only this package imports paho; everything else sees :class:`InboundMessage`
and calls :class:`MqttConnection`'s publish methods.
"""

from bridge.mqtt.connection import ConnectHook, MessageHandler, MqttConnection
from bridge.mqtt.message import InboundMessage
from bridge.mqtt.stats import MqttStats
from bridge.mqtt.topics import (
    BridgeRequestTopic,
    DeviceCommandTopic,
    ParsedTopic,
    Topics,
    assign_topic_ids,
    slugify,
)

__all__ = [
    "BridgeRequestTopic",
    "ConnectHook",
    "DeviceCommandTopic",
    "InboundMessage",
    "MessageHandler",
    "MqttConnection",
    "MqttStats",
    "ParsedTopic",
    "Topics",
    "assign_topic_ids",
    "slugify",
]
