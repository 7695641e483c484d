"""An in-process MQTT broker (amqtt) so ``demo`` works with nothing installed.

Only for the demo: amqtt speaks MQTT 3.1.1, binds loopback, and keeps
nothing on disk. Real deployments use Mosquitto or another real broker.
"""

from __future__ import annotations

import logging
import socket
from typing import Any

from bridge.errors import ConfigError


def free_loopback_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def port_answers(host: str, port: int, timeout: float = 0.3) -> bool:
    """True when something accepts TCP connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


class EmbeddedBroker:
    """amqtt on a loopback port, anonymous, MQTT 3.1.1."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_loopback_port()
        config: dict[str, Any] = {
            "listeners": {"default": {"type": "tcp", "bind": f"127.0.0.1:{self.port}"}},
            "plugins": {
                "amqtt.plugins.authentication.AnonymousAuthPlugin": {"allow_anonymous": True}
            },
        }
        self._config = config
        self._broker: Any = None

    @property
    def url(self) -> str:
        """mqtt:// URL of the broker."""
        return f"mqtt://127.0.0.1:{self.port}"

    async def start(self) -> None:
        """Start listening; amqtt's own chatter is kept to warnings."""
        try:
            from amqtt.broker import Broker  # noqa: PLC0415 - optional, demo only
        except ImportError as err:
            raise ConfigError(
                "the demo's embedded broker needs the demo extra: "
                "pip install 'anova-mqtt-bridge[demo]', or pass --mqtt-url"
            ) from err
        for name in ("amqtt", "transitions"):
            logging.getLogger(name).setLevel(logging.WARNING)
        self._broker = Broker(self._config)
        await self._broker.start()

    async def stop(self) -> None:
        """Stop the broker and close its port."""
        if self._broker is not None:
            await self._broker.shutdown()
            self._broker = None
