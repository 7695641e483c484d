"""Steady-state cost: CPU and memory of the bridge process, idle and with 100 cookers.

Two runs, each with a fresh broker, simulator and bridge process (default
config, JSON logs to a file):

* **idle**: one idle cooker (the simulator pushes nothing while idle).
  After start-up settles, RSS (``VmRSS``) and CPU over the window.
* **load**: 100 cookers of mixed types, all cooking, so the simulator
  pushes every cooker's state every 2 s (50 WebSocket frames/s); the
  bridge normalises each and republishes it. CPU is utime + stime from
  ``/proc/<pid>/stat`` over the window, RSS at its end; ``VmHWM`` (peak)
  is reported too. The state messages the broker delivered during the
  window are counted to show the load was real.
"""

from __future__ import annotations

import argparse
import asyncio
import threading
import time
from pathlib import Path
from typing import Any

from bench.common import (
    BridgeProcess,
    Watcher,
    bridge_config,
    cpu_seconds,
    private_broker,
    report,
    rss_mb,
    simulator,
    verdict,
    wait_for,
)

NAME = "load"
TARGET_CPU_PERCENT, TARGET_RSS_MB, TARGET_IDLE_RSS_MB = 5.0, 70.0, 45.0
TYPES = ("a7", "a5", "a3")


class StateCounter:
    """Distinct cookers seen and state messages received, from paho's thread."""

    def __init__(self) -> None:
        self.topics: set[str] = set()
        self.messages = 0
        self._lock = threading.Lock()

    def on_message(self, topic: str, _payload: bytes, _retain: bool, _stamp: int) -> None:
        with self._lock:
            self.topics.add(topic)
            self.messages += 1


def peak_mb(pid: int) -> float:
    """Peak resident set size (``VmHWM``) in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def measure(cookers: int, settle: float, window: float, *, cook: bool) -> dict[str, Any]:
    """Start a stack with ``cookers`` cookers, settle, then measure over ``window`` s."""
    with private_broker() as broker:
        async with simulator(cookers, TYPES if cookers > 1 else ("a7",)) as sim:
            counter = StateCounter()
            watcher = Watcher(broker.port, counter.on_message)
            watcher.subscribe("anova/+/state")
            bridge = BridgeProcess(bridge_config(broker, sim))
            bridge.start()
            try:
                await wait_for(
                    lambda: len(counter.topics) >= cookers, 60, "every cooker's state", bridge
                )
                if cook:
                    for cooker in sim.cookers:
                        cooker.start(58.0, "C", 0)
                await asyncio.sleep(settle)
                messages, cpu, started = counter.messages, cpu_seconds(bridge.pid), time.monotonic()
                await asyncio.sleep(window)
                bridge.check_alive()
                elapsed = time.monotonic() - started
                cpu = cpu_seconds(bridge.pid) - cpu
                messages = counter.messages - messages
                rss, peak = rss_mb(bridge.pid), peak_mb(bridge.pid)
                cooking = sum(1 for c in sim.cookers if c.cooking)
            finally:
                watcher.close()
                await bridge.stop()
    return {
        "cookers": cookers,
        "cooking": cooking,
        "window_s": round(elapsed, 1),
        "cpu_percent": round(100 * cpu / elapsed, 2),
        "rss_mb": round(rss, 1),
        "peak_rss_mb": round(peak, 1),
        "state_messages_per_s": round(messages / elapsed, 1),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run both phases, print the table, write ``bench/results/load.json``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cookers", type=int, default=100, help="cookers under load (100)")
    parser.add_argument("--window", type=float, default=60.0, help="seconds measured (60)")
    parser.add_argument("--settle", type=float, default=10.0, help="seconds before measuring")
    parser.add_argument("--idle-only", action="store_true", help="only the idle run")
    parser.add_argument("--quick", action="store_true", help="10 cookers, 3 s windows")
    args = parser.parse_args(argv)
    cookers, window, settle = (10, 3.0, 1.0) if args.quick else (
        args.cookers, args.window, args.settle
    )  # fmt: skip
    idle = asyncio.run(measure(1, settle, min(window, 20.0), cook=False))
    if args.idle_only:
        report(NAME + "-idle", _idle_rows(idle), {"idle": idle})
        return {"idle": idle}
    load = asyncio.run(measure(cookers, settle, window, cook=True))
    rows = [
        *_idle_rows(idle),
        (f"{cookers} cookers cooking: CPU", f"{load['cpu_percent']:.2f} % of a core",
         f"≤ {TARGET_CPU_PERCENT:g} %", verdict(load["cpu_percent"] <= TARGET_CPU_PERCENT)),
        (f"{cookers} cookers cooking: RSS",
         f"{load['rss_mb']:.1f} MiB (peak {load['peak_rss_mb']:.1f})",
         f"≤ {TARGET_RSS_MB:g} MiB", verdict(load["rss_mb"] <= TARGET_RSS_MB)),
        ("state messages delivered", f"{load['state_messages_per_s']:.1f}/s", "", ""),
    ]  # fmt: skip
    report(NAME, rows, {"idle": idle, "load": load})
    return {"idle": idle, "load": load}


def _idle_rows(idle: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [
        ("idle, 1 cooker: RSS", f"{idle['rss_mb']:.1f} MiB", f"≤ {TARGET_IDLE_RSS_MB:g} MiB",
         verdict(idle["rss_mb"] <= TARGET_IDLE_RSS_MB)),
        ("idle, 1 cooker: CPU", f"{idle['cpu_percent']:.2f} % of a core", "", ""),
    ]  # fmt: skip


if __name__ == "__main__":
    main()
