"""paho's socket, watched by the asyncio event loop: reading, writing, batching.

paho's network I/O runs on the bridge's own event loop (paho's "external
event loop" interface: ``loop_read``/``loop_write`` driven by
``add_reader``/``add_writer``), not on paho's thread. A command therefore
goes from the socket to the command router and its response back to the
socket without a thread hand-off, a socket-pair wake-up per publish or the
GIL changing hands, which let the bridge refuse about half as many
commands again per CPU-second (``docs/performance.md``).

This module knows sockets and paho's I/O calls, nothing of connecting,
subscriptions or the send window: :mod:`bridge.mqtt.link` hands it each
new socket, and the rest of the bridge sees only
:meth:`~bridge.mqtt.connection.MqttConnection.hold_reading` and
:meth:`~bridge.mqtt.connection.MqttConnection.publishing_batch`.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Iterator
from typing import Any

import paho.mqtt.client as mqtt

from bridge.mqtt.paho_internals import BufferedClient, close_after_error, read_packet

READ_BATCH = 256
"""Packets read per readable event before other work on the loop gets a turn.

Reading is cheap (commands are queued, not handled, as they are read), so a
batch takes a few milliseconds at most; it must outpace a flood of commands
plus the broker's acknowledgements of our answers."""


def _queue_writes(_client: mqtt.Client, _userdata: Any, _sock: Any) -> None:
    """paho's "writes are watched elsewhere" hook: it queues instead of writing."""


def _tls_pending(sock: Any) -> bool:
    """TLS may hold decrypted bytes already read off the socket, which the selector cannot see."""
    pending = getattr(sock, "pending", None)
    return bool(pending is not None and pending() > 0)


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


class LoopTransport:
    """Reads and writes paho's current socket from the event loop.

    Outside its callbacks paho writes each publish at once; only what a full
    socket buffer refused (or a callback queued) is left for the selector.

    Args:
        client: the paho client whose socket is driven.
    """

    def __init__(self, client: BufferedClient) -> None:
        self._client = client
        self.loop: asyncio.AbstractEventLoop | None = None
        self.connecting = False
        """paho is connecting on a worker thread: the socket is not the loop's to write to."""
        self._loop_thread: int | None = None
        self._fd: int | None = None  # the socket's descriptor while the loop watches it
        self._writer_on = False  # the selector watches _fd for writability
        self._reading_paused = False  # the receiver's backlog is full (pause_reading)
        self._pubacks_read = False  # the current read batch held a PUBACK

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Drive the socket from ``loop``, the one running now."""
        self.loop = loop
        self._loop_thread = threading.get_ident()

    def detach(self) -> None:
        """Stop watching the socket and forget the loop (the connection is stopped)."""
        self.forget_socket()
        self.loop = None

    def on_loop_thread(self) -> bool:
        """True when called on the loop's thread (paho may call back on the connecting one)."""
        return self.loop is not None and threading.get_ident() == self._loop_thread

    def require_loop(self) -> asyncio.AbstractEventLoop:
        """The loop, which only a started connection has."""
        if self.loop is None:
            raise RuntimeError("the MQTT connection is not started")
        return self.loop

    def watch_socket(self) -> bool:
        """Have the loop read (and, when needed, write) paho's new socket.

        Returns:
            False when the socket is already closed (refused before we got here).
        """
        sock = self._client.socket()
        if sock is None:
            return False
        self._fd = sock.fileno()
        if not self._reading_paused:
            self.require_loop().add_reader(self._fd, self._on_readable)
        self.watch_writes()
        return True

    def forget_socket(self) -> None:
        """The socket is closed: stop watching its descriptor."""
        if self._fd is None or self.loop is None:
            return
        self.loop.remove_reader(self._fd)
        self.loop.remove_writer(self._fd)
        self._fd = None
        self._writer_on = False

    def abandon_socket(self) -> None:
        """A connect that finished after stop was asked for: say goodbye at once."""
        self._client.disconnect()
        self._client.loop_write()

    def note_puback(self) -> None:
        """The read batch under way held a PUBACK: acknowledge it at the batch's end."""
        self._pubacks_read = True

    def pause_reading(self, paused: bool) -> None:
        """Stop (True) or resume (False) reading from the broker: back-pressure.

        While paused the broker keeps what it has for our session, as it
        does while the bridge is away; the link stays up until the keep-alive
        runs out, which a short pause never reaches.
        """
        self._reading_paused = paused
        if self._fd is None or self.loop is None:
            return
        if paused:
            self.loop.remove_reader(self._fd)
        else:
            self.loop.add_reader(self._fd, self._on_readable)
            self.loop.call_soon(self._on_readable)  # what was read ahead is not signalled

    @contextlib.contextmanager
    def batched_writes(self) -> Iterator[None]:
        """Publishes made inside leave together at the end, in as few TCP segments as fit.

        Outside its callbacks paho writes each publish at once, its own
        segment and system call; for a run of answers (the command inbox's
        slice) that costs the bridge and the broker a wake-up each. Inside
        this, paho queues them (it does so when told writes are watched
        elsewhere) and they are written corked at the end.
        """
        sock = self._client.socket()
        if sock is None or self.connecting:
            yield
            return
        self._client.on_socket_register_write = _queue_writes
        cork(sock, True)
        try:
            yield
        finally:
            self._client.on_socket_register_write = None
            if self._client.socket() is sock:
                if self._client.want_write():
                    self._client.loop_write()
                cork(sock, False)
                self.watch_writes()

    def watch_writes(self) -> None:
        """Have the selector call back while paho holds bytes the socket would not take."""
        if self._fd is None or self.loop is None:
            return
        wanted = self._client.want_write()
        if wanted == self._writer_on:  # the usual case, and the selector needs no call
            return
        self._writer_on = wanted
        if wanted:
            self.loop.add_writer(self._fd, self._on_writable)
        else:
            self.loop.remove_writer(self._fd)

    def _on_readable(self) -> None:
        """Read up to READ_BATCH packets, then let the loop breathe.

        paho's own ``loop_read`` reads as many packets as it has messages in
        flight, thousands under a flood, and nothing else on the loop (the
        cloud's WebSocket, timers, other cookers' commands) would run
        meanwhile. What the batch publishes (PUBACKs, answers) leaves
        together at its end (:meth:`batched_writes`). Packets already read
        off the socket (our read chunk, TLS's buffer) are invisible to the
        selector, so when the batch stops with some left, it calls itself
        again.
        """
        sock = self._client.socket()
        if sock is None:
            return
        self._pubacks_read = False
        with self.batched_writes():
            more = self._read_batch()
            if self._pubacks_read:
                ack_now(sock)
        if more and not self._reading_paused:
            self.require_loop().call_soon(self._on_readable)

    def _read_batch(self) -> bool:
        """Read up to READ_BATCH packets; True when packets already read off the socket wait."""
        for _ in range(READ_BATCH):
            rc = read_packet(self._client)
            if rc == mqtt.MQTT_ERR_AGAIN:
                if not self._waiting_unseen():
                    return False
            elif rc != mqtt.MQTT_ERR_SUCCESS:
                close_after_error(self._client, rc)
                return False
            if self._reading_paused:
                return False
        return self._waiting_unseen()

    def _waiting_unseen(self) -> bool:
        """Packets read off the socket but not yet handled, which the selector cannot see."""
        return self._client.buffered() > 0 or _tls_pending(self._client.socket())

    def _on_writable(self) -> None:
        self._client.loop_write()
        self.watch_writes()
