"""Loopback ports for the tests' servers that no other socket can be handed meanwhile."""

from __future__ import annotations

import os
import random
import socket
from pathlib import Path

# Below Linux's default ephemeral range (32768-60999): see listen_port().
LISTEN_PORTS = range(20000, 32768)
_handed_out: set[int] = set()


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
    for it by number: this process (which never hands out a port twice while
    it has others) or another pytest-xdist worker (each has a slice of its own).
    """
    ephemeral = ephemeral_ports()
    candidates = [p for p in worker_ports() if p not in ephemeral and p not in _handed_out]
    if not candidates:
        _handed_out.clear()
        return listen_port()
    for port in random.sample(candidates, k=min(200, len(candidates))):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            _handed_out.add(port)
            return port
    raise RuntimeError(f"no free port in {LISTEN_PORTS} outside the ephemeral range")


def worker_ports() -> range:
    """This process's slice of ``LISTEN_PORTS``: all of it, or one xdist worker's share."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1, …
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if not worker.startswith("gw") or count < 2:
        return LISTEN_PORTS
    size = len(LISTEN_PORTS) // count
    start = LISTEN_PORTS.start + int(worker[2:]) * size
    return range(start, start + size)
