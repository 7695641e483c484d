"""Tokens for the cloud socket: a personal access token, or a Firebase login.

A personal access token (``anova-…``) never expires and needs no HTTP. An
email/password login goes through Firebase's identity toolkit, which hands
out one-hour ID tokens and a refresh token; :class:`FirebaseTokens` keeps a
valid ID token, refreshing it before expiry and logging in again when the
refresh token is refused.

Every HTTP failure is mapped in one place, :meth:`FirebaseAuth._request`:
credentials refused -> :class:`AnovaAuthError` (fatal until the config
changes); 5xx, 429, timeouts, connection errors and garbage bodies ->
:class:`AnovaUnavailableError` (retry with backoff). Secrets never reach an
exception message or a log line.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import SecretStr

from bridge.errors import AnovaAuthError, AnovaUnavailableError
from bridge.logs import get_logger
from bridge.settings import AnovaSettings

if TYPE_CHECKING:  # only email/password login needs httpx at run time
    import httpx

log = get_logger("anova.auth")

HTTP_TIMEOUT_S = 10.0
REFRESH_RETRY_S = 5.0
# Firebase answers these with HTTP 400 although trying later can work.
RETRYABLE_CODES = frozenset({"TOO_MANY_ATTEMPTS_TRY_LATER", "QUOTA_EXCEEDED"})


@dataclass(frozen=True)
class IdToken:
    """A Firebase ID token with what is needed to renew it.

    ``issued_at`` is on the :class:`FirebaseAuth` clock (monotonic seconds).
    """

    value: SecretStr
    refresh_token: SecretStr
    lifetime_s: float
    issued_at: float

    @property
    def expires_at(self) -> float:
        """When the cloud stops accepting it."""
        return self.issued_at + self.lifetime_s

    @property
    def refresh_at(self) -> float:
        """When to renew: the earlier of 80 % of the lifetime and 5 min before expiry.

        Never before half the lifetime, so very short lifetimes (tests, the
        simulator) do not refresh in a tight loop.
        """
        margin = max(0.2 * self.lifetime_s, min(300.0, 0.5 * self.lifetime_s))
        return self.expires_at - margin


class TokenSource(Protocol):
    """What the client needs from any kind of credential."""

    @property
    def platform(self) -> str | None:
        """The ``platform`` query parameter the socket URL needs, if any."""

    @property
    def renewable(self) -> bool:
        """Whether a refused token can be replaced by asking again."""

    def refresh_in(self) -> float | None:
        """Seconds until the current token should be renewed; None if never."""

    async def token(self) -> str:
        """A token to open the socket with, logging in or refreshing as needed."""

    async def refresh(self) -> None:
        """Renew the token now (before expiry)."""

    def invalidate(self, *, relogin: bool = False) -> None:
        """Forget the token the server refused; ``relogin`` drops the refresh token too."""


class PersonalToken:
    """A personal access token from the Anova app: fixed, never refreshed."""

    platform: str | None = None
    renewable = False

    def __init__(self, token: SecretStr) -> None:
        self._token = token

    def refresh_in(self) -> float | None:
        """Personal tokens do not expire."""
        return None

    async def token(self) -> str:
        """The configured token."""
        return self._token.get_secret_value()

    async def refresh(self) -> None:
        """Nothing to renew."""

    def invalidate(self, *, relogin: bool = False) -> None:
        """A refused personal token cannot be replaced; the client gives up."""


class FirebaseAuth:
    """The two Firebase endpoints: sign in with a password, and refresh.

    Args:
        http: the injected client; its lifetime is the caller's.
        api_key: the public Firebase API key the Anova apps use.
        auth_url: base of ``/v1/accounts:signInWithPassword``.
        token_url: base of ``/v1/token``.
        clock: monotonic seconds, to stamp tokens.
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        api_key: str,
        auth_url: str,
        token_url: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._api_key = api_key
        self._auth_url = auth_url.rstrip("/")
        self._token_url = token_url.rstrip("/")
        self._clock = clock

    async def sign_in(self, email: str, password: SecretStr) -> IdToken:
        """Log in with email and password.

        Raises:
            AnovaAuthError: the credentials were refused.
            AnovaUnavailableError: Firebase could not be reached or failed.
        """
        body = {"email": email, "password": password.get_secret_value(), "returnSecureToken": True}
        data = await self._request(f"{self._auth_url}/v1/accounts:signInWithPassword", json=body)
        log.info("anova_login_ok", method="password")
        return self._id_token(data, "idToken", "refreshToken", "expiresIn")

    async def refresh(self, refresh_token: SecretStr) -> IdToken:
        """Trade a refresh token for a fresh ID token.

        Raises:
            AnovaAuthError: the refresh token was refused (log in again).
            AnovaUnavailableError: Firebase could not be reached or failed.
        """
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token.get_secret_value()}
        data = await self._request(f"{self._token_url}/v1/token", data=form)
        log.info("anova_login_ok", method="refresh")
        return self._id_token(data, "id_token", "refresh_token", "expires_in")

    def _id_token(self, data: Mapping[str, Any], value: str, refresh: str, ttl: str) -> IdToken:
        token, renew, lifetime = data.get(value), data.get(refresh), data.get(ttl)
        try:
            lifetime_s = float(lifetime)  # type: ignore[arg-type]
        except (TypeError, ValueError) as err:
            raise AnovaUnavailableError(
                "the Anova login answered without a token lifetime"
            ) from err
        if not isinstance(token, str) or not isinstance(renew, str) or lifetime_s <= 0:
            raise AnovaUnavailableError("the Anova login answered without a usable token")
        return IdToken(SecretStr(token), SecretStr(renew), lifetime_s, self._clock())

    async def _request(
        self, url: str, *, json: Any = None, data: Mapping[str, str] | None = None
    ) -> Mapping[str, Any]:
        """POST to a Firebase endpoint and map every failure to the error tree."""
        import httpx  # noqa: PLC0415 - loaded with the HTTP client, see AnovaClient

        try:
            response = await self._http.post(
                url, params={"key": self._api_key}, json=json, data=data, timeout=HTTP_TIMEOUT_S
            )
        except httpx.TimeoutException as err:
            raise AnovaUnavailableError("the Anova login timed out") from err
        except httpx.HTTPError as err:
            raise AnovaUnavailableError(
                f"the Anova login could not be reached ({type(err).__name__})"
            ) from err
        return _body_or_raise(response)


