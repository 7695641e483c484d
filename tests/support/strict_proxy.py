"""An MQTT 5 proxy in front of a private Mosquitto that behaves like a strict broker.

Mosquitto advertises a Receive Maximum (20) but does not enforce it for
QoS 1, and enforces no packet size unless configured. EMQX and HiveMQ do:
a client that has more QoS 1/2 publishes unacknowledged than the Receive
Maximum in CONNACK is disconnected with reason 0x93, one that sends a
packet over the Maximum Packet Size with 0x95, a retained publish where
Retain Available is 0 with 0x9A, and a wildcard subscription where
Wildcard Subscription Available is 0 with 0xA2 (EMQX documents these
reason codes). This proxy rewrites the CONNACK's properties to what a test
asks for and enforces them the same way, so a test sees what a user of
such a broker would.

It runs on the test's event loop (real TCP on loopback both sides) and
parses only the fixed header, CONNACK, PUBLISH, PUBACK/PUBREC/PUBCOMP and
SUBSCRIBE; everything else passes through untouched.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBCOMP, SUBSCRIBE, DISCONNECT = 1, 2, 3, 4, 5, 7, 8, 14
RECEIVE_MAXIMUM_EXCEEDED = 0x93
PACKET_TOO_LARGE = 0x95
RETAIN_NOT_SUPPORTED = 0x9A
WILDCARDS_NOT_SUPPORTED = 0xA2


@dataclass
class StrictLimits:
    """What the proxy's CONNACK advertises and then enforces (None: leave the broker's)."""

    receive_maximum: int | None = None
    maximum_packet_size: int | None = None
    retain_available: bool | None = None
    wildcard_subscription_available: bool | None = None
    topic_alias_maximum: int | None = None


@dataclass
class Violation:
    """A client broke an advertised limit and was disconnected for it."""

    reason: int
    detail: str


@dataclass
class _Session:
    """One client connection's protocol state, as far as the rules need it."""

    v5: bool = False
    in_flight: set[int] = field(default_factory=set)
    peak_in_flight: int = 0


