"""Turn :class:`MqttSettings` into a configured paho client.

Everything paho-specific about *how* we connect lives here: protocol,
persistent session, Last Will, TLS, credentials and the reconnect backoff.
:mod:`bridge.mqtt.connection` only drives the client it gets back.
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
connected the bound is ``MAX_UNACKED_CONNECTED`` in ``MqttConnection``: a
burst of commands must get every one of its responses."""

MAX_INFLIGHT_MESSAGES = 0
"""paho's own send window; 0 turns it off, because ``MqttConnection`` keeps its own.

paho's window (default 20; this was 100) holds publishes back in one FIFO
until PUBACKs return: under a command flood the flood's answers sat ahead
of every other cooker's, and paho rescans its whole window on every PUBACK.
It also ignores the broker's Receive Maximum and cannot be changed once
connected. The connection's window (``bridge/mqtt/outbox.py``) is sized by
each CONNACK and lets answers of different topics out in turns."""

READ_CHUNK = 65_536
"""Bytes asked of the socket per read; paho's own reads are then served from them."""

OFFLINE = "offline"
ONLINE = "online"


class BufferedClient(mqtt.Client):
    """paho's client, reading the socket a chunk at a time instead of a few bytes at a time.

    paho reads each packet with at least three ``recv`` calls (its type
    byte, each byte of its length, then its body). A flood of small
    commands made those system calls about a tenth of the bridge's CPU
    time. Here one ``recv`` takes up to READ_CHUNK bytes and paho's reads are
    served from them; :meth:`buffered` tells the caller that packets are
    waiting which the selector cannot see, as with TLS.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._chunk = b""
        self._chunk_pos = 0
        self._chunk_sock: object = None  # the socket the chunk came from

    def buffered(self) -> int:
        """Bytes read off the current socket and not yet handed to paho."""
        if self._chunk_sock is not self._sock:
            return 0
        return len(self._chunk) - self._chunk_pos

    def _sock_recv(self, bufsize: int) -> bytes:
        if self.buffered() == 0:
            # Raises as paho's own read does (BlockingIOError when nothing is
            # there); b"" is the broker closing, passed on as such.
            self._chunk = super()._sock_recv(READ_CHUNK)
            self._chunk_pos = 0
            self._chunk_sock = self._sock
        start = self._chunk_pos
        self._chunk_pos = min(start + bufsize, len(self._chunk))
        return self._chunk[start : self._chunk_pos]


def build_client(settings: MqttSettings, *, will_topic: str) -> BufferedClient:
    """A paho client ready for ``connect_async``, not yet connected.

    The caller drives its network I/O (``MqttConnection``); paho's own
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


def ack_now(sock: Any) -> None:
    """TCP-acknowledge what was just read (Linux ``TCP_QUICKACK``; a no-op elsewhere).

    Called after a read that held the broker's PUBACK for one of our
    publishes. We have nothing to send back, so the kernel would
    delay its ACK of that PUBACK by up to 40 ms; mosquitto leaves Nagle on
    by default (``set_tcp_nodelay false``) and holds the next command for us
    until that ACK arrives. With 100 cookers the bridge publishes state every
    few ms, so nearly every command paid this (~40 ms p50 in bench/latency.py).
    """
    option = getattr(socket, "TCP_QUICKACK", None)
    if sock is None or option is None:
        return
    with contextlib.suppress(OSError, AttributeError):
        sock.setsockopt(socket.IPPROTO_TCP, option, 1)


def cork(sock: Any, corked: bool) -> None:
    """Hold small writes back and send them as full segments (Linux ``TCP_CORK``).

    Set around a batch of writes (a read batch's PUBACKs, a run of
    answers): each would otherwise leave as its own TCP segment, and on
    loopback every segment also costs the broker a wake-up and a read.
    Clearing it sends what was held at once; elsewhere this is a no-op.
    """
    option = getattr(socket, "TCP_CORK", None)
    if sock is None or option is None:
        return
    with contextlib.suppress(OSError, AttributeError):
        sock.setsockopt(socket.IPPROTO_TCP, option, 1 if corked else 0)


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
