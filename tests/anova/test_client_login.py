"""Email/password login over real HTTP, token refresh and expiry, and secret hygiene."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from pydantic import SecretStr
from structlog.testing import capture_logs

from bridge.anova.commands import SetTimer, StartCook, StopCook
from bridge.errors import AnovaAuthError
from tests.anova.conftest import PASSWORD, TOKEN, cooker_of_type
from tests.anova.test_client_resilience import CountingSleep
from tests.support.broker import free_port
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.integration


async def test_email_and_password_log_in_and_cook(harness):
    client, recorder, _ = await harness.start(harness.login_settings())
    assert recorder.connections == [True]
    outcome = await client.execute(StartCook(cooker_of_type(harness.sim, "a7"), 57.0, 0, "C"))
    assert outcome.confirmed


async def test_the_id_token_is_refreshed_before_it_expires(make_sim):
    from tests.anova.conftest import Harness

    sim = await make_sim(id_token_ttl=3.0)
    harness = Harness(sim)
    sleep = CountingSleep()
    try:
        started = time.monotonic()
        client, recorder, _ = await harness.start(harness.login_settings(), sleep=sleep)
        await async_wait_until(
            lambda: recorder.connections.count(True) >= 2 and client.connected,
            timeout=6,
            what="a reconnect with a refreshed token",
        )
        # Renewed at half the 3 s lifetime, before the cloud would hang up on us.
        assert time.monotonic() - started < 3.0
        assert sleep.delays == [], "a planned token reconnect does not back off"
        assert client.stats.reconnects >= 1
    finally:
        await harness.stop_all()


async def test_expired_tokens_are_renewed_and_the_link_comes_back(harness):
    client, recorder, _ = await harness.start(harness.login_settings())
    harness.sim.expire_tokens()
    await async_wait_until(
        lambda: recorder.connections.count(True) == 2 and client.connected,
        timeout=5,
        what="reconnected with a renewed token",
    )
    assert (await client.execute(SetTimer(cooker_of_type(harness.sim, "a5"), 300))).confirmed


async def test_a_wrong_password_ends_run_with_an_auth_error(harness):
    settings = harness.login_settings(password=SecretStr("not-the-password"))
    _, recorder, task = await harness.start(settings, wait=False)
    with pytest.raises(AnovaAuthError, match="INVALID_PASSWORD"):
        await asyncio.wait_for(task, 5)
    assert recorder.connections == []


async def test_an_unreachable_login_is_retried_not_fatal(harness):
    dead = f"http://127.0.0.1:{free_port()}"
    sleep = CountingSleep()
    client, _, task = await harness.start(
        harness.login_settings(auth_url=dead, token_url=dead), sleep=sleep, wait=False
    )
    await async_wait_until(lambda: len(sleep.delays) >= 3, timeout=5, what="retries")
    assert not task.done()
    assert not client.connected


def assert_no_secret(
    events: Sequence[Mapping[str, Any]], records: Sequence[logging.LogRecord], *secrets: str
) -> None:
    """No client-side log line carries a secret (the simulator's own server logs may)."""
    ours = [e for e in events if str(e.get("component", "")).startswith("anova")]
    client_records = [r for r in records if not r.name.startswith("websockets.server")]
    assert ours
    text = repr(ours) + "".join(r.getMessage() + repr(r.args) for r in client_records)
    for secret in secrets:
        assert secret not in text


async def test_the_personal_token_never_reaches_a_log(harness, caplog):
    caplog.set_level(logging.DEBUG)
    with capture_logs() as events:
        client, _, _ = await harness.start()
        await client.execute(StopCook(cooker_of_type(harness.sim, "a7")))
        await harness.sim.restart()
        await async_wait_until(lambda: client.connected, timeout=5, what="reconnected")
    assert any(e["event"] == "anova_connecting" for e in events)
    assert any("token=%2A%2A%2A" in e.get("url", "") or "***" in e.get("url", "") for e in events)
    assert_no_secret(events, caplog.records, TOKEN)


async def test_the_password_and_id_tokens_never_reach_a_log(harness, caplog):
    caplog.set_level(logging.DEBUG)
    with capture_logs() as events:
        client, _, _ = await harness.start(harness.login_settings())
        harness.sim.expire_tokens()
        await async_wait_until(lambda: client.stats.reconnects >= 1, timeout=5, what="renewed")
    tokens = harness.sim.tokens
    issued = list(tokens._id_tokens) + list(tokens._refresh_tokens)
    assert len(issued) >= 2
    assert_no_secret(events, caplog.records, PASSWORD, *issued)
