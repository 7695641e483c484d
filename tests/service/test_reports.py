"""What bridge/info says about the broker URL: no password, the host as written."""

from __future__ import annotations

import pytest

from bridge.service.reports import public_url


@pytest.mark.parametrize(
    ("url", "public"),
    [
        ("mqtt://user:secret@[::1]:1883", "mqtt://user@[::1]:1883"),
        ("mqtts://[2001:db8::5]:8883", "mqtts://[2001:db8::5]:8883"),
        ("mqtt://user:secret@broker.lan:1883", "mqtt://user@broker.lan:1883"),
        ("mqtt://192.168.1.2", "mqtt://192.168.1.2"),
    ],
)
def test_the_password_goes_and_ipv6_hosts_keep_their_brackets(url: str, public: str) -> None:
    assert public_url(url) == public
