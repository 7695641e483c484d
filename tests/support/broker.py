"""A private Mosquitto per test session on a free loopback port.

Never the machine's shared broker on 1883: each test run starts its own
``mosquitto`` with a config in a temp dir, logging to stdout (started as
root it drops to its own user and could not write a log file in the temp
dir). Fault tests kill and restart it on the same port.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
from pathlib import Path
from typing import IO

from tests.support.ports import listen_port
from tests.support.waiting import wait_until


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (see ``listen_port``)."""
    return listen_port()


def mosquitto_binary() -> str:
    """Path to mosquitto; `make test` installs it when missing."""
    found = shutil.which("mosquitto") or (
        "/usr/sbin/mosquitto" if Path("/usr/sbin/mosquitto").exists() else None
    )
    if not found:
        raise RuntimeError("mosquitto is not installed: run `make mosquitto`")
    return found


_running: set[BrokerProcess] = set()


@atexit.register
def _kill_leftovers() -> None:
    """A rig whose set-up failed half way, or a test cut short, leaves no broker behind."""
    for broker in list(_running):
        broker.kill()


class BrokerProcess:
    """A broker in its own process that can be stopped, killed and restarted on its port.

    Subclasses say how to start their broker (``command``); the rest (the log,
    waiting for the port, kill, stop, restart) is the same for every broker.
    """

    name = "broker"
    protocol = "5"
    persistent = False
    start_timeout_s = 10.0

    def __init__(self, workdir: Path, *, port: int | None = None) -> None:
        self.workdir = workdir
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = workdir / f"{self.name}.log"
        self._log_file: IO[bytes] | None = None

    @property
    def url(self) -> str:
        """mqtt:// URL of this broker."""
        return f"mqtt://127.0.0.1:{self.port}"

    def command(self) -> tuple[list[str], Path | None]:
        """The command line that runs the broker in the foreground, and its working dir."""
        raise NotImplementedError

    def start(self) -> None:
        """Start the broker and wait until it accepts TCP connections."""
        argv, cwd = self.command()
        self._close_log()
        self._log_file = self.log_path.open("ab")
        self.process = subprocess.Popen(
            argv, stdout=self._log_file, stderr=subprocess.STDOUT, cwd=cwd
        )
        _running.add(self)
        wait_until(
            self._accepting, timeout=self.start_timeout_s, what=f"{self.name} on port {self.port}"
        )

    def _accepting(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"{self.name} exited: {self.log_path.read_text()[-2000:]}")
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
        _running.discard(self)

    def _close_log(self) -> None:
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def stop(self) -> None:
        """Terminate the broker politely."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
        self._close_log()
        _running.discard(self)

    def restart(self) -> None:
        """Kill and start again on the same port."""
        self.kill()
        self.start()


class MosquittoBroker(BrokerProcess):
    """One mosquitto process, with its config written to its work dir."""

    name = "mosquitto"

    def __init__(
        self,
        workdir: Path,
        *,
        extra_config: str = "",
        port: int | None = None,
        persistent: bool = False,
    ) -> None:
        super().__init__(workdir, port=port)
        self.persistent = persistent
        self.extra_config = extra_config

    def command(self) -> tuple[list[str], Path | None]:
        return [mosquitto_binary(), "-c", str(self._write_config())], None

    def _write_config(self) -> Path:
        config = self.workdir / "mosquitto.conf"
        lines = [
            # Started as root, mosquitto drops to its own user, which cannot read
            # or write password, certificate or persistence files in pytest's
            # private temp dirs: stay root for these throwaway brokers.
            *(["user root"] if os.geteuid() == 0 else []),
            f"listener {self.port} 127.0.0.1",
            "allow_anonymous true",
            *self._persistence_lines(),
            "log_dest stdout",
            "log_type error",
            "log_type warning",
            "log_type notice",
            "max_queued_messages 100000",
            self.extra_config,
        ]
        config.write_text("\n".join(lines) + "\n")
        return config

    def _persistence_lines(self) -> list[str]:
        if not self.persistent:
            return ["persistence false"]
        # Save after every change so even a SIGKILLed broker keeps sessions,
        # subscriptions and queued QoS 1 messages, as a real deployment would.
        return [
            "persistence true",
            f"persistence_location {self.workdir}/",
            "autosave_interval 1",
            "autosave_on_changes true",
        ]
