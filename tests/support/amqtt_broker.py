"""A second broker implementation for the suite: amqtt in its own process.

amqtt is the demo's embedded broker (``bridge/embedded_broker.py``), a pure
Python MQTT 3.1.1 broker. Run as a separate process, like a real broker, so
the bridge under test and the broker never share an event loop. It keeps
sessions and retained messages in memory only: a restart forgets them
(``docs/operations.md``, "Brokers").

``python -m tests.support.amqtt_broker PORT`` runs it until killed.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bridge.embedded_broker import EmbeddedBroker
from tests.support.broker import BrokerProcess


class AmqttBroker(BrokerProcess):
    """One amqtt process with the same controls as ``MosquittoBroker``."""

    name = "amqtt"
    protocol = "3.1.1"
    persistent = False  # nothing survives a restart: amqtt keeps no state on disk
    start_timeout_s = 20.0  # a Python interpreter and amqtt's imports first

    def command(self) -> tuple[list[str], Path | None]:
        argv = [sys.executable, "-m", "tests.support.amqtt_broker", str(self.port)]
        return argv, Path(__file__).resolve().parents[2]


async def _serve(port: int) -> None:
    broker = EmbeddedBroker(port)
    await broker.start()
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(_serve(int(sys.argv[1])))
