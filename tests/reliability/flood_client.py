"""The flood run's user: a separate process sending valid commands as fast as asked.

It paces QoS 1 ``set_timer`` commands (each with its own ``request_id``) at
the target rate in 10 ms slices and counts the bridge's answers on the
flooded cooker's response topic, with the error code of each.

The sending and receiving are done by Mosquitto's own C clients:
``mosquitto_pub -l`` publishes one message per line written to its stdin,
``mosquitto_sub`` prints one answer per line. The machine has two cores, and
a Python MQTT client doing the same work (10 000 publishes and 10 000
answers a second) took most of one of them, so the figures measured the
bridge squeezed onto what the load generator left. The C clients need about
a tenth of that, and what is measured is the bridge. A separate process, as
a real runaway script would be.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from typing import IO, Any

from tests.reliability.conftest import error_code

SLICE_S = 0.01
READY_MARKER = "flood-counter-ready"
COUNTER_LIFETIME_S = 600


@dataclass(frozen=True)
class FloodPlan:
    """What to send."""

    port: int
    topic_id: str
    rate: int  # commands per second asked for
    seconds: float


@dataclass
class FloodTally:
    """What was sent and answered, and when."""

    sent: int = 0
    publish_s: float = 0.0  # first publish until the broker had acknowledged every one
    drain_s: float = 0.0  # first publish to last answer
    responses: int = 0
    codes: dict[str, int] = field(default_factory=dict)


class AnswerCounter:
    """``mosquitto_sub`` on the response topic, its lines counted by error code on a thread."""

    def __init__(self, port: int, topic: str) -> None:
        self.port = port
        self.topic = topic
        self.codes: Counter[str] = Counter()
        self.total = 0
        self.ready = threading.Event()
        self._proc = subprocess.Popen(
            # -W: it goes by itself should this process be killed before closing it.
            _argv("mosquitto_sub", port, "-t", topic, "-F", "%p", "-W", str(COUNTER_LIFETIME_S)),
            stdout=subprocess.PIPE,
        )
        self._reader = threading.Thread(target=self._count, daemon=True)
        self._reader.start()

    def _count(self) -> None:
        stdout: IO[bytes] | None = self._proc.stdout
        assert stdout is not None
        for line in stdout:
            if line.strip() == READY_MARKER.encode():
                self.ready.set()
                continue
            self.codes[error_code(line)] += 1
            self.total += 1

    def wait_subscribed(self, timeout: float) -> None:
        """Publish a marker on the topic until the counter prints it: then it is subscribed."""
        deadline = time.monotonic() + timeout
        while not self.ready.is_set():
            if time.monotonic() > deadline:
                raise TimeoutError("mosquitto_sub never saw its readiness marker")
            subprocess.run(
                _argv("mosquitto_pub", self.port, "-t", self.topic, "-m", READY_MARKER),
                check=True,
                timeout=10,
            )
            self.ready.wait(0.2)

    def close(self) -> None:
        self._proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._proc.wait(5)
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()


def run(plan: FloodPlan, ready: Event, results: Queue[dict[str, Any]]) -> None:
    """Flood, then wait for every answer (or give up) and report."""
    tally = FloodTally()
    counter = AnswerCounter(plan.port, f"anova/{plan.topic_id}/response")
    sender: subprocess.Popen[bytes] | None = None
    try:
        counter.wait_subscribed(10)
        sender = subprocess.Popen(
            _argv("mosquitto_pub", plan.port, "-t", f"anova/{plan.topic_id}/set", "-l"),
            stdin=subprocess.PIPE,
        )
        ready.set()
        total = round(plan.rate * plan.seconds)
        began = time.perf_counter()
        tally.sent = _pace(sender, plan.rate, total, began)
        sender.wait(60)  # at end of input it leaves once the broker acknowledged every message
        tally.publish_s = time.perf_counter() - began
        _wait(lambda: counter.total >= total, max(90, total / 500))
        tally.drain_s = time.perf_counter() - began
        tally.responses = counter.total
        tally.codes = dict(counter.codes)
    finally:
        if sender is not None and sender.poll() is None:
            sender.kill()  # it never finished: leave no client behind
            sender.wait()
        counter.close()
    results.put(asdict(tally))


def _pace(sender: subprocess.Popen[bytes], rate: int, total: int, began: float) -> int:
    """Write ``total`` commands to ``sender``'s stdin at ``rate`` a second; returns how many."""
    stdin = sender.stdin
    assert stdin is not None
    sent = 0
    while sent < total:
        due = min(total, round((time.perf_counter() - began) * rate) + 1)
        lines = [_command(n) for n in range(sent, due)]
        stdin.write("".join(lines).encode())
        stdin.flush()
        sent = due
        time.sleep(SLICE_S)  # pacing: the rate is set by the plan, not by the machine
    stdin.close()
    return sent


def _command(n: int) -> str:
    body = {"action": "set_timer", "time_minutes": 10 + n % 1000, "request_id": f"f{n}"}
    return json.dumps(body) + "\n"


def _argv(name: str, port: int, *args: str) -> list[str]:
    """A Mosquitto client's command line for the test broker on ``port``, at QoS 1."""
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed: run `make mosquitto`")
    return [found, "-h", "127.0.0.1", "-p", str(port), "-q", "1", *args]


def _wait(condition: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.001)
