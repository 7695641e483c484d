"""Fifty cookers through a broker that enforces its CONNACK limits, as EMQX and HiveMQ do.

``StrictProxy`` sits between the bridge and Mosquitto, advertises HiveMQ's
Receive Maximum (10) and a 64 KiB Maximum Packet Size, and disconnects the
bridge on the first violation (0x93, 0x95). Before the bridge kept a send
window, its ~154 publishes at connect broke the link at once, and again on
every reconnect.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Stack, running_stack
from tests.support.strict_proxy import StrictLimits
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.integration

COOKERS = 50
HIVEMQ = StrictLimits(receive_maximum=10, maximum_packet_size=64 * 1024)


def answers(stack: Stack, request_prefix: str) -> dict[str, Any]:
    """Every response so far whose request_id starts with ``request_prefix``, by request_id."""
    found = {}
    for message in stack.probe.messages:
        if message.topic.endswith("/response"):
            body = message.json()
            if str(body.get("request_id", "")).startswith(request_prefix):
                found[body["request_id"]] = body
    return found


async def send_to_all(stack: Stack, prefix: str, body: dict[str, Any]) -> dict[str, Any]:
    """The same command to every cooker at once; waits for all the answers."""
    for index in range(COOKERS):
        stack.probe.publish(stack.topic(index, "set"), {**body, "request_id": f"{prefix}{index}"})

    def all_answered() -> dict[str, Any] | None:
        found = answers(stack, prefix)
        return found if len(found) == COOKERS else None

    return await async_wait_until(all_answered, timeout=60, what=f"{COOKERS} answers to {prefix}")


async def test_fifty_cookers_cook_through_a_strict_broker_without_a_disconnect(
    tmp_path: Path,
) -> None:
    async with running_stack(
        tmp_path, cookers=COOKERS, types=("a7", "a5", "a3", "a6"), strict=HIVEMQ
    ) as stack:
        proxy = stack.proxy
        assert proxy is not None
        stack.probe.subscribe("homeassistant/#")
        started = await send_to_all(
            stack, "start-", {"action": "start", "temperature": 60, "duration": "2h"}
        )
        assert {body["status"] for body in started.values()} == {"ok"}, started
        await stack.sim.advance(3600)
        for index in (0, 1, COOKERS - 1):
            await stack.state(index, lambda b: b and b.get("state") == "cooking", timeout=30)
        stopped = await send_to_all(stack, "stop-", {"action": "stop"})
        assert {body["status"] for body in stopped.values()} == {"ok"}, stopped
        # Answers go before retained publishes while the window is full, so
        # the last discovery configs may still be on their way.
        expected = {f"homeassistant/device/{c.cooker_id}/config" for c in stack.sim.cookers}
        await async_wait_until(
            lambda: expected <= {m.topic for m in stack.probe.messages},
            timeout=20,
            what="every cooker's discovery config",
        )

        assert proxy.violations == [], proxy.violations
        assert proxy.connacks == 1, "the bridge never had to reconnect"
        assert stack.service.mqtt.stats.reconnects == 0
        assert proxy.peak_in_flight <= 10
        assert stack.service.mqtt.stats.dropped == 0


async def test_commands_reach_the_bridge_on_a_broker_without_wildcard_subscriptions(
    tmp_path: Path,
) -> None:
    no_wildcards = StrictLimits(wildcard_subscription_available=False)
    async with running_stack(tmp_path, cookers=2, strict=no_wildcards) as stack:
        response = await stack.command(0, {"action": "start", "temperature": 61, "request_id": "w"})
        assert response["status"] == "ok", response
        stack.probe.publish(stack.topic(1, "set/timer"), "45")
        await stack.state(1, lambda b: b and b["timer"]["total_s"] == 2700)
        stack.probe.publish("anova/bridge/request/health_check", {"transaction": "t"})
        await stack.probe.until("anova/bridge/response/health_check", timeout=10)
        assert stack.proxy is not None
        assert stack.proxy.violations == [], stack.proxy.violations
        assert stack.proxy.connacks == 1


async def test_an_ovens_own_shortcuts_reach_it_on_a_broker_without_wildcards(
    tmp_path: Path,
) -> None:
    """Without wildcards each device's shortcut topics are subscribed one by one, the oven's too."""
    no_wildcards = StrictLimits(wildcard_subscription_available=False)
    async with running_stack(
        tmp_path,
        cookers=1,
        types=("a7",),
        ovens=("oven_v2",),
        strict=no_wildcards,
        anova={"offline_after": 120.0},
    ) as stack:
        stack.probe.publish(stack.oven_topic(0, "set/oven_mode"), "steam")
        stack.probe.publish(stack.oven_topic(0, "set/probe_target"), "63")
        kept = await stack.oven_state(
            0, lambda body: (body.get("next") or {}).get("probe_target") == 63.0
        )
        assert kept["next"]["oven_mode"] == "steam"
        assert stack.proxy is not None
        assert stack.proxy.violations == [], stack.proxy.violations


async def test_a_broker_without_retain_is_reported_in_bridge_info_and_still_works(
    tmp_path: Path,
) -> None:
    no_retain = StrictLimits(retain_available=False)
    async with running_stack(tmp_path, cookers=1, types=("a7",), strict=no_retain) as stack:
        info = await stack.probe.until("anova/bridge/info", lambda b: b and b.get("devices"))
        assert info.json()["mqtt"]["broker"]["retain_available"] is False
        assert not info.retain
        response = await stack.command(0, {"action": "start", "temperature": 60, "request_id": "r"})
        assert response["status"] == "ok", response
        state = await stack.state(0, lambda b: b and b.get("state") == "preheating")
        assert state["target_temperature"] == 60.0
        assert stack.proxy is not None
        assert stack.proxy.violations == [], stack.proxy.violations
        assert stack.proxy.connacks == 1
