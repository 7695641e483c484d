"""Ports for the tests' servers: never ones the kernel can hand to someone else."""

from __future__ import annotations

import socket

import pytest

from tests.support.broker import free_port
from tests.support.ports import LISTEN_PORTS, ephemeral_ports, listen_port, worker_ports


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


def test_a_port_is_not_handed_out_twice_before_the_others() -> None:
    """Two brokers made before either binds must never be given the same port."""
    ports = [listen_port() for _ in range(300)]
    assert len(set(ports)) == len(ports)


def test_parallel_workers_draw_from_slices_that_do_not_overlap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "4")
    slices = []
    for index in range(4):
        monkeypatch.setenv("PYTEST_XDIST_WORKER", f"gw{index}")
        slices.append(set(worker_ports()))
    assert all(len(s) >= 3000 for s in slices)
    assert set.union(*slices) <= set(LISTEN_PORTS)
    assert sum(len(s) for s in slices) == len(set.union(*slices)), "the slices overlap"
