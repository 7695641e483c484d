"""100 000 bad messages on every command topic: each answered with an error, none sent on.

The corpus (``corpus.py``) mixes hypothesis-generated messages with seeded
raw random bytes: huge (to 1 MB), binary, unicode, deeply nested and
retained payloads. A separate process (``fuzz_client.py``) publishes them
through the real broker at QoS 0 (retained ones at QoS 1, as a retained
command would be sent) with at most WINDOW messages unanswered, and counts
the answers: a client flooding faster than the bridge answers would only
fill the broker's queue (the flood suite covers that).
"""

from __future__ import annotations

import asyncio
import multiprocessing
from pathlib import Path
from typing import Any

import pytest

from tests.reliability.conftest import (
    SEED,
    full_stack,
    production_logging,
    scaled,
    settled_rss,
)
from tests.reliability.fuzz_client import RESPONSE_TOPICS, Plan, run
from tests.support.probe import MqttProbe
from tests.support.waiting import async_wait_until

pytestmark = [pytest.mark.integration, pytest.mark.slow]

WINDOW = 2000
RSS_GROWTH_LIMIT = 20 * 1024 * 1024
WARM_UP = 5_000  # messages before the baseline RSS: first-use caches, paho buffers


async def test_a_hundred_thousand_bad_messages_are_each_refused_and_never_reach_the_cloud(
    tmp_path: Path,
) -> None:
    limits = {"per_second": 1e6, "burst": 1_000_000}  # validation codes, not RATE_LIMITED
    async with full_stack(
        tmp_path,
        cookers=2,
        types=("a7", "a5"),
        watch=RESPONSE_TOPICS,
        rate_limit=limits,
    ) as stack:
        # The fuzz client counts the answers. Stored here, each paho message
        # costs ~6 KB (an MQTT 5 Properties object apiece): 80 000 of them
        # would swamp the RSS being measured, and parsing them would slow the bridge.
        stack.probe.client.unsubscribe(list(RESPONSE_TOPICS))
        device_ids = tuple(sorted(c.topic_id for c in stack.service.cookers.values()))
        plan = Plan(
            port=stack.broker.port,
            device_ids=device_ids,
            total=scaled(100_000),
            hypothesis=scaled(5_000),
            seed=SEED,
            window=WINDOW,
            warm_up=WARM_UP,
        )
        with production_logging():
            tally, rss_before, rss_after = await fuzz(plan)
        print("dropped", stack.service.mqtt.stats.dropped, tally["responses"], tally["answered"])

        codes = dict(tally["codes"])
        codes["UNKNOWN_ACTION"] -= 1  # the end marker
        assert tally["sent"] == plan.total
        assert tally["responses"] == tally["answered"], "exactly one answer per message"
        assert "ok" not in codes, "no bad message was accepted"
        assert "?" not in codes, "every answer is a readable response"
        assert stack.sim.received_commands == [], "nothing reached the cloud"
        assert stack.service.mqtt.stats.dropped == 0, "no answer dropped by the bridge"
        assert not stack.runner.done()
        assert stack.service.mqtt.stats.reconnects == 0
        growth = rss_after - rss_before
        assert growth < RSS_GROWTH_LIMIT, f"RSS grew {growth / 1e6:.1f} MB"
        await still_works(stack.broker.port, device_ids[0])
        print(
            f"\nfuzz: {tally['sent']} messages ({tally['hypothesis']} from hypothesis, "
            f"made in {tally['generation_s']:.1f} s), {tally['answered']} answered, "
            f"{tally['retained']} retained, {tally['huge']} over 64 KiB, "
            f"{tally['skipped_valid']} valid ones skipped; {tally['elapsed_s']:.1f} s = "
            f"{tally['sent'] / tally['elapsed_s']:.0f} msg/s; bridge RSS "
            f"{rss_before / 1e6:.1f} -> {rss_after / 1e6:.1f} MB; topics {tally['by_kind']}; "
            f"codes {codes}"
        )


async def fuzz(plan: Plan) -> tuple[dict[str, Any], int, int]:
    """Run the client process; RSS of this (the bridge's) process after warm-up and at the end."""
    context = multiprocessing.get_context("spawn")
    warmed, go_on = context.Event(), context.Event()
    results: Any = context.Queue()
    worker = context.Process(target=run, args=(plan, warmed, go_on, results), daemon=True)
    worker.start()
    try:
        await async_wait_until(warmed.is_set, timeout=60, what="warm-up messages answered")
        rss_before = settled_rss()
        go_on.set()
        await async_wait_until(lambda: not results.empty(), timeout=90, what="fuzz client done")
        tally: dict[str, Any] = results.get()
        rss_after = settled_rss()
    finally:
        await asyncio.to_thread(worker.join, 10)
        if worker.is_alive():
            worker.kill()
        results.close()
    return tally, rss_before, rss_after


async def still_works(port: int, topic_id: str) -> None:
    """After the storm a real user's start still runs, once."""
    user = MqttProbe(port)
    try:
        user.subscribe(f"anova/{topic_id}/response")
        user.publish(
            f"anova/{topic_id}/set", {"action": "start", "temperature": 60, "request_id": "real"}
        )
        reply = await user.until(
            f"anova/{topic_id}/response", lambda b: b and b.get("request_id") == "real"
        )
        assert reply.json()["status"] == "ok", reply.json()
    finally:
        user.close()
