"""/metrics counts what users and dashboards care about, over real HTTP."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.e2e.conftest import Stack

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
