"""Start-up: spawn → ``online``, every cooker's retained state and HA discovery on the broker.

Each run gets a fresh private broker (nothing retained: a first start) and
a simulator with ``--cookers`` cookers. A subscriber is listening on
``anova/#`` and ``homeassistant/#`` before ``anova-mqtt-bridge run`` is
spawned; the clock starts just before the fork and every milestone is
stamped as the subscriber receives it, all in this process with
``time.perf_counter``. Done means: ``anova/bridge/availability`` is
``online``, each cooker's ``state`` is retained on the broker and each
cooker's discovery config (naming its state topic) has arrived.

For context it also times the bare interpreter and the bridge's imports in
a fresh process (``python -c "import bridge.service.app"``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from typing import Any

from bench.common import (
    BridgeProcess,
    Watcher,
    bridge_config,
    private_broker,
    report,
    simulator,
    verdict,
    wait_for,
)

NAME = "startup"
TARGET_S = 1.5


class Milestones:
    """First arrival time of each interesting message, from paho's thread."""

    def __init__(self) -> None:
        self.online: int | None = None
        self.states: dict[str, int] = {}
        self.discovery: dict[str, int] = {}

    def on_message(self, topic: str, payload: bytes, _retain: bool, stamp: int) -> None:
        if topic.endswith("bridge/availability") and payload == b"online":
            self.online = self.online or stamp
        elif topic.endswith("/state") and topic.startswith("anova/") and payload:
            self.states.setdefault(topic, stamp)
        elif topic.startswith("homeassistant/") and payload:
            for state_topic in _state_topics(payload):
                self.discovery.setdefault(state_topic, stamp)

    def complete(self, cookers: int) -> bool:
        return (
            self.online is not None
            and len(self.states) >= cookers
            and all(topic in self.discovery for topic in self.states)
        )


def _state_topics(payload: bytes) -> set[str]:
    """Cooker state topics a discovery config points its entities at."""
    try:
        document = json.loads(payload)
    except ValueError:
        return set()
    found: set[str] = set()
    pending: list[Any] = [document]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
        elif isinstance(node, str) and node.startswith("anova/") and node.endswith("/state"):
            found.add(node)
    return found


async def once(cookers: int) -> dict[str, float]:
    """One cold start; seconds from spawn to each milestone."""
    with private_broker() as broker:
        async with simulator(cookers, ("a7", "a5", "a3")) as sim:
            marks = Milestones()
            watcher = Watcher(broker.port, marks.on_message)
            watcher.subscribe("anova/#", "homeassistant/#")
            bridge = BridgeProcess(bridge_config(broker, sim))
            spawned_ns = int(bridge.start() * 1e9)
            try:
                await wait_for(lambda: marks.complete(cookers), 30, "start-up milestones", bridge)
            finally:
                watcher.close()
                await bridge.stop()
    assert marks.online is not None
    done = max([*marks.states.values(), *(marks.discovery[t] for t in marks.states)])
    return {
        "online_s": (marks.online - spawned_ns) / 1e9,
        "all_states_s": (max(marks.states.values()) - spawned_ns) / 1e9,
        "discovery_s": (max(marks.discovery[t] for t in marks.states) - spawned_ns) / 1e9,
        "complete_s": (max(done, marks.online) - spawned_ns) / 1e9,
    }


def import_time(module: str) -> float:
    """Seconds for a fresh interpreter to import ``module`` (0 for the bare interpreter)."""
    code = f"import {module}" if module else "pass"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the cold starts, print the table, write ``bench/results/startup.json``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="cold starts (7)")
    parser.add_argument("--cookers", type=int, default=3, help="cookers on the account (3)")
    parser.add_argument("--quick", action="store_true", help="one run, for the smoke test")
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs
    samples = [asyncio.run(once(args.cookers)) for _ in range(runs)]
    median = {key: statistics.median(s[key] for s in samples) for key in samples[0]}
    worst = max(s["complete_s"] for s in samples)
    bare, imports = import_time(""), import_time("bridge.service.app")
    rows = [
        ("spawn → online (median)", f"{median['online_s']:.3f} s", "", ""),
        ("spawn → every state retained (median)", f"{median['all_states_s']:.3f} s", "", ""),
        ("spawn → every discovery config (median)", f"{median['discovery_s']:.3f} s", "", ""),
        ("spawn → all of it (median)", f"{median['complete_s']:.3f} s", f"≤ {TARGET_S:g} s",
         verdict(median["complete_s"] <= TARGET_S)),
        (f"spawn → all of it (worst of {runs})", f"{worst:.3f} s", f"≤ {TARGET_S:g} s",
         verdict(worst <= TARGET_S)),
        ("bare interpreter / import bridge.service.app", f"{bare:.3f} s / {imports:.3f} s", "", ""),
    ]  # fmt: skip
    data = {"runs": runs, "cookers": args.cookers, "median": median, "worst_complete_s": worst,
            "interpreter_s": bare, "import_service_s": imports, "samples": samples}  # fmt: skip
    report(NAME, rows, data)
    return data


if __name__ == "__main__":
    main()
