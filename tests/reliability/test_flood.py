"""A flood of valid commands on one cooker: the cloud sees the configured rate, others still work.

The bridge runs as its own process (``anova-mqtt-bridge run``, JSON logs to a
file), as in production, so what is measured is the bridge, not the test's
own MQTT clients sharing its interpreter. A separate process
(``flood_client.py``, driving Mosquitto's C clients so the load generator
leaves the bridge its CPU) sends QoS 1 ``set_timer`` commands to one
cooking cooker at a fixed rate, while this test keeps using two other
cookers and samples the bridge process's memory. The per-cooker token bucket (5/s,
bursts of 10: the defaults) decides what reaches the cloud; everything else
must be answered ``RATE_LIMITED``.

The issue's flood, 10 000 commands/s for 10 s, runs in CI as it is (not
scaled by ``RELIABILITY_SCALE``: a much longer flood at that rate outgrows
the bridge's command inbox by design, docs/reliability.md "Known limits").
It is more than the bridge answers; a 1 000/s run checks the same promises
well inside capacity. In both the other cookers' commands are answered
within 1 s.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bridge.settings import RateLimitSettings
from bridge.simulator import DEMO_TOKEN, CloudSimulator
from tests.reliability.conftest import Broker, answered, simulator
from tests.reliability.flood_client import FloodPlan, run
from tests.support.daemon import ensure_stopped, spawn_daemon, write_daemon_config
from tests.support.probe import MqttProbe
from tests.support.waiting import async_wait_until

pytestmark = [pytest.mark.integration, pytest.mark.slow]

LIMITS = RateLimitSettings()  # the defaults: 5 per second, bursts of 10
OTHERS_EVERY_S = 0.5  # pacing of the other cookers' user: one command per half second
RSS_LIMIT = 50 * 1024 * 1024
OTHERS_WITHIN_S = 1.0


@dataclass
class FloodRig:
    """The bridge process, the simulator and the other cookers' user."""

    sim: CloudSimulator
    probe: MqttProbe
    port: int
    pid: int
    topic_ids: list[str]  # in the simulator's cooker order

    def topic(self, index: int, kind: str) -> str:
        return f"anova/{self.topic_ids[index]}/{kind}"

    async def command(self, index: int, body: dict[str, Any], timeout: float = 30) -> Any:
        """Publish to cooker ``index`` and wait for the answer with the same request_id."""
        self.probe.publish(self.topic(index, "set"), body)
        reply = await self.probe.until(
            self.topic(index, "response"),
            lambda b: isinstance(b, dict) and b.get("request_id") == body["request_id"],
            timeout=timeout,
        )
        return reply.json()


@contextlib.asynccontextmanager
async def flood_rig(tmp_path: Path) -> AsyncIterator[FloodRig]:
    broker = Broker(tmp_path)
    broker.start()
    sim = simulator(3, ("a7", "a5", "a7"))
    await sim.start()
    config = write_daemon_config(
        tmp_path,
        mqtt_url=broker.url,
        anova_url=sim.ws_url,
        token=DEMO_TOKEN,
        client_id="flood-bridge",
        anova_extra=", command_timeout: 3",
    )
    probe = MqttProbe(broker.port)
    probe.subscribe("anova/bridge/info", "anova/bridge/response/+")
    with (tmp_path / "bridge.log").open("wb") as log:
        proc = await spawn_daemon(config, stdout=log, stderr=log)
    try:
        info = await probe.until(
            "anova/bridge/info", lambda b: b and len(b["devices"]) == 3, timeout=20
        )
        by_cooker = {d["cooker_id"]: d["id"] for d in info.json()["devices"]}
        rig = FloodRig(
            sim,
            probe,
            broker.port,
            proc.pid,
            [by_cooker[c.cooker_id] for c in sim.cookers],
        )
        for index in (1, 2):  # never the flooded cooker's: the flood client counts those
            probe.subscribe(rig.topic(index, "response"))
        await answered(rig)
        await start_cooks(rig)
        yield rig
    finally:
        await ensure_stopped(proc)
        probe.close()
        await sim.stop()
        broker.stop()


