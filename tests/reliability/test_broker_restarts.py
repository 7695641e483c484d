"""Twenty broker crashes during a cook, with a user sending QoS 1 commands throughout.

The broker is persistent (sessions, subscriptions and queued QoS 1 messages
survive a SIGKILL), as in a real deployment. A user script with a persistent
session sends ``set_timer`` commands with unique timer values, so every
execution the cloud sees can be traced back to exactly one command even
though the bridge sends its own cloud request ids.
"""

from __future__ import annotations

import asyncio
import functools
import json
import random
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.reliability.conftest import (
    SEED,
    Broker,
    TimedProbe,
    bridge_running,
    scaled,
    simulator,
)
from tests.support.probe import MqttProbe
from tests.support.waiting import async_wait_until

pytestmark = [pytest.mark.integration, pytest.mark.slow]

FIRST_TIMER_MINUTES = 30
SEND_EVERY_S = 0.2  # pacing of the user's script: ~5 commands/s, a busy but human rate
RECONNECT_LIMIT_S = 5.0


class CommandSender:
    """The user's script: one ``set_timer`` every SEND_EVERY_S, never waiting for the broker."""

    def __init__(self, probe: MqttProbe, topic: str) -> None:
        self.probe = probe
        self.topic = topic
        self.sent: list[int] = []

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            minutes = FIRST_TIMER_MINUTES + len(self.sent)
            body = {"action": "set_timer", "time_minutes": minutes, "request_id": f"t{minutes}"}
            # QoS 1 publish while the broker is down is queued by paho and sent
            # (again, with DUP) after the reconnect: exactly what a real script gets.
            self.probe.client.publish(self.topic, json.dumps(body), qos=1)
            self.sent.append(minutes)
            await asyncio.sleep(SEND_EVERY_S)


def live_online_since(probe: TimedProbe, since: float) -> float | None:
    """When the bridge's ``online`` was first forwarded live (not a retained replay)."""
    for at, topic, payload, retained in probe.arrivals:
        live = payload == b"online" and not retained
        if at >= since and topic == "anova/bridge/availability" and live:
            return at
    return None


async def test_twenty_broker_crashes_lose_nothing_and_run_nothing_twice(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    outages = scaled(20)
    broker = Broker(tmp_path, persistent=True)
    broker.start()
    sim = simulator()
    await sim.start()
    user = TimedProbe(broker.port, client_id="user-script")
    user.client.reconnect_delay_set(0.1, 0.5)  # type: ignore[arg-type]  # paho: int hint, float ok
    # Commands are paced under the limit; this test is about delivery, not refusal.
    limits = {"per_second": 50, "burst": 100}
    try:
        async with bridge_running(broker, sim, probe=user, rate_limit=limits) as stack:
            start = await stack.command(
                0, {"action": "start", "temperature": 60, "request_id": "go"}
            )
            assert start["status"] == "ok", start
            sender = CommandSender(user, stack.topic(0, "set"))
            stop_sending = asyncio.Event()
            sending = asyncio.create_task(sender.run(stop_sending))
            latencies: list[float] = []
            for _ in range(outages):
                await asyncio.sleep(rng.uniform(0.2, 0.8))  # broker up: let commands flow
                broker.kill()
                await async_wait_until(
                    lambda: not stack.service.mqtt.connected, timeout=10, what="bridge sees loss"
                )
                await asyncio.sleep(rng.uniform(0.1, 1.0))  # outage length
                started = time.monotonic()
                await asyncio.to_thread(broker.start)
                back = await async_wait_until(
                    functools.partial(live_online_since, user, started),
                    timeout=RECONNECT_LIMIT_S,
                    what=f"bridge online within {RECONNECT_LIMIT_S} s of the broker starting",
                )
                latencies.append(back - started)
            stop_sending.set()
            await sending

            await assert_each_command_answered(user, stack.topic(0, "response"), sender.sent)
            assert_each_command_executed_once(sim, sender.sent)
            await assert_retained_state_matches(broker, sim, stack.topic(0, "state"))
            print_figures(outages, sender.sent, latencies, stack.service.mqtt.stats.reconnects)
    finally:
        await sim.stop()
        broker.stop()


async def assert_each_command_answered(probe: MqttProbe, topic: str, sent: list[int]) -> None:
    wanted = {f"t{minutes}" for minutes in sent}

    def answered() -> set[str]:
        return {m.json().get("request_id") for m in probe.on(topic)} & wanted

    await async_wait_until(
        lambda: answered() == wanted,
        timeout=30,
        what=f"a response to each of {len(sent)} commands",
    )
    bodies = [m.json() for m in probe.on(topic) if m.json().get("request_id") in wanted]
    failures = [b for b in bodies if b["status"] != "ok"]
    assert not failures, failures[:5]


def assert_each_command_executed_once(sim, sent: list[int]) -> None:
    timers = Counter(
        c.payload["timer"] // 60 for c in sim.received_commands if c.command == "CMD_APC_SET_TIMER"
    )
    twice = {minutes: n for minutes, n in timers.items() if n > 1}
    missing = [minutes for minutes in sent if minutes not in timers]
    assert not twice, f"executed more than once: {twice}"
    assert not missing, f"never executed: {missing}"
    assert set(timers) == set(sent)
    starts = [c for c in sim.received_commands if c.command == "CMD_APC_START"]
    assert len(starts) == 1


async def assert_retained_state_matches(broker, sim, topic: str) -> None:
    """A newcomer (no session) reads the retained state: it must match the cloud."""
    cooker = sim.cookers[0]
    newcomer = MqttProbe(broker.port)
    try:
        newcomer.subscribe(topic)
        msg = await newcomer.until(topic, lambda body: body is not None, timeout=10)
        # The last command's state change may still be on its way; wait for it.
        msg = await newcomer.until(
            topic,
            lambda body: body["timer"]["total_s"] == cooker.timer_s,
            timeout=10,
        )
        state = msg.json()
    finally:
        newcomer.close()
    assert state["online"] is True
    assert state["state"] == cooker.phase
    assert state["target_temperature"] == round(cooker.setpoint_c, 1)
    assert state["cook"]["id"] == cooker.cook.cook_id
    assert abs(state["current_temperature"] - cooker.water_c) < 0.5


def print_figures(outages: int, sent: list[int], latencies: list[float], reconnects: int) -> None:
    latencies.sort()
    print(
        f"\nbroker restarts: {outages}, commands sent: {len(sent)}, bridge reconnects: "
        f"{reconnects}, reconnect latency median {latencies[len(latencies) // 2]:.2f} s, "
        f"max {latencies[-1]:.2f} s"
    )
