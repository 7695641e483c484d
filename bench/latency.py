"""Command latency: MQTT publish of a valid command → the command arriving at the cloud.

The bridge runs as its own process (``anova-mqtt-bridge run``); the
broker is a private mosquitto; the publisher, a plain subscriber and the
cloud simulator live in this process. Both ends of every interval are
therefore stamped here with ``time.perf_counter_ns`` — one clock, no
cross-process clock reasoning — and the bridge pays the real costs of a
separate process (two extra socket hops through the broker and WebSocket).

Per round, interleaved so both see the same machine state:

1. plain: publish QoS 1 on ``bench/rt`` → received by a second client;
2. ``start`` (60 °C) on the cooker's ``set`` topic → the simulator records
   it (stamped as it is appended to ``received_commands``, i.e. after the
   simulator parsed it); then the bridge's ``ok`` response is awaited
   (the bridge answers only once the cooker's state confirms the start);
3. ``stop``, the same way, so the next ``start`` is valid again.

The rate limit is lifted and rounds are spaced by ``--spacing`` so no
command ever waits in a lane: this is the latency of an unloaded path.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from bench.common import (
    BridgeProcess,
    Watcher,
    bridge_config,
    percentile,
    private_broker,
    report,
    simulator,
    verdict,
    wait_for,
)

NAME = "latency"
TARGET_P50_MS, TARGET_P99_MS = 1.0, 3.0
NO_RATE_LIMIT = "rate_limit: {per_second: 1000000, burst: 1000000}\n"


class StampedCommands(list[Any]):
    """Stands in for ``sim.received_commands``: stamps each command as it is recorded."""

    def __init__(self) -> None:
        super().__init__()
        self.next: asyncio.Future[int] | None = None

    def append(self, item: Any) -> None:
        stamp = time.perf_counter_ns()
        super().append(item)
        if self.next is not None and not self.next.done():
            self.next.set_result(stamp)


class Rounds:
    """Futures the paho threads resolve on the loop, one outstanding message at a time."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.pending: dict[str, asyncio.Future[tuple[int, bytes]]] = {}

    def expect(self, key: str) -> asyncio.Future[tuple[int, bytes]]:
        future: asyncio.Future[tuple[int, bytes]] = self.loop.create_future()
        self.pending[key] = future
        return future

    def on_message(self, topic: str, payload: bytes, _retain: bool, stamp: int) -> None:
        key = "rt" if topic == "bench/rt" else _request_id(payload)
        future = self.pending.pop(key, None)
        if future is not None:
            self.loop.call_soon_threadsafe(_resolve, future, (stamp, payload))


def _resolve(future: asyncio.Future[tuple[int, bytes]], value: tuple[int, bytes]) -> None:
    if not future.done():
        future.set_result(value)


def _request_id(payload: bytes) -> str:
    try:
        return str(json.loads(payload).get("request_id"))
    except (ValueError, AttributeError):
        return ""


class Rig:
    """The publisher and the two ways of noticing a message arrived."""

    def __init__(self, publisher: mqtt.Client, waits: Rounds, commands: StampedCommands) -> None:
        self.publisher = publisher
        self.waits = waits
        self.commands = commands
        self.set_topic = ""

    async def plain(self) -> float:
        """One QoS 1 publish → receipt by the other client, in ms."""
        arrived = self.waits.expect("rt")
        sent = time.perf_counter_ns()
        self.publisher.publish("bench/rt", b"x", qos=1)
        received, _ = await asyncio.wait_for(arrived, 10)
        return (received - sent) / 1e6

    async def command(self, action: str, index: int) -> tuple[float, float]:
        """Publish ``action``; ms to the simulator and to the bridge's ``ok`` response."""
        request_id = f"{action}-{index}"
        body: dict[str, Any] = {"action": action, "request_id": request_id}
        if action == "start":
            body["temperature"] = 60
        self.commands.next = self.waits.loop.create_future()
        answer = self.waits.expect(request_id)
        sent = time.perf_counter_ns()
        self.publisher.publish(self.set_topic, json.dumps(body), qos=1)
        at_cloud = await asyncio.wait_for(self.commands.next, 10)
        answered, payload = await asyncio.wait_for(answer, 20)
        if json.loads(payload).get("status") != "ok":
            raise RuntimeError(f"{action} refused: {payload!r}")
        return (at_cloud - sent) / 1e6, (answered - sent) / 1e6


