"""Run a bridge MqttConnection until killed: the subject of the Last Will test.

Usage: python -m tests.mqtt.lwt_child URL CLIENT_ID
"""

from __future__ import annotations

import asyncio
import sys

from bridge.mqtt import MqttConnection
from bridge.settings import MqttSettings


async def main(url: str, client_id: str) -> None:
    conn = MqttConnection(MqttSettings(url=url, client_id=client_id, keepalive=5))
    await conn.start()
    await conn.wait_connected(timeout=10)
    await asyncio.Event().wait()  # until SIGKILL


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
