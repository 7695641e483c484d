"""Soak: hours of simulated cooking on 50 cookers with a steady command stream (`make soak`).

The bridge runs as its own process (``anova-mqtt-bridge run``, default
config, JSON logs to a file) against a private mosquitto and the cloud
simulator running 60× fast, so two hours of wall time are five days of
cooking: cooks start, preheat, time out, hold and are stopped over and
over. A user client sends one command every ``1/--rate`` s, round robin
over the cookers (start on an idle cooker, else change the target or the
timer, sometimes stop), and watches every cooker's retained state.

Every ``--sample`` s it records the bridge's RSS and CPU, the commands
sent and answered, and the age of the stalest cooker state. It passes when
RSS at the end is within 10 % of RSS after the warm-up, no cooker's state
went quiet for longer than ``--stuck-after`` s, and every command was
answered. Figures go to stdout and ``bench/results/soak-<date>.csv``.

    python -m bench.soak                      # 2 h wall, 50 cookers, 60x
    python -m bench.soak --duration 600       # the 10-minute version (10 h simulated)
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import json
import random
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bench.common import (
    RESULTS,
    BridgeProcess,
    Watcher,
    bridge_config,
    cpu_seconds,
    machine,
    private_broker,
    rss_mb,
    wait_for,
)
from bridge.logs import configure_logging
from bridge.simulator import DEMO_TOKEN, CloudSimulator, SimClock

GROWTH_LIMIT = 0.10


@dataclass
class Observed:
    """What the user client has seen; written by paho's thread, read by the loop."""

    state_at: dict[str, float] = field(default_factory=dict)  # topic id -> monotonic
    cooking: dict[str, bool] = field(default_factory=dict)
    answered: set[str] = field(default_factory=set)
    codes: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def on_message(self, topic: str, payload: bytes, _retain: bool, _stamp: int) -> None:
        levels = topic.split("/")
        try:
            body = json.loads(payload)
        except ValueError:
            return
        with self.lock:
            if levels[2] == "state":
                self.state_at[levels[1]] = time.monotonic()
                self.cooking[levels[1]] = body.get("cook") is not None
            elif levels[2] == "response":
                self.answered.add(str(body.get("request_id")))
                self.codes[body.get("error", {}).get("code", "ok")] += 1


def next_command(topic_id: str, cooking: bool, rng: random.Random, n: int) -> dict[str, Any]:
    """A valid command that moves a cook along: start when idle, else change or stop it."""
    request = {"request_id": f"soak-{n}"}
    if not cooking:
        minutes = rng.randrange(30, 240)
        return {"action": "start", "temperature": 58 + rng.randrange(10), **request} | {
            "time_minutes": minutes
        }
    roll = rng.random()
    if roll < 0.1:
        return {"action": "stop", **request}
    if roll < 0.55:
        return {"action": "set_temperature", "temperature": 58 + rng.randrange(10), **request}
    return {"action": "set_timer", "time_minutes": rng.randrange(30, 240), **request}


async def soak(args: argparse.Namespace) -> int:
    configure_logging("warning", json=True)
    rng = random.Random(args.seed)
    with private_broker() as broker:
        sim = CloudSimulator(
            token=DEMO_TOKEN,
            cookers=args.cookers,
            types=["a7", "a5", "a3", "a6"],
            clock=SimClock(speed=args.speed),
            push_interval=2.0,
        )
        await sim.start()
        bridge = BridgeProcess(bridge_config(broker, sim))
        seen = Observed()
        watcher = Watcher(broker.port, seen.on_message)
        try:
            watcher.subscribe("anova/+/state", "anova/+/response")
            bridge.start()
            await wait_for(
                lambda: len(seen.state_at) >= args.cookers, 60, "every cooker's state", bridge
            )
            rows = await run(args, bridge, watcher, seen, rng)
        finally:
            watcher.close()
            code = await bridge.stop()
            await sim.stop()
    return summarise(args, rows, seen, code)


