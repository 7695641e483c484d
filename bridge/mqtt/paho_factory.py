"""The paho client factory: :class:`MqttSettings` in, a configured paho client out.

Everything paho-specific about *how* we connect lives here: protocol,
persistent session, Last Will, TLS, credentials and the reconnect backoff.
:mod:`bridge.mqtt.link` and :mod:`bridge.mqtt.transport` only drive the
client they get back.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from bridge.errors import ConfigError
from bridge.mqtt.limits import OUR_MAXIMUM_PACKET_SIZE
from bridge.mqtt.paho_internals import BufferedClient
from bridge.settings import MqttSettings

RECONNECT_MIN_DELAY = 0.1
RECONNECT_MAX_DELAY = 2.0
"""Backoff cap: the connection doubles its wait per failed attempt up to
this, so the bridge retries at least every 2 s and is back within ~2 s of
the broker, however long the outage was (paho's own default cap is 120 s)."""

MAX_QUEUED_MESSAGES = 1000
"""Bound on non-retained QoS 1 publishes held while the broker is away (retained
ones keep only their latest value per topic, and are republished on
reconnect anyway), so memory stays flat during a long outage. While
connected the bound is ``MAX_UNACKED_CONNECTED`` in :mod:`bridge.mqtt.send_window`: a
burst of commands must get every one of its responses."""

MAX_INFLIGHT_MESSAGES = 0
"""paho's own send window; 0 turns it off, because the bridge keeps its own.

paho's window (default 20; this was 100) holds publishes back in one FIFO
until PUBACKs return: under a command flood the flood's answers sat ahead
of every other cooker's, and paho rescans its whole window on every PUBACK.
It also ignores the broker's Receive Maximum and cannot be changed once
connected. The bridge's window (``bridge/mqtt/send_window.py``) is sized by
each CONNACK and lets answers of different topics out in turns."""

OFFLINE = "offline"
ONLINE = "online"


def build_client(settings: MqttSettings, *, will_topic: str) -> BufferedClient:
    """A paho client ready for ``connect_async``, not yet connected.

    The caller drives its network I/O (:mod:`bridge.mqtt.transport`); paho's own
    thread and reconnect loop are not used.

    Args:
        settings: the validated ``mqtt`` section.
        will_topic: where the broker publishes our retained ``offline`` Last Will.

    Raises:
        ConfigError: a TLS file is missing or unreadable.
    """
    v5 = settings.protocol == "5"
    client = BufferedClient(
        callback_api_version=CallbackAPIVersion.VERSION2,
        client_id=settings.client_id,
        protocol=mqtt.MQTTv5 if v5 else mqtt.MQTTv311,
        # v3.1.1 keeps the session via clean_session; v5 forbids this argument
        # and uses clean_start + SessionExpiryInterval in connect_args instead.
        clean_session=None if v5 else False,
    )
    client.will_set(will_topic, OFFLINE, qos=1, retain=True)
    client.max_inflight_messages_set(MAX_INFLIGHT_MESSAGES)
    client.on_socket_open = _disable_nagle
    user, secret = settings.credentials()
    if user is not None:
        client.username_pw_set(user, secret)
    if settings.tls:
        _configure_tls(client, settings)
    return client


def _disable_nagle(_client: mqtt.Client, _userdata: Any, sock: Any) -> None:
    # paho leaves Nagle on. A response published right after the broker's
    # PUBACK of our previous publish then waits for the broker's delayed ACK:
    # ~40 ms per command on Linux loopback (measured by bench/latency.py).
    with contextlib.suppress(OSError, AttributeError):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def connect_args(settings: MqttSettings) -> dict[str, Any]:
    """Keyword arguments for ``connect_async`` that resume our session.

    For MQTT 5 we announce our Maximum Packet Size (OUR_MAXIMUM_PACKET_SIZE),
    and always send ``clean_start=False``, not paho's default
    ``MQTT_CLEAN_START_FIRST_ONLY``: after a bridge restart we *want* the
    broker's stored session, so QoS 1 commands sent while we were away are
    delivered. The session lives ``session_expiry`` seconds after we drop.
    """
    args: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "keepalive": settings.keepalive,
    }
    if settings.protocol == "5":
        props = new_properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = settings.session_expiry
        props.MaximumPacketSize = OUR_MAXIMUM_PACKET_SIZE
        args["clean_start"] = False
        args["properties"] = props
    return args


def _configure_tls(client: mqtt.Client, settings: MqttSettings) -> None:
    try:
        client.tls_set(
            ca_certs=settings.ca_file,
            certfile=settings.cert_file,
            keyfile=settings.key_file,
            cert_reqs=ssl.CERT_NONE if settings.insecure else ssl.CERT_REQUIRED,
        )
    except (OSError, ssl.SSLError) as err:
        raise ConfigError(
            f"mqtt TLS files could not be loaded ({err}); check mqtt.ca_file, "
            "mqtt.cert_file and mqtt.key_file",
            field="mqtt.ca_file",
        ) from err
    if settings.insecure:
        # tls_set(CERT_NONE) already skips chain checks; this also skips the
        # host name check paho does itself when the context cannot.
        client.tls_insecure_set(True)


def new_properties(packet_type: int) -> Properties:
    """MQTT 5 properties for one packet type (paho's constructor is untyped)."""
    props: Properties = Properties(packet_type)  # type: ignore[no-untyped-call]
    return props
