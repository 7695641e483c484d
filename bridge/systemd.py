"""systemd ``Type=notify`` support: READY, WATCHDOG and STOPPING messages.

sd_notify is one datagram on a Unix socket named by ``NOTIFY_SOCKET``, so a
few lines here beat a dependency. Without ``NOTIFY_SOCKET`` (Docker, a
terminal) every method is a no-op.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Mapping
from typing import Protocol

from bridge.logs import get_logger

log = get_logger("systemd")


class ServiceLike(Protocol):
    """What the notifier needs to know about the service."""

    @property
    def ready(self) -> bool: ...


class SystemdNotifier:
    """Sends sd_notify messages when systemd asked for them."""

    def __init__(self, address: str | None, watchdog_usec: int | None) -> None:
        self.address = address
        self.watchdog_interval = watchdog_usec / 2_000_000 if watchdog_usec else None

    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None) -> SystemdNotifier:
        """Read ``NOTIFY_SOCKET`` and ``WATCHDOG_USEC`` as systemd sets them."""
        source = os.environ if env is None else env
        usec = source.get("WATCHDOG_USEC", "")
        return cls(source.get("NOTIFY_SOCKET") or None, int(usec) if usec.isdigit() else None)

    def notify(self, message: str) -> bool:
        """Send one message; False when not under systemd or the send failed."""
        if not self.address:
            return False
        target = "\0" + self.address[1:] if self.address.startswith("@") else self.address
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
                sock.connect(target)
                sock.sendall(message.encode())
        except OSError as err:
            log.warning("sd_notify_failed", error=str(err))
            return False
        return True

    async def run(self, service: ServiceLike) -> None:
        """READY=1 once the service is up, then WATCHDOG=1 at half the watchdog period."""
        if not self.address:
            return
        try:
            while not service.ready:  # noqa: ASYNC110 - polls a property another task owns
                await asyncio.sleep(0.1)
            self.notify("READY=1\nSTATUS=connected")
            while self.watchdog_interval:
                self.notify("WATCHDOG=1")
                await asyncio.sleep(self.watchdog_interval)
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.notify("STOPPING=1")
            raise
