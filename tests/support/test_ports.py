"""Ports for the tests' servers: never ones the kernel can hand to someone else."""

from __future__ import annotations

import socket

from tests.support.broker import free_port
from tests.support.ports import ephemeral_ports, listen_port


def test_listen_ports_are_outside_the_kernels_ephemeral_range() -> None:
    """``bind(0)`` and outgoing connections draw from that range, so they can never take these."""
    ephemeral = ephemeral_ports()
    for _ in range(50):
        port = listen_port()
        assert port not in ephemeral
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))  # and it is free


def test_brokers_get_their_ports_outside_the_ephemeral_range_too() -> None:
    """A broker a test stops and restarts on the same port must find it still free."""
    assert all(free_port() not in ephemeral_ports() for _ in range(50))
