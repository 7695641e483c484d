"""Invalid-command path: how many refused commands per second the bridge answers.

N malformed commands (four kinds, each with its own ``request_id``) are
published at QoS 1 to one cooker's ``set`` topic of a bridge running as
its own process with the default config, as fast as the responses allow
with ``--window`` commands outstanding (closed loop, the usual way to find
a sustainable rate; ``--window 0`` publishes them all at once and shows
what a burst does). A second client counts the responses. Figures:

* **per core**: answered / the bridge's CPU seconds over the run (utime + stime
  from ``/proc/<pid>/stat``) — what one core can refuse, the target's
  measure, independent of the load generator sharing the machine;
* **wall**: answered / (last response − first publish), which on a 2-core machine
  also pays for the publisher, the counter and mosquitto.

Every refusal here is decided by the command gate before the rate limit,
so nothing reaches the cloud; that is checked.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import threading
import time
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from bench.common import (
    BridgeProcess,
    Watcher,
    bridge_config,
    cpu_seconds,
    private_broker,
    report,
    simulator,
    verdict,
    wait_for,
)

NAME = "invalid"
TARGET_PER_CORE = 2000.0
KINDS = (
    {"action": "explode"},  # UNKNOWN_ACTION
    {"action": "start", "temperature": "hot"},  # INVALID_FIELD
    {"action": "start"},  # MISSING_FIELD
    {"action": "stop", "colour": "red"},  # unknown key
)


class Counter:
    """Counts responses by error code on paho's thread; signals when all arrived."""

    def __init__(self, expected: int, window: int) -> None:
        self.expected = expected
        self.codes: collections.Counter[str] = collections.Counter()
        self.ids: set[str] = set()
        self.last_ns = 0
        self.done = threading.Event()
        # Closed loop: at most ``window`` commands published and not yet answered.
        self.slots = threading.Semaphore(window) if window > 0 else None
        self.state_topic = ""

    def on_message(self, topic: str, payload: bytes, _retain: bool, stamp: int) -> None:
        if topic.endswith("/state"):
            self.state_topic = self.state_topic or topic
            return
        body = json.loads(payload)
        self.codes[(body.get("error") or {}).get("code", body.get("status"))] += 1
        self.ids.add(body.get("request_id"))
        self.last_ns = stamp
        if self.slots is not None:
            self.slots.release()
        if len(self.ids) >= self.expected:
            self.done.set()

    def answered_or_stalled(self, stall: float = 3.0) -> None:
        """Block until every response came or none came for ``stall`` s (some were lost)."""
        seen = -1
        while not self.done.wait(stall) and len(self.ids) != seen:
            seen = len(self.ids)


def publish_all(publisher: mqtt.Client, topic: str, payloads: list[str], counter: Counter) -> None:
    """Publish every payload at QoS 1, waiting for a free slot when the window is full."""
    for body in payloads:
        if counter.slots is not None:
            counter.slots.acquire()
        publisher.publish(topic, body, qos=1)


async def run(count: int, window: int) -> dict[str, Any]:
    """Publish ``count`` invalid commands (``window`` outstanding) and time their responses."""
    with private_broker() as broker:
        async with simulator(1, ("a7",)) as sim:
            counter = Counter(count, window)
            watcher = Watcher(broker.port, counter.on_message)
            watcher.subscribe("anova/+/response", "anova/+/state")
            publisher = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2)
            publisher.max_inflight_messages_set(100)
            publisher.connect("127.0.0.1", broker.port)
            publisher.loop_start()
            bridge = BridgeProcess(bridge_config(broker, sim))
            bridge.start()
            try:
                await wait_for(lambda: counter.state_topic, 30, "the cooker's state", bridge)
                await asyncio.sleep(1.0)  # let start-up work (discovery, first states) settle
                set_topic = counter.state_topic.rsplit("/", 1)[0] + "/set"
                payloads = [
                    json.dumps({**KINDS[i % len(KINDS)], "request_id": f"bad-{i}"})
                    for i in range(count)
                ]
                cpu_before = cpu_seconds(bridge.pid)
                started = time.perf_counter_ns()
                await asyncio.to_thread(publish_all, publisher, set_topic, payloads, counter)
                await asyncio.to_thread(counter.answered_or_stalled)
                cpu = cpu_seconds(bridge.pid) - cpu_before
                wall = (counter.last_ns - started) / 1e9
                at_cloud = len(sim.received_commands)
            finally:
                publisher.disconnect()
                publisher.loop_stop()
                watcher.close()
                await bridge.stop()
    answered = len(counter.ids)
    return {
        "commands": count,
        "window": window,
        "answered": answered,
        "wall_s": round(wall, 3),
        "bridge_cpu_s": round(cpu, 3),
        "per_second_wall": round(answered / wall, 1),
        "per_core_second": round(answered / cpu, 1) if cpu else None,
        "bridge_cpu_percent": round(100 * cpu / wall, 1),
        "codes": dict(counter.codes),
        "reached_cloud": at_cloud,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark, print the table, write ``bench/results/invalid.json``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="commands to send (10000)")
    parser.add_argument(
        "--window", type=int, default=100, help="commands outstanding at once; 0: no limit (100)"
    )
    parser.add_argument("--quick", action="store_true", help="400 commands, for the smoke test")
    args = parser.parse_args(argv)
    stats = asyncio.run(run(400 if args.quick else args.count, args.window))
    per_core = stats["per_core_second"] or float("inf")
    rows = [
        ("refused commands sent / answered", f"{stats['commands']} / {stats['answered']}",
         "all", verdict(stats["answered"] == stats["commands"])),
        ("answered per bridge CPU-second", f"{per_core:,.0f}/s", f"≥ {TARGET_PER_CORE:,.0f}/s",
         verdict(per_core >= TARGET_PER_CORE)),
        ("answered per wall second", f"{stats['per_second_wall']:,.0f}/s", "", ""),
        ("bridge CPU while answering", f"{stats['bridge_cpu_percent']:.0f} % of a core", "", ""),
        ("commands that reached the cloud", str(stats["reached_cloud"]), "0",
         verdict(stats["reached_cloud"] == 0)),
        ("codes", ", ".join(f"{k} {v}" for k, v in sorted(stats["codes"].items())), "", ""),
    ]  # fmt: skip
    report(NAME, rows, stats)
    return stats


if __name__ == "__main__":
    main()
