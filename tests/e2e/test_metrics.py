"""/metrics counts what users and dashboards care about, over real HTTP."""

from __future__ import annotations

import re

import httpx
import pytest

from bridge.mqtt.message import InboundMessage
from bridge.mqtt.topics import DeviceCommandTopic
from tests.e2e.conftest import Stack
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.integration


async def scrape(url: str) -> str:
    async with httpx.AsyncClient() as client:
        return (await client.get(url)).text


def metric(text: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)} ([0-9.e+-]+)$", text, re.MULTILINE)
    assert match, f"{name} missing from /metrics"
    return float(match.group(1))


async def test_refusals_are_counted_by_code_and_only_cloud_commands_are_timed(stack: Stack) -> None:
    assert stack.service.health is not None
    url = f"http://127.0.0.1:{stack.service.health.port}/metrics"
    refused = await stack.command(0, {"action": "start", "temperature": 35, "time_minutes": 60})
    assert refused["error"]["code"] == "TEMPERATURE_TOO_LOW"
    text = await scrape(url)
    assert metric(text, 'anova_bridge_commands_refused_total{code="TEMPERATURE_TOO_LOW"}') == 1
    assert metric(text, "anova_bridge_cloud_command_seconds_count") == 0

    started = await stack.command(0, {"action": "start", "temperature": 60, "request_id": "m"})
    assert started["status"] == "ok"
    text = await scrape(url)
    assert metric(text, "anova_bridge_cloud_command_seconds_count") == 1
    assert metric(text, "anova_bridge_commands_accepted_total") == 1
    assert metric(text, "anova_bridge_commands_received_total") == 2
    assert metric(text, "anova_bridge_cookers_online") == 2
    assert metric(text, "anova_bridge_mqtt_connected") == 1


async def test_reconnects_and_message_counts_are_exposed(stack: Stack) -> None:
    assert stack.service.health is not None
    url = f"http://127.0.0.1:{stack.service.health.port}/metrics"
    before = await scrape(url)
    assert metric(before, "anova_bridge_cloud_reconnects") == 0
    assert metric(before, "anova_bridge_mqtt_reconnects") == 0
    assert metric(before, "anova_bridge_mqtt_messages_published") > 0  # states, discovery, info

    await stack.sim.restart()
    await async_wait_until(
        lambda: stack.service.client.stats.reconnects == 1, timeout=15, what="cloud reconnect"
    )
    await stack.command(0, {"action": "stop", "request_id": "counted"})
    after = await scrape(url)
    assert metric(after, "anova_bridge_cloud_reconnects") == 1
    assert metric(after, "anova_bridge_mqtt_messages_received") >= 1
    assert metric(after, "anova_bridge_mqtt_messages_published") > metric(
        before, "anova_bridge_mqtt_messages_published"
    )


async def test_healthz_reports_both_links_and_when_each_cooker_was_last_heard(
    stack: Stack,
) -> None:
    assert stack.service.health is not None
    url = f"http://127.0.0.1:{stack.service.health.port}/healthz"
    async with httpx.AsyncClient() as client:
        healthy = await client.get(url)
        assert healthy.status_code == 200
        body = healthy.json()
        assert body["status"] == "ok"
        assert body["version"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", body["timestamp"])
        assert body["mqtt"]["connected"] is True
        assert body["anova"]["connected"] is True
        for index in range(2):
            topic_id = stack.topic(index, "state").split("/")[1]
            assert body["devices"][topic_id]["last_seen"].endswith("Z")

        await stack.sim.stop()
        await async_wait_until(lambda: not stack.service.client.connected, timeout=10)
        down = await client.get(url)
        assert down.status_code == 503
        assert down.json()["anova"]["connected"] is False
    await stack.sim.start()


async def test_the_command_backlog_is_exposed(stack: Stack) -> None:
    assert stack.service.health is not None
    url = f"http://127.0.0.1:{stack.service.health.port}/metrics"
    assert metric(await scrape(url), "anova_bridge_commands_waiting") == 0
    topic = stack.topic(0, "set")
    route = DeviceCommandTopic(topic_id=topic.split("/")[1], kind="set")
    message = InboundMessage(topic, b"{}", retain=False, qos=1)  # refused: no action
    for _ in range(1000):  # read, not yet handled: no loop turn in between
        stack.service.inbox.offer(route, message)
    backlog = stack.service.reports.metrics_text().decode()
    assert metric(backlog, "anova_bridge_commands_waiting") == 1000
    assert await stack.service.inbox.wait_empty(10) == 0
    assert metric(await scrape(url), "anova_bridge_commands_waiting") == 0
