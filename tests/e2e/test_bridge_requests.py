"""``bridge/request/<action>`` is rate limited, and ``republish_discovery`` cannot be spammed.

The service's request handler gets a clock the test moves, so the limits are
checked exactly; everything else is the real stack over a real broker.
"""

from __future__ import annotations

from typing import Any

import pytest

from bridge.service.requests import REPUBLISH_INTERVAL_S, BridgeRequests
from tests.e2e.conftest import Stack
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.integration


class FrozenClock:
    """Monotonic time that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def frozen_requests(stack: Stack) -> FrozenClock:
    clock = FrozenClock()
    service = stack.service
    service.requests = BridgeRequests(
        service.reports,
        service.outbound,
        service.directory,
        service.homeassistant,
        service.settings.rate_limit,
        clock=clock,
    )
    return clock


async def ask(stack: Stack, action: str, count: int, prefix: str) -> list[Any]:
    """Send ``count`` requests; return their answers in order of transaction."""
    topic = f"anova/bridge/response/{action}"
    for n in range(count):
        stack.probe.publish(f"anova/bridge/request/{action}", {"transaction": f"{prefix}{n}"})

    def answered() -> list[Any] | None:
        bodies = {m.json()["transaction"]: m.json() for m in stack.probe.on(topic)}
        mine = [bodies.get(f"{prefix}{n}") for n in range(count)]
        return mine if all(mine) else None

    return await async_wait_until(answered, timeout=15, what=f"{count} answers to {action}")


async def test_a_request_flood_gets_rate_limited_answers_beyond_the_burst(stack: Stack) -> None:
    frozen_requests(stack)
    answers = await ask(stack, "health_check", 25, "h")
    assert [a["status"] for a in answers] == ["ok"] * 10 + ["error"] * 15
    refusal = answers[-1]["error"]
    assert refusal["code"] == "RATE_LIMITED"
    assert "at most 5 per second (bursts of 10)" in refusal["message"]
    assert len(stack.probe.on("anova/bridge/response/health_check")) == 25, "each answered once"


async def test_republish_discovery_runs_at_most_once_per_interval(stack: Stack) -> None:
    clock = frozen_requests(stack)
    stack.probe.subscribe("homeassistant/device/+/config")
    cooker_id = stack.sim.cookers[0].cooker_id
    config_topic = f"homeassistant/device/{cooker_id}/config"
    await stack.probe.until(config_topic, lambda body: isinstance(body, dict))
    stack.probe.clear()

    first, second = await ask(stack, "republish_discovery", 2, "r")
    assert first["status"] == "ok", first
    assert second["error"]["code"] == "RATE_LIMITED"
    assert "republished 0.0 s ago" in second["error"]["message"]
    await stack.probe.until(config_topic, lambda body: isinstance(body, dict))

    clock.now += REPUBLISH_INTERVAL_S
    (third,) = await ask(stack, "republish_discovery", 1, "later")
    assert third["status"] == "ok", third
    await async_wait_until(
        lambda: len(stack.probe.on(config_topic)) == 2, timeout=10, what="second republish"
    )
