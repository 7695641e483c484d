"""Firebase-style login over real HTTP, and what ID-token expiry does to sockets."""

from __future__ import annotations

import asyncio
import base64
import json
import logging

import httpx
import pytest
from structlog.testing import capture_logs
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from bridge.simulator import DEMO_EMAIL, DEMO_PASSWORD, CloudSimulator
from tests.simulator.conftest import open_client

KEY = {"key": "AIzaSyDQiOP2fTR9zvFcag2kSbcmG9zPh6gZhHw"}


async def sign_in(sim: CloudSimulator, email: str, password: str, **params: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=sim.http_url) as http:
        return await http.post(
            "/v1/accounts:signInWithPassword",
            params=params if params else KEY,
            json={"email": email, "password": password, "returnSecureToken": True},
        )


async def refresh(sim: CloudSimulator, token: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=sim.http_url) as http:
        form = {"grant_type": "refresh_token", "refresh_token": token}
        return await http.post("/v1/token", params=KEY, data=form)


async def test_login_gives_an_id_token_the_websocket_accepts(sim: CloudSimulator) -> None:
    response = await sign_in(sim, DEMO_EMAIL, DEMO_PASSWORD)
    assert response.status_code == 200
    body = response.json()
    assert body["expiresIn"] == "3600"
    assert body["email"] == DEMO_EMAIL
    assert {"idToken", "refreshToken", "localId"} <= set(body)
    claims = json.loads(base64.urlsafe_b64decode(body["idToken"].split(".")[1] + "=="))
    assert claims["exp"] - claims["iat"] == 3600
    async with open_client(sim, token=body["idToken"]) as client:
        assert client.frames[0]["command"] == "EVENT_APC_WIFI_LIST"


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        (DEMO_EMAIL, "wrong", "INVALID_PASSWORD"),
        ("nobody@example.com", "x", "EMAIL_NOT_FOUND"),
        ("not-an-email", "x", "INVALID_EMAIL"),
    ],
)
async def test_bad_login_gets_googles_error_body(
    sim: CloudSimulator, email: str, password: str, message: str
) -> None:
    response = await sign_in(sim, email, password)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["message"]) == (400, message)
    assert error["errors"][0]["message"] == message


async def test_missing_api_key_is_refused(sim: CloudSimulator) -> None:
    async with httpx.AsyncClient(base_url=sim.http_url) as http:
        response = await http.post("/v1/accounts:signInWithPassword", json={})
    assert response.status_code == 400
    assert "API key" in response.json()["error"]["message"]


async def test_refresh_gives_a_new_working_id_token(sim: CloudSimulator) -> None:
    login = (await sign_in(sim, DEMO_EMAIL, DEMO_PASSWORD)).json()
    response = await refresh(sim, login["refreshToken"])
    assert response.status_code == 200
    body = response.json()
    assert (body["expires_in"], body["token_type"]) == ("3600", "Bearer")
    assert body["user_id"] == login["localId"]
    assert body["id_token"] != login["idToken"]
    async with open_client(sim, token=body["id_token"]):
        pass
    bad = await refresh(sim, "not-a-refresh-token")
    assert bad.status_code == 400
    assert bad.json()["error"]["message"] == "INVALID_REFRESH_TOKEN"


async def test_id_token_expires_on_the_simulated_clock(sim: CloudSimulator) -> None:
    token = (await sign_in(sim, DEMO_EMAIL, DEMO_PASSWORD)).json()["idToken"]
    async with open_client(sim, token=token) as client:
        await sim.advance(3599)
        assert sim.active_connections == 1
        await sim.advance(2)
        code, reason = await client.wait_closed()
        assert (code, reason) == (1008, "token expired")
    with pytest.raises(InvalidStatus) as refused:
        await connect(f"{sim.ws_url}?token={token}", open_timeout=5)
    assert refused.value.response.status_code == 401


async def test_expire_tokens_drops_id_token_sockets_but_not_the_personal_token(
    sim: CloudSimulator,
) -> None:
    login = (await sign_in(sim, DEMO_EMAIL, DEMO_PASSWORD)).json()
    async with open_client(sim, token=login["idToken"]) as by_login, open_client(sim) as by_pat:
        sim.expire_tokens()
        assert (await by_login.wait_closed())[0] == 1008
        await sim.advance(1)
        assert by_pat.ws.close_code is None
        assert sim.active_connections == 1
    # The refresh token still works, as after a real ID-token expiry.
    fresh = (await refresh(sim, login["refreshToken"])).json()["id_token"]
    async with open_client(sim, token=fresh):
        pass


async def test_garbage_http_is_answered_not_fatal(sim: CloudSimulator) -> None:
    host, port = sim.http_url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(b"NONSENSE\r\n\r\n")
    assert (await reader.read()).startswith(b"HTTP/1.1 400")
    writer.close()
    await writer.wait_closed()
    assert (await sign_in(sim, DEMO_EMAIL, DEMO_PASSWORD)).status_code == 200


async def test_logs_never_carry_tokens_or_passwords(
    sim: CloudSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    with capture_logs() as events:
        login = (await sign_in(sim, DEMO_EMAIL, DEMO_PASSWORD)).json()
        await refresh(sim, login["refreshToken"])
        async with open_client(sim, token=login["idToken"]) as client:
            await client.command("CMD_APC_STOP", {"cookerId": sim.cookers[0].cooker_id})
        with pytest.raises(InvalidStatus):
            await connect(f"{sim.ws_url}?token=anova-guessed-secret", open_timeout=5)
        sim.expire_tokens()
    assert any(e["event"] == "handshake_refused" for e in events)
    logged = repr(events) + caplog.text
    for secret in (DEMO_PASSWORD, login["idToken"], login["refreshToken"], "anova-guessed-secret"):
        assert secret not in logged