async def start_cooks(rig: FloodRig) -> None:
    # The probe does not watch the flooded cooker's answers (the flood client
    # counts those), so its start is confirmed at the cloud instead.
    for index in range(3):
        body = {"action": "start", "temperature": 60, "request_id": f"start-{index}"}
        if index == 0:
            rig.probe.publish(rig.topic(0, "set"), body)
            await async_wait_until(
                lambda: any(c.command.endswith("START") for c in rig.sim.received_commands),
                timeout=15,
                what="the flooded cooker's cook started",
            )
            continue
        response = await rig.command(index, body)
        assert response["status"] == "ok", response


@pytest.mark.parametrize(
    ("rate", "seconds"), [(10_000, 10.0), (1_000, 5.0)], ids=["10k-per-s", "1k-per-s"]
)
async def test_a_flood_on_one_cooker_is_held_to_the_rate_and_others_still_work(
    tmp_path: Path, rate: int, seconds: float
) -> None:
    async with flood_rig(tmp_path) as rig:
        flooded = rig.sim.cookers[0].cooker_id
        before = len(rig.sim.received_commands)
        plan = FloodPlan(rig.port, rig.topic_ids[0], rate, seconds)
        rss_before = process_rss(rig.pid)
        tally, latencies, rss_peak = await flood(rig, plan)

        sent = tally["sent"]
        at_cloud = [
            c for c in rig.sim.received_commands[before:] if c.payload["cookerId"] == flooded
        ]
        growth = rss_peak - rss_before
        print(
            f"\nflood {rate}/s x {seconds:g} s: {sent} sent, broker took them in "
            f"{tally['publish_s']:.1f} s ({sent / tally['publish_s']:.0f}/s), all answered after "
            f"{tally['drain_s']:.1f} s ({sent / tally['drain_s']:.0f}/s); {len(at_cloud)} reached "
            f"the cloud; other cookers: {len(latencies)} commands, max "
            f"{max(latencies):.2f} s; bridge RSS {rss_before / 1e6:.0f} -> peak "
            f"{rss_peak / 1e6:.0f} MB"
        )
        assert tally["responses"] == sent, "every command answered or refused, once"
        assert set(tally["codes"]) <= {"ok", "RATE_LIMITED"}, tally["codes"]
        assert len(at_cloud) == tally["codes"].get("ok", 0)
        assert_rate_held([c.at.timestamp() for c in at_cloud])
        # Above what the bridge can answer (7 000-9 900 a second here) the
        # flood's backlog waits in the bridge's per-cooker inbox, not ahead of
        # the other cookers' commands.
        assert max(latencies) < OTHERS_WITHIN_S, latencies
        assert growth < RSS_LIMIT, f"RSS grew {growth / 1e6:.0f} MB"


def assert_rate_held(times: list[float]) -> None:
    """In any span of t seconds the cloud got at most burst + rate * t commands (±1 for clocks)."""
    for i, first in enumerate(times):
        for j in range(i, len(times)):
            allowed = LIMITS.burst + LIMITS.per_second * (times[j] - first) + 1
            assert j - i + 1 <= allowed, f"{j - i + 1} commands in {times[j] - first:.2f} s"


def process_rss(pid: int) -> int:
    """Resident memory of process ``pid`` in bytes (``VmRSS``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmRSS for {pid}")


async def flood(rig: FloodRig, plan: FloodPlan) -> tuple[dict[str, Any], list[float], int]:
    """Run the flood client; meanwhile use cookers 1 and 2 and sample RSS. Returns its tally."""
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    results: Any = context.Queue()
    worker = context.Process(target=run, args=(plan, ready, results), daemon=True)
    worker.start()
    latencies: list[float] = []
    rss_peak = 0
    try:
        await async_wait_until(ready.is_set, timeout=30, what="flood client ready")
        n = 0
        while results.empty() and worker.is_alive():
            n += 1
            body = {
                "action": "set_temperature",
                "temperature": 60 + n % 20 / 2,
                "request_id": f"o{n}",
            }
            began = time.monotonic()
            response = await rig.command(1 + n % 2, body, timeout=90)
            latencies.append(time.monotonic() - began)
            assert response["status"] == "ok", response
            rss_peak = max(rss_peak, process_rss(rig.pid))
            await asyncio.sleep(OTHERS_EVERY_S)
        # A worker that died (a client missing, the broker gone) says so here,
        # instead of this loop running on until the test's timeout.
        tally: dict[str, Any] = await asyncio.to_thread(results.get, timeout=10)
    finally:
        await asyncio.to_thread(worker.join, 10)
        if worker.is_alive():
            worker.kill()
        results.close()
    return tally, latencies, rss_peak
