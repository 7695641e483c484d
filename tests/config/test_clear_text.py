"""Credentials that would travel unencrypted are named, and the daemon warns at start."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr
from structlog.testing import capture_logs

from bridge.cli import _warn_clear_text
from bridge.settings import AnovaSettings, Settings

TOKEN = SecretStr("anova-real-token")


def anova(**values: Any) -> AnovaSettings:
    return AnovaSettings(**{"token": TOKEN, **values})


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("wss://devices.anovaculinary.io", []),
        ("ws://anova.example.net:8765", [("anova.url", False)]),
        ("ws://192.168.1.20:8765", [("anova.url", False)]),
        ("ws://[2001:db8::1]:8765", [("anova.url", False)]),
        ("ws://127.0.0.1:8765", [("anova.url", True)]),
        ("ws://localhost:8765", [("anova.url", True)]),
        ("ws://[::1]:8765", [("anova.url", True)]),
    ],
)
def test_a_ws_url_is_named_with_whether_it_stays_on_this_machine(
    url: str, expected: list[tuple[str, bool]]
) -> None:
    assert anova(url=url).unencrypted_urls() == expected


def test_email_login_over_http_is_named_too() -> None:
    settings = AnovaSettings(
        email="cook@example.com",
        password=SecretStr("pw"),
        url="wss://devices.anovaculinary.io",
        auth_url="http://login.example.net",
    )
    assert settings.unencrypted_urls() == [
        ("anova.auth_url", False),
        ("anova.token_url", False),
    ]


def test_the_daemon_warns_for_a_remote_ws_url_and_only_notes_loopback() -> None:
    remote = Settings(anova=anova(url="ws://anova.example.net:8765"))
    local = Settings(anova=anova(url="ws://127.0.0.1:8765"))
    with capture_logs() as logs:
        _warn_clear_text(remote)
        _warn_clear_text(local)
    (warning,) = [e for e in logs if e["log_level"] == "warning"]
    assert warning["event"] == "anova_credentials_in_clear_text"
    assert "wss://" in warning["hint"]
    assert warning["key"] == "anova.url"
    (note,) = [e for e in logs if e["log_level"] == "info"]
    assert "loopback" in note["event"]
    assert "anova-real-token" not in repr(logs)
