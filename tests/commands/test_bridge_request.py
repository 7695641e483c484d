"""Bridge requests: ``<base>/bridge/request/<action>``."""

from __future__ import annotations

import pytest

from bridge.commands import parse_bridge_request, peek_transaction
from bridge.errors import CommandError, ErrorCode


@pytest.mark.parametrize("action", ["health_check", "devices", "republish_discovery"])
def test_known_actions_with_transaction(action: str) -> None:
    request = parse_bridge_request(action, b'{"transaction": "t-1"}', retained=False)
    assert (request.action, request.transaction) == (action, "t-1")


def test_empty_payload_means_no_transaction() -> None:
    assert parse_bridge_request("devices", b"", retained=False).transaction is None


@pytest.mark.parametrize(
    ("action", "payload", "retained", "code"),
    [
        ("devices", b"{}", True, ErrorCode.RETAINED_COMMAND_REJECTED),
        ("reboot", b"{}", False, ErrorCode.UNKNOWN_ACTION),
        ("devices", b"[1]", False, ErrorCode.INVALID_PAYLOAD),
        ("devices", b'{"transaction": 5}', False, ErrorCode.INVALID_FIELD),
        ("devices", b'{"transaction": "t", "x": 1}', False, ErrorCode.INVALID_FIELD),
        ("devices", b" " * 70_000, False, ErrorCode.PAYLOAD_TOO_LARGE),
    ],
)
def test_refused_requests(action: str, payload: bytes, retained: bool, code: ErrorCode) -> None:
    with pytest.raises(CommandError) as caught:
        parse_bridge_request(action, payload, retained=retained)
    assert caught.value.code is code


@pytest.mark.parametrize(
    ("payload", "transaction"),
    [(b'{"transaction": "t-9", "x": 1}', "t-9"), (b"nope", None), (b"", None), (b"{}", None)],
)
def test_peek_transaction(payload: bytes, transaction: str | None) -> None:
    assert peek_transaction(payload) == transaction