def _body_or_raise(response: httpx.Response) -> Mapping[str, Any]:
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = None
    if status >= 500 or status in {408, 429}:
        raise AnovaUnavailableError(f"the Anova login failed with HTTP {status}")
    if status >= 400:
        reason = _firebase_reason(body) or f"HTTP {status}"
        if reason in RETRYABLE_CODES:
            raise AnovaUnavailableError(f"the Anova login is busy: {reason}")
        # INVALID_PASSWORD, EMAIL_NOT_FOUND, INVALID_LOGIN_CREDENTIALS,
        # INVALID_REFRESH_TOKEN, a bad API key…: none of them heal by waiting.
        raise AnovaAuthError(f"the Anova login was refused: {reason}")
    if not isinstance(body, dict):
        raise AnovaUnavailableError("the Anova login answered with something that is not JSON")
    return body


def _firebase_reason(body: Any) -> str | None:
    """The Firebase error code, e.g. ``INVALID_PASSWORD`` (first word of ``error.message``).

    Both endpoints nest it as ``{"error": {"message": "CODE : detail"}}``; the
    token endpoint may also say ``{"error": "invalid_grant"}``.
    """
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    if isinstance(error, str):
        return error
    message = error.get("message") if isinstance(error, dict) else None
    if not isinstance(message, str) or not message:
        return None
    return message.split(" ", 1)[0].split(":", 1)[0].strip() or None


class FirebaseTokens:
    """Keeps a valid Firebase ID token for the socket.

    Logs in on first use, refreshes on request (the client asks before
    expiry), and falls back to a full login when the refresh token is
    refused. A login that is refused propagates: that is definitive.
    """

    platform: str | None = "android"
    renewable = True

    def __init__(
        self,
        auth: FirebaseAuth,
        email: str,
        password: SecretStr,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._auth = auth
        self._email = email
        self._password = password
        self._clock = clock
        self._current: IdToken | None = None
        self._refresh_token: SecretStr | None = None

    def refresh_in(self) -> float | None:
        """Seconds until the current ID token should be renewed (0 if overdue)."""
        if self._current is None:
            return None
        return max(0.0, self._current.refresh_at - self._clock())

    async def token(self) -> str:
        """A usable ID token: cached, refreshed if near expiry, or from a new login."""
        current = self._current
        if current is None or self._clock() >= current.refresh_at:
            await self.refresh()
            current = self._current
        assert current is not None
        return current.value.get_secret_value()

    async def refresh(self) -> None:
        """Renew with the refresh token if there is one, else (or if refused) log in."""
        if self._refresh_token is not None:
            try:
                self._store(await self._auth.refresh(self._refresh_token))
            except AnovaAuthError:
                log.warning("anova_refresh_refused", action="logging in again")
                self._refresh_token = None
            else:
                return
        self._store(await self._auth.sign_in(self._email, self._password))

    def invalidate(self, *, relogin: bool = False) -> None:
        """Drop the refused ID token; with ``relogin`` also the refresh token."""
        self._current = None
        if relogin:
            self._refresh_token = None

    def _store(self, token: IdToken) -> None:
        self._current = token
        self._refresh_token = token.refresh_token


async def renew(
    tokens: TokenSource, retry_after: Callable[[float], Awaitable[None]]
) -> AnovaAuthError | None:
    """Renew ``tokens`` now, retrying a cloud that is unavailable; the refusal if refused."""
    while True:
        try:
            await tokens.refresh()
        except AnovaUnavailableError as err:
            log.warning("anova_token_refresh_failed", error=err.message)
            await retry_after(REFRESH_RETRY_S)
        except AnovaAuthError as err:
            return err
        else:
            return None


def token_source(settings: AnovaSettings, http: httpx.AsyncClient | None) -> TokenSource:
    """The token source the settings ask for; email/password needs ``http``."""
    if settings.token is not None:
        return PersonalToken(settings.token)
    assert settings.email is not None
    assert settings.password is not None
    assert http is not None, "an email/password login needs an HTTP client"
    auth = FirebaseAuth(
        http,
        api_key=settings.api_key,
        auth_url=settings.auth_url,
        token_url=settings.effective_token_url,
    )
    return FirebaseTokens(auth, settings.email, settings.password)
