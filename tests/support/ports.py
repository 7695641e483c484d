"""Loopback ports for the tests' servers that no other socket can be handed meanwhile."""

from __future__ import annotations

import random
import socket
from pathlib import Path

# Below Linux's default ephemeral range (32768-60999): see listen_port().
LISTEN_PORTS = range(20000, 32768)


def ephemeral_ports() -> range:
    """The kernel's range for ``bind(0)`` and ``connect()`` source ports."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return range(int(low), int(high) + 1)
    except (OSError, ValueError):
        return range(32768, 61000)


def listen_port() -> int:
    """A free loopback port no other socket can be handed by the kernel meanwhile.

    A port from ``bind(0)`` lies in the ephemeral range and is released before
    the server that is meant to have it binds it; any ``bind(0)`` (a simulator,
    the daemon's health server) or outgoing connection meanwhile may take it.
    That window reopens every time a test stops a broker to restart it on the
    same port. A port outside that range is only ever taken by someone asking
    for it by number.
    """
    ephemeral = ephemeral_ports()
    candidates = [p for p in LISTEN_PORTS if p not in ephemeral]
    for port in random.sample(candidates, k=min(200, len(candidates))):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {LISTEN_PORTS} outside the ephemeral range")
