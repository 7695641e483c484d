"""Firebase login and refresh over mocked HTTP (respx): success, refusal, outages."""

from __future__ import annotations

import httpx
import pytest
import respx
from pydantic import SecretStr

from bridge.anova.auth import FirebaseAuth, FirebaseTokens, IdToken, PersonalToken, token_source
from bridge.errors import AnovaAuthError, AnovaUnavailableError
from bridge.settings import AnovaSettings

AUTH = "https://auth.test"
TOKEN = "https://token.test"
SIGN_IN = f"{AUTH}/v1/accounts:signInWithPassword"
REFRESH = f"{TOKEN}/v1/token"
PASSWORD = SecretStr("hunter2-secret")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def login_ok(token: str = "id-1", ttl: str = "3600") -> httpx.Response:
    return httpx.Response(
        200, json={"idToken": token, "refreshToken": "refresh-1", "expiresIn": ttl}
    )


def refresh_ok(token: str = "id-2") -> httpx.Response:
    return httpx.Response(
        200, json={"id_token": token, "refresh_token": "refresh-2", "expires_in": "3600"}
    )


def firebase_error(code: str, status: int = 400) -> httpx.Response:
    return httpx.Response(status, json={"error": {"code": status, "message": code}})


@pytest.fixture
async def http():
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def auth(http, clock):
    return FirebaseAuth(http, api_key="KEY", auth_url=AUTH, token_url=TOKEN, clock=clock)


@respx.mock(assert_all_called=True)
async def test_sign_in_posts_json_with_the_api_key(auth, respx_mock):
    route = respx_mock.post(SIGN_IN, params={"key": "KEY"}).mock(return_value=login_ok())
    token = await auth.sign_in("cook@example.com", PASSWORD)
    assert token.value.get_secret_value() == "id-1"
    assert token.refresh_token.get_secret_value() == "refresh-1"
    assert token.lifetime_s == 3600
    sent = route.calls.last.request
    assert sent.headers["content-type"] == "application/json"
    assert b'"returnSecureToken":true' in sent.content.replace(b" ", b"")


@respx.mock(assert_all_called=True)
async def test_refresh_posts_a_form(auth, respx_mock):
    route = respx_mock.post(REFRESH, params={"key": "KEY"}).mock(return_value=refresh_ok())
    token = await auth.refresh(SecretStr("refresh-1"))
    assert token.value.get_secret_value() == "id-2"
    body = route.calls.last.request.content.decode()
    assert "grant_type=refresh_token" in body
    assert "refresh_token=refresh-1" in body


@pytest.mark.parametrize(
    "code",
    ["INVALID_PASSWORD", "EMAIL_NOT_FOUND", "INVALID_LOGIN_CREDENTIALS", "USER_DISABLED"],
)
@respx.mock(assert_all_called=True)
async def test_refused_logins_are_auth_errors(auth, respx_mock, code):
    respx_mock.post(SIGN_IN).mock(return_value=firebase_error(code))
    with pytest.raises(AnovaAuthError, match=code) as caught:
        await auth.sign_in("cook@example.com", PASSWORD)
    assert "hunter2" not in str(caught.value)


@respx.mock(assert_all_called=True)
async def test_refused_refresh_is_an_auth_error(auth, respx_mock):
    respx_mock.post(REFRESH).mock(return_value=firebase_error("INVALID_REFRESH_TOKEN"))
    with pytest.raises(AnovaAuthError, match="INVALID_REFRESH_TOKEN"):
        await auth.refresh(SecretStr("stale"))


