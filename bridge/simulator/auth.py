"""Who may connect: the personal access token and Firebase-style sessions.

The real cloud takes either a personal access token (``anova-…``, never
expires) or a Firebase ID token from an email/password login (one hour).
ID tokens here are unsigned JWT look-alikes carrying ``exp`` in simulated
time, so a client that reads the expiry from the token sees the same
moment the simulator enforces. Expiry follows the simulator's clock.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from bridge.simulator.clock import SimClock

ISSUER = "https://securetoken.google.com/anova-app"
PERSONAL_ACCOUNT = "personal-token"


class LoginRefused(Exception):  # noqa: N818 - reads as the event, like Google's error names
    """A login or refresh was refused; the message is Google's error code."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Session:
    """What a successful login or refresh hands out."""

    id_token: str
    refresh_token: str
    expires_in: int
    local_id: str
    email: str


class TokenBook:
    """Issues, checks and revokes tokens.

    Args:
        personal_token: the access token that is always accepted.
        users: email → password of accounts that may log in.
        id_token_ttl: lifetime of an ID token, in simulated seconds.
        clock: the simulator's clock, which expiry follows.
    """

    def __init__(
        self, personal_token: str, users: Mapping[str, str], id_token_ttl: float, clock: SimClock
    ) -> None:
        self._personal = personal_token
        self._users = dict(users)
        self._ttl = id_token_ttl
        self._clock = clock
        self._id_tokens: dict[str, float] = {}  # token → expiry (simulated epoch)
        self._refresh_tokens: dict[str, str] = {}  # token → email
        self._owners: dict[str, str] = {}  # ID token → email
        self.refreshes = 0

    def accepts(self, token: str | None) -> bool:
        """True for the personal token or a live, unrevoked ID token."""
        if not token:
            return False
        if secrets.compare_digest(token, self._personal):
            return True
        return self.id_token_alive(token)

    def id_token_alive(self, token: str) -> bool:
        """True while an issued ID token is neither expired nor revoked."""
        expiry = self._id_tokens.get(token)
        return expiry is not None and self._clock.time() < expiry

    def is_id_token(self, token: str) -> bool:
        """True when ``token`` was issued by a login here (alive or not)."""
        return token in self._id_tokens

    def account_of(self, token: str | None) -> str:
        """The account a token belongs to: its login's email, or the personal token's."""
        owner = self._owners.get(token or "")
        return f"user:{owner}" if owner else PERSONAL_ACCOUNT

    def sign_in(self, email: object, password: object) -> Session:
        """Check an email/password pair and start a session.

        Raises:
            LoginRefused: ``INVALID_EMAIL``, ``MISSING_PASSWORD``,
                ``EMAIL_NOT_FOUND`` or ``INVALID_PASSWORD``.
        """
        if not isinstance(email, str) or "@" not in email:
            raise LoginRefused("INVALID_EMAIL")
        if not isinstance(password, str) or not password:
            raise LoginRefused("MISSING_PASSWORD")
        known = self._users.get(email)
        if known is None:
            raise LoginRefused("EMAIL_NOT_FOUND")
        if not secrets.compare_digest(known, password):
            raise LoginRefused("INVALID_PASSWORD")
        refresh = secrets.token_urlsafe(48)
        self._refresh_tokens[refresh] = email
        return self._session(email, refresh)

    def refresh(self, refresh_token: object) -> Session:
        """Trade a refresh token for a new ID token.

        Raises:
            LoginRefused: ``MISSING_REFRESH_TOKEN`` or ``INVALID_REFRESH_TOKEN``.
        """
        if not isinstance(refresh_token, str) or not refresh_token:
            raise LoginRefused("MISSING_REFRESH_TOKEN")
        email = self._refresh_tokens.get(refresh_token)
        if email is None:
            raise LoginRefused("INVALID_REFRESH_TOKEN")
        self.refreshes += 1
        return self._session(email, refresh_token)

    def expire_all(self) -> None:
        """Invalidate every ID token issued so far; refresh tokens keep working."""
        for token in self._id_tokens:
            self._id_tokens[token] = float("-inf")

    def _session(self, email: str, refresh: str) -> Session:
        local_id = local_id_for(email)
        now = self._clock.time()
        token = _fake_jwt(email, local_id, now, now + self._ttl)
        self._id_tokens[token] = now + self._ttl
        self._owners[token] = email
        return Session(token, refresh, int(self._ttl), local_id, email)


def local_id_for(email: str) -> str:
    """A stable Firebase-style user id for an email address."""
    return hashlib.sha256(email.lower().encode()).hexdigest()[:28]


def _fake_jwt(email: str, local_id: str, issued: float, expires: float) -> str:
    header = {"alg": "RS256", "kid": "simulator", "typ": "JWT"}
    claims = {
        "iss": ISSUER,
        "aud": "anova-app",
        "sub": local_id,
        "user_id": local_id,
        "email": email,
        "iat": int(issued),
        "exp": int(expires),
    }
    # Random bytes stand in for the signature; they also make each token unique.
    parts = [_b64(json.dumps(header).encode()), _b64(json.dumps(claims).encode())]
    return ".".join([*parts, _b64(secrets.token_bytes(32))])


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
