"""The rate-limited cloud: per-account limits that survive reconnects, and closes after the list.

anova-api.md: "If rate limited, the server disconnects the socket,
typically right after the device list and first states." The simulator's
clock is frozen here, so the rolling minute passes only when a test says so.
"""

from __future__ import annotations

import httpx
import pytest

from bridge.simulator import DEMO_EMAIL, DEMO_PASSWORD, CloudSimulator
from tests.simulator.conftest import CloudClient, open_client

STATES_ON_CONNECT = 2  # the a7 and the a5


def greeting(client: CloudClient) -> list[str]:
    return [frame["command"] for frame in client.frames]


@pytest.mark.parametrize("code", [1008, 1005])
async def test_close_after_device_list_greets_then_hangs_up_every_new_socket(
    sim: CloudSimulator, code: int
) -> None:
    sim.faults.close_after_device_list = code
    for _ in range(3):
        async with open_client(sim) as client:
            closed = await client.wait_closed()
            assert greeting(client) == ["EVENT_APC_WIFI_LIST"] + ["EVENT_APC_STATE"] * 2
        assert closed == ((1008, "rate limit exceeded") if code == 1008 else (1005, ""))
    assert sim.connections_opened == 3
    sim.faults.close_after_device_list = None
    async with open_client(sim) as fine:
        assert await fine.command("CMD_APC_STOP", stop(sim)) == {"status": "ok"}


def stop(sim: CloudSimulator) -> dict[str, str]:
    return {"cookerId": sim.cookers[0].cooker_id, "type": "a7"}


async def test_the_account_limit_survives_reconnects_until_a_quiet_minute(
    sim: CloudSimulator,
) -> None:
    sim.faults.account_rate_limit_per_minute = 4
    async with open_client(sim) as first:  # attempt 1
        for _ in range(3):  # attempts 2-4
            assert await first.command("CMD_APC_STOP", stop(sim)) == {"status": "ok"}
        unanswered = await first.send("CMD_APC_STOP", stop(sim))  # attempt 5: over
        assert await first.wait_closed() == (1008, "rate limit exceeded")
        assert all(frame.get("requestId") != unanswered for frame in first.frames)
    async with open_client(sim) as again:  # a new socket is no clean slate
        assert await again.wait_closed() == (1008, "rate limit exceeded")
        assert greeting(again) == ["EVENT_APC_WIFI_LIST"] + ["EVENT_APC_STATE"] * STATES_ON_CONNECT
    await sim.advance(59)
    async with open_client(sim) as still:  # attempt 7, at 59 s: still limited
        assert await still.wait_closed() == (1008, "rate limit exceeded")
    await sim.advance(60)  # attempts 1-6 leave the window; only attempt 7 is left in it
    async with open_client(sim) as back:
        assert await back.command("CMD_APC_STOP", stop(sim)) == {"status": "ok"}
    assert sim.connections_opened == 4


async def test_the_limit_is_per_account_not_per_token(sim: CloudSimulator) -> None:
    sim.faults.account_rate_limit_per_minute = 1
    async with open_client(sim):
        pass
    async with open_client(sim) as personal:
        assert await personal.wait_closed() == (1008, "rate limit exceeded")
    login = sim.tokens.sign_in(DEMO_EMAIL, DEMO_PASSWORD)
    async with open_client(sim, login.id_token) as user:
        await (await user.ws.ping())  # the server has long finished greeting
        assert user.ws.close_code is None, "another account is not limited"
    relogin = sim.tokens.sign_in(DEMO_EMAIL, DEMO_PASSWORD)
    async with open_client(sim, relogin.id_token) as same_user:
        assert await same_user.wait_closed() == (1008, "rate limit exceeded")


@pytest.mark.parametrize(
    ("patch", "accepted"),
    [
        ({"close_after_device_list": 1008}, True),
        ({"close_after_device_list": 1005}, True),
        ({"close_after_device_list": None}, True),
        ({"close_after_device_list": 1000}, False),
        ({"close_after_device_list": "1008"}, False),
        ({"account_rate_limit_per_minute": 10}, True),
        ({"account_rate_limit_per_minute": -1}, False),
        ({"account_rate_limit_per_minute": True}, False),
    ],
)
async def test_the_new_faults_are_switched_over_http_and_checked(
    sim: CloudSimulator, patch: dict[str, object], accepted: bool
) -> None:
    async with httpx.AsyncClient(base_url=sim.http_url) as http:
        answer = await http.post("/_sim/faults", json=patch)
    assert answer.status_code == (200 if accepted else 400)
    ((name, value),) = patch.items()
    assert getattr(sim.faults, name) == (value if accepted else None), "a refusal changes nothing"
