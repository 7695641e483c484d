"""The flood run's user: a separate process sending valid commands as fast as asked.

It paces QoS 1 ``set_timer`` commands (each with its own ``request_id``) at
the target rate in 10 ms slices, notes when the broker acknowledged each
one, and counts the bridge's answers on the flooded cooker's response topic.
A separate process, as a real runaway script would be, so its paho threads
do not compete with the bridge for the test process's GIL.
"""

from __future__ import annotations

import json
import socket
import time
from dataclasses import asdict, dataclass, field
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from typing import Any

from tests.reliability.conftest import CountingProbe

SLICE_S = 0.01


@dataclass(frozen=True)
class FloodPlan:
    """What to send."""

    port: int
    topic_id: str
    rate: int  # commands per second asked for
    seconds: float


@dataclass
class FloodTally:
    """What was sent, acknowledged and answered, and when."""

    sent: int = 0
    acked: int = 0
    publish_s: float = 0.0  # first publish to last broker acknowledgement
    drain_s: float = 0.0  # first publish to last answer
    responses: int = 0
    codes: dict[str, int] = field(default_factory=dict)


def run(plan: FloodPlan, ready: Event, results: Queue[dict[str, Any]]) -> None:
    """Flood, then wait for every answer (or give up) and report."""
    tally = FloodTally()
    probe = CountingProbe(plan.port)
    # paho leaves Nagle on: this client's PUBACKs for the answers would then
    # wait for the broker's delayed ACK (~40 ms per 20 answers), and the
    # figures would measure the counter instead of the bridge.
    probe.client.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    probe.keeping = False
    acks: list[object] = []
    probe.client.on_subscribe = lambda *args: acks.append(args)
    probe.subscribe(f"anova/{plan.topic_id}/response")
    _wait(lambda: acks, 10)
    acked_at: list[float] = []
    probe.client.on_publish = lambda *_args: acked_at.append(time.perf_counter())
    ready.set()
    topic = f"anova/{plan.topic_id}/set"
    total = round(plan.rate * plan.seconds)
    began = time.perf_counter()
    while tally.sent < total:
        due = min(total, round((time.perf_counter() - began) * plan.rate) + 1)
        for n in range(tally.sent, due):
            body = {"action": "set_timer", "time_minutes": 10 + n % 1000, "request_id": f"f{n}"}
            probe.client.publish(topic, json.dumps(body), qos=1)
        tally.sent = due
        time.sleep(SLICE_S)  # pacing: the rate is set by the plan, not by the machine
    _wait(lambda: len(acked_at) >= total, 60)
    tally.acked = len(acked_at)
    tally.publish_s = (acked_at[-1] if acked_at else time.perf_counter()) - began
    _wait(lambda: probe.total >= total, max(90, total / 500))
    tally.drain_s = time.perf_counter() - began
    tally.responses = probe.total
    tally.codes = dict(probe.codes)
    probe.client.on_publish = None
    probe.close()
    results.put(asdict(tally))


def _wait(condition: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.001)