async def _read_packet(reader: asyncio.StreamReader) -> tuple[int, bytes, bytes]:
    """One MQTT packet: its first byte, the raw fixed header and the body."""
    first = await reader.readexactly(1)
    header = bytearray(first)
    length, shift = 0, 0
    while True:
        byte = (await reader.readexactly(1))[0]
        header.append(byte)
        length += (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            break
    body = await reader.readexactly(length)
    return first[0], bytes(header), body


def _subscribe_filters(body: bytes, v5: bool) -> list[str]:
    """The topic filters of a SUBSCRIBE body (after its packet identifier and properties)."""
    pos = 2
    if v5:
        length, shift = 0, 0
        while True:
            byte = body[pos]
            pos += 1
            length += (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        pos += length
    filters = []
    while pos < len(body):
        size = int.from_bytes(body[pos : pos + 2], "big")
        filters.append(body[pos + 2 : pos + 2 + size].decode())
        pos += 2 + size + 1  # the filter, then its options byte
    return filters


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


class StrictProxy:
    """Listens on a loopback port and forwards to ``upstream_port`` under ``limits``."""

    def __init__(self, upstream_port: int, limits: StrictLimits) -> None:
        self.upstream_port = upstream_port
        self.limits = limits
        self.port = 0
        self.violations: list[Violation] = []
        self.peak_in_flight = 0
        self.connacks = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def url(self) -> str:
        """mqtt:// URL of the proxy."""
        return f"mqtt://127.0.0.1:{self.port}"

    async def start(self) -> None:
        """Listen on a free loopback port."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening and close every connection."""
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.close()
        if self._server is not None:
            await self._server.wait_closed()

    async def _serve(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            broker_r, broker_w = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            client_w.close()
            return
        self._writers.update((client_w, broker_w))
        session = _Session()
        upward = asyncio.create_task(self._upward(client_r, broker_w, client_w, session))
        downward = asyncio.create_task(self._downward(broker_r, client_w, session))
        await asyncio.wait({upward, downward}, return_when=asyncio.FIRST_COMPLETED)
        for task in (upward, downward):
            task.cancel()
        for writer in (client_w, broker_w):
            writer.close()
            self._writers.discard(writer)

    async def _upward(
        self,
        reader: asyncio.StreamReader,
        broker: asyncio.StreamWriter,
        client: asyncio.StreamWriter,
        session: _Session,
    ) -> None:
        """Client to broker: check every packet against the advertised limits."""
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            while True:
                first, header, body = await _read_packet(reader)
                kind = first >> 4
                if kind == CONNECT:
                    session.v5 = body[6] == 5  # protocol level after "\0\4MQTT"
                violation = self._check(kind, first, len(header) + len(body), body, session)
                if violation is not None:
                    self.violations.append(violation)
                    if session.v5:
                        client.write(bytes([DISCONNECT << 4, 2, violation.reason, 0]))
                        await client.drain()
                    return
                broker.write(header + body)
                await broker.drain()

    def _check(
        self, kind: int, first: int, size: int, body: bytes, session: _Session
    ) -> Violation | None:
        limits = self.limits
        if limits.maximum_packet_size is not None and size > limits.maximum_packet_size:
            return Violation(
                PACKET_TOO_LARGE, f"{size}-byte packet over {limits.maximum_packet_size}"
            )
        if kind == PUBLISH:
            return self._check_publish(first, body, session)
        if kind == SUBSCRIBE and limits.wildcard_subscription_available is False:
            wildcards = [f for f in _subscribe_filters(body, session.v5) if "+" in f or "#" in f]
            if wildcards:
                return Violation(WILDCARDS_NOT_SUPPORTED, f"wildcard subscription {wildcards}")
        return None

    def _check_publish(self, first: int, body: bytes, session: _Session) -> Violation | None:
        qos, retain = (first >> 1) & 0x03, first & 0x01
        if retain and self.limits.retain_available is False:
            return Violation(RETAIN_NOT_SUPPORTED, "retained publish")
        if qos == 0:
            return None
        topic_length = int.from_bytes(body[0:2], "big")
        packet_id = int.from_bytes(body[2 + topic_length : 4 + topic_length], "big")
        session.in_flight.add(packet_id)
        self.peak_in_flight = max(self.peak_in_flight, len(session.in_flight))
        maximum = self.limits.receive_maximum
        if maximum is not None and len(session.in_flight) > maximum:
            return Violation(RECEIVE_MAXIMUM_EXCEEDED, f"{len(session.in_flight)} in flight")
        return None

    async def _downward(
        self, reader: asyncio.StreamReader, client: asyncio.StreamWriter, session: _Session
    ) -> None:
        """Broker to client: rewrite CONNACK; note which of the client's publishes are acked."""
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            while True:
                first, header, body = await _read_packet(reader)
                kind = first >> 4
                if kind == CONNACK and session.v5:
                    self.connacks += 1
                    body = self._rewrite_connack(body)
                    header = bytes([first]) + _varint(len(body))
                elif kind in (PUBACK, PUBCOMP):
                    session.in_flight.discard(int.from_bytes(body[0:2], "big"))
                client.write(header + body)
                await client.drain()

    def _rewrite_connack(self, body: bytes) -> bytes:
        props = Properties(PacketTypes.CONNACK)  # type: ignore[no-untyped-call]
        if len(body) > 2:
            props, _ = props.unpack(body[2:])  # type: ignore[no-untyped-call]
        limits = self.limits
        if limits.receive_maximum is not None:
            props.ReceiveMaximum = limits.receive_maximum
        if limits.maximum_packet_size is not None:
            props.MaximumPacketSize = limits.maximum_packet_size
        if limits.retain_available is not None:
            props.RetainAvailable = int(limits.retain_available)
        if limits.wildcard_subscription_available is not None:
            props.WildcardSubscriptionAvailable = int(limits.wildcard_subscription_available)
        if limits.topic_alias_maximum is not None:
            props.TopicAliasMaximum = limits.topic_alias_maximum
        packed: bytes = props.pack()  # type: ignore[no-untyped-call]  # paho leaves it untyped
        return body[:2] + packed
