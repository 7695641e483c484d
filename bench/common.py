"""Shared parts of the benchmarks: broker, simulator, the bridge as a process, /proc, output.

Every benchmark runs the pieces as they run in production: a private
``mosquitto`` (never the machine's broker on 1883), the cloud simulator in
the benchmark's own asyncio loop, and the bridge as a separate
``anova-mqtt-bridge run --config`` process with its default logging (JSON
lines to a file, as under systemd or Docker). The bridge's CPU time and
RSS are read from ``/proc/<pid>`` so nothing is added to the process
being measured.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from bridge.logs import configure_logging
from bridge.simulator import DEMO_TOKEN, CloudSimulator, SimClock
from tests.support.broker import MosquittoBroker

RESULTS = Path(__file__).with_name("results")
EXE = str(Path(sys.executable).with_name("anova-mqtt-bridge"))
CLK_TCK = os.sysconf("SC_CLK_TCK")


# -- statistics and output ---------------------------------------------------------


def percentile(values: Sequence[float], pct: float) -> float:
    """The ``pct`` percentile by the nearest-rank method (no interpolation)."""
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


def report(name: str, rows: list[tuple[str, str, str, str]], data: dict[str, Any]) -> Path:
    """Print a table (figure, value, target, verdict) and write ``results/<name>.json``."""
    widths = [
        max(len(row[i]) for row in [("figure", "value", "target", ""), *rows]) for i in range(4)
    ]
    print(f"\n== {name} ==")
    for row in [("figure", "value", "target", ""), *rows]:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"benchmark": name, "machine": machine(), **data}, indent=2) + "\n")
    print(f"-> {path}")
    return path


def verdict(ok: bool) -> str:
    """Table cell for a target check."""
    return "ok" if ok else "MISSED"


# -- /proc ----------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by ``pid`` (all its threads)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    # fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_mb(pid: int) -> float:
    """Resident set size of ``pid`` in MiB (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


# -- the pieces -----------------------------------------------------------------------


@contextlib.contextmanager
def private_broker() -> Iterator[MosquittoBroker]:
    """A private mosquitto on a free loopback port in a temp dir."""
    with tempfile.TemporaryDirectory(prefix="bench-broker-") as tmp:
        broker = MosquittoBroker(Path(tmp))
        broker.start()
        try:
            yield broker
        finally:
            broker.stop()


@contextlib.asynccontextmanager
async def simulator(
    cookers: int, types: Sequence[str] = ("a7",), push_interval: float = 2.0
) -> AsyncIterator[CloudSimulator]:
    """The cloud simulator in this process's loop, its own logging quietened."""
    configure_logging("warning", json=True)
    sim = CloudSimulator(
        token=DEMO_TOKEN,
        cookers=cookers,
        types=list(types),
        clock=SimClock(speed=1.0),
        push_interval=push_interval,
    )
    await sim.start()
    try:
        yield sim
    finally:
        await sim.stop()


def bridge_config(broker: MosquittoBroker, sim: CloudSimulator, extra: str = "") -> str:
    """A production-like YAML config: defaults except the endpoints and a free health port."""
    return (
        f"mqtt: {{url: '{broker.url}', client_id: bench-bridge}}\n"
        f"anova: {{token: {DEMO_TOKEN}, url: '{sim.ws_url}', auth_url: '{sim.http_url}'}}\n"
        "health: {port: 0}\nlog: {format: json}\n" + extra
    )


class BridgeProcess:
    """``anova-mqtt-bridge run --config …`` as a child process, logging to a file."""

    def __init__(self, config_text: str) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="bench-bridge-")
        self.config = Path(self._dir.name) / "bridge.yaml"
        self.config.write_text(config_text)
        self.log_path = Path(self._dir.name) / "bridge.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.spawned_at = 0.0

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self) -> float:
        """Spawn the bridge; returns the ``perf_counter`` just before the fork."""
        log = self.log_path.open("ab")
        self.spawned_at = time.perf_counter()
        self.proc = subprocess.Popen(
            [EXE, "run", "--config", str(self.config)], stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        return self.spawned_at

    def check_alive(self) -> None:
        """Raise with the log's tail if the bridge died."""
        if self.proc is not None and self.proc.poll() is not None:
            tail = self.log_path.read_text()[-3000:]
            raise RuntimeError(f"bridge exited with {self.proc.returncode}:\n{tail}")

    async def stop(self) -> int:
        """SIGTERM and wait (kill after 15 s); returns the exit code."""
        if self.proc is None:
            return 0
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        for _ in range(150):
            if self.proc.poll() is not None:
                break
            await asyncio.sleep(0.1)
        else:
            self.proc.kill()
        code = self.proc.wait()
        self._dir.cleanup()
        return code


class Watcher:
    """A plain paho client (own network thread) that calls back on every message.

    ``on_message(topic, payload, retain, stamp_ns)`` runs on paho's thread
    with the ``perf_counter_ns`` taken as the message was handed over.
    """

    def __init__(self, port: int, on_message: Callable[[str, bytes, bool, int], None]) -> None:
        self._on_message = on_message
        self.client = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2)
        self.client.max_inflight_messages_set(1000)
        self.client.on_message = self._handle
        self._subscribed = threading.Event()
        self.client.on_subscribe = lambda *_a: self._subscribed.set()
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()

    def _handle(self, _client: Any, _userdata: Any, msg: mqtt.MQTTMessage) -> None:
        stamp = time.perf_counter_ns()
        self._on_message(msg.topic, bytes(msg.payload), bool(msg.retain), stamp)

    def subscribe(self, *topics: str) -> None:
        """Subscribe at QoS 1 and wait for the SUBACK."""
        for topic in topics:
            self._subscribed.clear()
            self.client.subscribe(topic, qos=1)
            if not self._subscribed.wait(10):
                raise RuntimeError(f"no SUBACK for {topic}")

    def close(self) -> None:
        """Disconnect and stop the network thread."""
        self.client.disconnect()
        self.client.loop_stop()


async def wait_for(
    predicate: Callable[[], Any], within: float, what: str, bridge: Any = None
) -> Any:
    """Poll ``predicate`` on the loop every 5 ms for ``within`` s; fail naming ``what``."""
    deadline = time.monotonic() + within
    while not (value := predicate()):
        if bridge is not None:
            bridge.check_alive()
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {within:g}s waiting for {what}")
        await asyncio.sleep(0.005)
    return value
