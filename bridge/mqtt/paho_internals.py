"""Every use of paho's private (``_``-prefixed) API, in one place.

paho's public external-loop interface (``socket()``, ``loop_read``,
``loop_write``, ``loop_misc``, ``want_write``, ``on_socket_open``,
``on_socket_close``, ``on_socket_register_write``) covers all the bridge
needs but two things, and for those it reaches into paho here:

- ``Client._sock_recv`` (overridden by :class:`BufferedClient`): paho reads
  each packet with at least three ``recv`` calls (its type byte, each byte
  of its length, then its body); under a flood of small commands those
  system calls were about a tenth of the bridge's CPU time. Overriding the
  one method paho reads through lets one ``recv`` take READ_CHUNK bytes and
  serves paho's small reads from them. There is no public hook for reads.
- ``Client._packet_read`` and ``Client._loop_rc_handle`` (in
  :func:`read_packet` and :func:`close_after_error`): ``loop_read`` ignores
  its ``max_packets`` argument and reads as many packets as messages are in
  flight, thousands under a flood, during which nothing else on the event
  loop runs. Reading packet by packet bounds a read batch
  (:mod:`bridge.mqtt.transport`); ``_loop_rc_handle`` is what ``loop_read``
  itself calls after a failed read (close the socket, report the
  disconnect).

Written for and checked against paho-mqtt 2.1 and 2.2, whose
``loop_read`` reads ``_packet_read`` in that unbounded loop, and whose
``_sock_recv(bufsize)`` is the only ``recv`` on the socket and raises
``BlockingIOError`` when nothing is there. PAHO_VERSIONS_CHECKED says so
in code, and ``tests/mqtt/test_paho_internals.py`` fails on any other
paho release until this module is re-checked against it.
"""

from __future__ import annotations

from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import MQTTErrorCode

PAHO_VERSIONS_CHECKED = ((2, 1), (2, 2))
"""paho-mqtt (major, minor) releases whose internals this module was read against."""

READ_CHUNK = 65_536
"""Bytes asked of the socket per read; paho's own reads are then served from them."""


class BufferedClient(mqtt.Client):
    """paho's client, reading the socket a chunk at a time instead of a few bytes at a time.

    :meth:`buffered` tells the caller that packets are waiting which the
    selector cannot see, as with TLS.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._chunk = b""
        self._chunk_pos = 0
        self._chunk_sock: object = None  # the socket the chunk came from

    def buffered(self) -> int:
        """Bytes read off the current socket and not yet handed to paho."""
        if self._chunk_sock is not self.socket():
            return 0
        return len(self._chunk) - self._chunk_pos

    def _sock_recv(self, bufsize: int) -> bytes:
        if self.buffered() == 0:
            # Raises as paho's own read does (BlockingIOError when nothing is
            # there); b"" is the broker closing, passed on as such.
            self._chunk = super()._sock_recv(READ_CHUNK)
            self._chunk_pos = 0
            self._chunk_sock = self.socket()
        start = self._chunk_pos
        self._chunk_pos = min(start + bufsize, len(self._chunk))
        return self._chunk[start : self._chunk_pos]


def read_packet(client: mqtt.Client) -> int:
    """Read and handle one packet; ``MQTT_ERR_AGAIN`` when the socket has no whole one."""
    rc: int = client._packet_read()
    return rc


def close_after_error(client: mqtt.Client, rc: int) -> None:
    """After a failed read: close the socket and report the disconnect, as ``loop_read`` does."""
    client._loop_rc_handle(MQTTErrorCode(rc))