@respx.mock(assert_all_called=True)
async def test_401_without_a_body_is_an_auth_error(auth, respx_mock):
    respx_mock.post(SIGN_IN).mock(return_value=httpx.Response(401, text="nope"))
    with pytest.raises(AnovaAuthError, match="HTTP 401"):
        await auth.sign_in("cook@example.com", PASSWORD)


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(500),
        httpx.Response(503, json={"error": {"message": "BACKEND_ERROR"}}),
        httpx.Response(429),
        firebase_error("TOO_MANY_ATTEMPTS_TRY_LATER"),
        httpx.Response(200, text="<html>captive portal</html>"),
        httpx.Response(200, json={"idToken": "x"}),
    ],
)
@respx.mock(assert_all_called=True)
async def test_outages_and_garbage_are_unavailable(auth, respx_mock, response):
    respx_mock.post(SIGN_IN).mock(return_value=response)
    with pytest.raises(AnovaUnavailableError):
        await auth.sign_in("cook@example.com", PASSWORD)


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectTimeout("slow"), httpx.ReadTimeout("slow"), httpx.ConnectError("refused")],
)
@respx.mock(assert_all_called=True)
async def test_transport_failures_are_unavailable(auth, respx_mock, failure):
    respx_mock.post(REFRESH).mock(side_effect=failure)
    with pytest.raises(AnovaUnavailableError) as caught:
        await auth.refresh(SecretStr("refresh-1"))
    assert isinstance(caught.value.__cause__, httpx.HTTPError)


def test_refresh_time_is_the_earlier_of_80_percent_and_five_minutes_before():
    hour = IdToken(SecretStr("t"), SecretStr("r"), 3600.0, issued_at=0.0)
    assert hour.refresh_at == 2880.0
    short = IdToken(SecretStr("t"), SecretStr("r"), 3.0, issued_at=10.0)
    assert short.refresh_at == 11.5


@respx.mock(assert_all_called=True)
async def test_tokens_log_in_once_then_refresh_when_due(auth, clock, respx_mock):
    respx_mock.post(SIGN_IN).mock(return_value=login_ok())
    refresh = respx_mock.post(REFRESH).mock(return_value=refresh_ok())
    tokens = FirebaseTokens(auth, "cook@example.com", PASSWORD, clock=clock)
    assert tokens.refresh_in() is None
    assert await tokens.token() == "id-1"
    assert await tokens.token() == "id-1"
    assert tokens.refresh_in() == 2880.0
    clock.now += 2880.0
    assert await tokens.token() == "id-2"
    assert refresh.call_count == 1


@respx.mock(assert_all_called=True)
async def test_refused_refresh_falls_back_to_a_new_login(auth, clock, respx_mock):
    sign_in = respx_mock.post(SIGN_IN).mock(side_effect=[login_ok("id-1"), login_ok("id-3")])
    respx_mock.post(REFRESH).mock(return_value=firebase_error("INVALID_REFRESH_TOKEN"))
    tokens = FirebaseTokens(auth, "cook@example.com", PASSWORD, clock=clock)
    assert await tokens.token() == "id-1"
    await tokens.refresh()
    assert await tokens.token() == "id-3"
    assert sign_in.call_count == 2


@respx.mock(assert_all_called=True)
async def test_invalidate_refreshes_and_relogin_signs_in(auth, clock, respx_mock):
    sign_in = respx_mock.post(SIGN_IN).mock(side_effect=[login_ok("id-1"), login_ok("id-4")])
    respx_mock.post(REFRESH).mock(return_value=refresh_ok("id-2"))
    tokens = FirebaseTokens(auth, "cook@example.com", PASSWORD, clock=clock)
    await tokens.token()
    tokens.invalidate()
    assert await tokens.token() == "id-2"
    tokens.invalidate(relogin=True)
    assert await tokens.token() == "id-4"
    assert sign_in.call_count == 2


@respx.mock(assert_all_called=True)
async def test_unavailable_then_ok_sequence(auth, clock, respx_mock):
    route = respx_mock.post(SIGN_IN).mock(side_effect=[httpx.Response(502), login_ok()])
    tokens = FirebaseTokens(auth, "cook@example.com", PASSWORD, clock=clock)
    with pytest.raises(AnovaUnavailableError):
        await tokens.token()
    assert await tokens.token() == "id-1"
    assert route.call_count == 2


async def test_personal_token_is_fixed():
    source = PersonalToken(SecretStr("anova-abc"))
    assert await source.token() == "anova-abc"
    assert source.refresh_in() is None
    assert not source.renewable
    assert source.platform is None


async def test_token_source_follows_the_settings(http):
    personal = token_source(AnovaSettings(token=SecretStr("anova-abc")), None)
    assert isinstance(personal, PersonalToken)
    login = token_source(AnovaSettings(email="a@b.c", password=PASSWORD), http)
    assert isinstance(login, FirebaseTokens)
    assert login.platform == "android"
