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
import socket
import subprocess
import sys
from pathlib import Path
from typing import IO

from bridge.embedded_broker import EmbeddedBroker
from tests.support.broker import free_port
from tests.support.waiting import wait_until


class AmqttBroker:
    """One amqtt process with the same controls as ``MosquittoBroker``."""

    protocol = "3.1.1"
    persistent = False  # nothing survives a restart: amqtt keeps no state on disk

    def __init__(self, workdir: Path, *, port: int | None = None) -> None:
        self.workdir = workdir
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = workdir / "amqtt.log"
        self._log_file: IO[bytes] | None = None

    @property
    def url(self) -> str:
        """mqtt:// URL of this broker."""
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start amqtt and wait until it accepts TCP connections."""
        self._close_log()
        self._log_file = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.amqtt_broker", str(self.port)],
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            cwd=Path(__file__).resolve().parents[2],
        )
        wait_until(self._accepting, timeout=20, what=f"amqtt on port {self.port}")

    def _accepting(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"amqtt exited: {self.log_path.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def kill(self) -> None:
        """SIGKILL the broker: clients see the connection drop without a goodbye."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None
        self._close_log()

    def stop(self) -> None:
        """Terminate the broker."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
        self._close_log()

    def restart(self) -> None:
        """Kill and start again on the same port."""
        self.kill()
        self.start()

    def _close_log(self) -> None:
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None


async def _serve(port: int) -> None:
    broker = EmbeddedBroker(port)
    await broker.start()
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(_serve(int(sys.argv[1])))
