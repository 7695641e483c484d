"""sd_notify messages reach a real Unix datagram socket."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

from bridge.systemd import SystemdNotifier


class Ready:
    ready = True


async def test_ready_then_watchdog_pings_arrive_on_the_notify_socket(tmp_path: Path) -> None:
    path = tmp_path / "notify.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(str(path))
    server.setblocking(False)
    notifier = SystemdNotifier.from_environment(
        {"NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "100000"}
    )
    task = asyncio.create_task(notifier.run(Ready()))
    loop = asyncio.get_running_loop()
    received = [await asyncio.wait_for(loop.sock_recv(server, 1024), 5) for _ in range(3)]
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    stopping = await asyncio.wait_for(loop.sock_recv(server, 1024), 5)
    server.close()
    assert received[0].startswith(b"READY=1")
    assert received[1:] == [b"WATCHDOG=1", b"WATCHDOG=1"]
    assert stopping == b"STOPPING=1"


def test_without_notify_socket_nothing_is_sent() -> None:
    notifier = SystemdNotifier.from_environment({})
    assert notifier.notify("READY=1") is False