async def measure(rig: Rig, rounds: int, warmup: int, spacing: float) -> dict[str, list[float]]:
    """Interleaved plain/start/stop rounds; the first ``warmup`` are not recorded."""
    samples: dict[str, list[float]] = {"plain": [], "start": [], "stop": [], "ack": []}
    for index in range(warmup + rounds):
        plain = await rig.plain()
        start_ms, ack_ms = await rig.command("start", index)
        await asyncio.sleep(spacing)
        stop_ms, _ = await rig.command("stop", index)
        await asyncio.sleep(spacing)
        if index >= warmup:
            for name, value in (("plain", plain), ("start", start_ms), ("stop", stop_ms),
                                ("ack", ack_ms)):  # fmt: skip
                samples[name].append(value)
    return samples


async def run(rounds: int, warmup: int, spacing: float) -> dict[str, Any]:
    """Set up broker, simulator, bridge process and clients; measure; tear down."""
    with private_broker() as broker:
        async with simulator(1, ("a7",)) as sim:
            commands = StampedCommands()
            sim.received_commands = commands
            waits = Rounds(asyncio.get_running_loop())
            states: dict[str, bytes] = {}
            watcher = Watcher(broker.port, waits.on_message)

            def keep_first_state(_c: mqtt.Client, _u: Any, m: mqtt.MQTTMessage) -> None:
                states.setdefault(m.topic, bytes(m.payload))

            watcher.client.message_callback_add("anova/+/state", keep_first_state)
            watcher.subscribe("bench/rt", "anova/+/response", "anova/+/state")
            publisher = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2)
            publisher.connect("127.0.0.1", broker.port)
            publisher.loop_start()
            bridge = BridgeProcess(bridge_config(broker, sim, NO_RATE_LIMIT))
            bridge.start()
            try:
                await wait_for(lambda: states, 30, "the cooker's state", bridge)
                rig = Rig(publisher, waits, commands)
                rig.set_topic = next(iter(states)).rsplit("/", 1)[0] + "/set"
                samples = await measure(rig, rounds, warmup, spacing)
            finally:
                publisher.disconnect()
                publisher.loop_stop()
                watcher.close()
                await bridge.stop()
    return samples_summary(samples)


def samples_summary(samples: dict[str, list[float]]) -> dict[str, Any]:
    """p50/p99/max per series, in milliseconds."""
    return {
        name: {
            "n": len(values),
            "p50_ms": round(percentile(values, 50), 4),
            "p99_ms": round(percentile(values, 99), 4),
            "max_ms": round(max(values), 4),
        }
        for name, values in samples.items()
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark, print the table, write ``bench/results/latency.json``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1000, help="start+stop rounds (1000)")
    parser.add_argument("--warmup", type=int, default=50, help="unrecorded first rounds (50)")
    parser.add_argument("--spacing", type=float, default=0.002, help="seconds between commands")
    parser.add_argument("--quick", action="store_true", help="30 rounds, for the smoke test")
    args = parser.parse_args(argv)
    rounds, warmup = (30, 5) if args.quick else (args.rounds, args.warmup)
    stats = asyncio.run(run(rounds, warmup, args.spacing))
    plain, start, stop = stats["plain"], stats["start"], stats["stop"]
    ratio = start["p50_ms"] / plain["p50_ms"]
    rows = [
        ("plain QoS 1 round trip p50 / p99", _pair(plain), "", ""),
        ("start → cloud p50", f"{start['p50_ms']:.3f} ms", f"≤ {TARGET_P50_MS:g} ms",
         verdict(start["p50_ms"] <= TARGET_P50_MS)),
        ("start → cloud p99", f"{start['p99_ms']:.3f} ms", f"≤ {TARGET_P99_MS:g} ms",
         verdict(start["p99_ms"] <= TARGET_P99_MS)),
        ("stop → cloud p50 / p99", _pair(stop), "", ""),
        ("start → confirmed response p50 / p99", _pair(stats["ack"]), "", ""),
        ("ratio start p50 / plain p50", f"{ratio:.1f}×", "", ""),
    ]  # fmt: skip
    data = {"rounds": rounds, "warmup": warmup, "spacing_s": args.spacing, "ratio_p50": ratio}
    report(NAME, rows, {**data, "series": stats})
    return stats


def _pair(series: dict[str, Any]) -> str:
    return f"{series['p50_ms']:.3f} / {series['p99_ms']:.3f} ms"


if __name__ == "__main__":
    main()