async def run(
    args: argparse.Namespace, bridge: BridgeProcess, watcher: Watcher, seen: Observed, rng: Any
) -> list[dict[str, Any]]:
    ids = sorted(seen.state_at)
    began = time.monotonic()
    next_sample = began
    sent = 0
    rows: list[dict[str, Any]] = []
    while (now := time.monotonic()) - began < args.duration:
        bridge.check_alive()
        topic_id = ids[sent % len(ids)]
        with seen.lock:
            cooking = seen.cooking.get(topic_id, False)
        body = next_command(topic_id, cooking, rng, sent)
        watcher.client.publish(f"anova/{topic_id}/set", json.dumps(body), qos=1)
        sent += 1
        if now >= next_sample:
            rows.append(sample(bridge, seen, now - began, sent, args.speed))
            print_row(rows[-1])
            next_sample += args.sample
        await asyncio.sleep(1 / args.rate)  # pacing: a steady stream, not a benchmark
    await wait_for(lambda: len(seen.answered) >= sent, 30, "the last answers", bridge)
    rows.append(sample(bridge, seen, time.monotonic() - began, sent, args.speed))
    print_row(rows[-1])
    return rows


def sample(
    bridge: BridgeProcess, seen: Observed, wall_s: float, sent: int, speed: float
) -> dict[str, Any]:
    now = time.monotonic()
    with seen.lock:
        oldest = max(now - at for at in seen.state_at.values())
        answered = len(seen.answered)
        errors = sum(n for code, n in seen.codes.items() if code != "ok")
        cooking = sum(seen.cooking.values())
    return {
        "wall_s": round(wall_s, 1),
        "sim_h": round(wall_s * speed / 3600, 2),
        "rss_mb": round(rss_mb(bridge.pid), 1),
        "cpu_s": round(cpu_seconds(bridge.pid), 1),
        "sent": sent,
        "answered": answered,
        "errors": errors,
        "cooking": cooking,
        "oldest_state_s": round(oldest, 1),
    }


def print_row(row: dict[str, Any]) -> None:
    print("  ".join(f"{key}={value}" for key, value in row.items()), flush=True)


def summarise(
    args: argparse.Namespace, rows: list[dict[str, Any]], seen: Observed, code: int
) -> int:
    warm = next((r for r in rows if r["wall_s"] >= args.warm_up), rows[0])
    end = rows[-1]
    growth = (end["rss_mb"] - warm["rss_mb"]) / warm["rss_mb"]
    stalest = max(r["oldest_state_s"] for r in rows)
    checks = {
        f"RSS growth {growth:+.1%} (after {warm['wall_s']:.0f} s warm-up) < {GROWTH_LIMIT:.0%}": (
            growth < GROWTH_LIMIT
        ),
        f"stalest cooker state {stalest:.0f} s <= {args.stuck_after:.0f} s": (
            stalest <= args.stuck_after
        ),
        f"answered {end['answered']} of {end['sent']} commands": end["answered"] >= end["sent"],
        f"bridge exit code {code} on SIGTERM": code == 0,
    }
    RESULTS.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"soak-{stamp}.csv"
    with path.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"\n== soak: {args.cookers} cookers, {args.duration:g} s wall at {args.speed:g}x ==")
    print(f"machine: {json.dumps(machine())}")
    print(f"simulated: {end['sim_h']} h; bridge CPU {end['cpu_s']} s; codes {dict(seen.codes)}")
    for text, ok in checks.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")
    print(f"samples: {path}")
    return 0 if all(checks.values()) else 1


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=7200, help="wall seconds (7200)")
    parser.add_argument("--speed", type=float, default=60, help="simulated s per real s (60)")
    parser.add_argument("--cookers", type=int, default=50)
    parser.add_argument("--rate", type=float, default=2, help="commands per second (2)")
    parser.add_argument("--sample", type=float, default=10, help="seconds between samples")
    parser.add_argument("--warm-up", type=float, default=60, help="seconds before the baseline")
    parser.add_argument("--stuck-after", type=float, default=150, help="max state age, s")
    parser.add_argument("--seed", type=int, default=6)
    return parser.parse_args(argv)


def main() -> None:
    sys.exit(asyncio.run(soak(parse_args())))


if __name__ == "__main__":
    main()
