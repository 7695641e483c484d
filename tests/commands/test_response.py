"""Response JSON against the CONTRACT §4 and §1 examples (golden files)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bridge.commands import BridgeResponse, CommandResponse
from bridge.errors import CommandError, ErrorCode

FIXTURES = Path(__file__).parents[1] / "fixtures"


def golden(name: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(
        (FIXTURES / f"commands-{name}.json").read_text(encoding="utf-8")
    )
    return found


def test_ok_response_matches_contract() -> None:
    expected = golden("response-ok")
    response = CommandResponse.ok("abc-123", "start", expected["data"], [])
    assert json.loads(response.to_json()) == expected


def test_error_response_matches_contract() -> None:
    expected = golden("response-error")
    err = CommandError(
        ErrorCode.TEMPERATURE_TOO_LOW, expected["error"]["message"], field="temperature"
    )
    assert json.loads(CommandResponse.error("abc-123", "start", err).to_json()) == expected


def test_unparsable_command_answers_with_nulls() -> None:
    err = CommandError(ErrorCode.INVALID_PAYLOAD, "The payload is not valid UTF-8 text.")
    response = CommandResponse.error(None, None, err)
    assert json.loads(response.to_json()) == golden("response-unparsable")


def test_warnings_are_kept_in_order_and_degree_signs_stay_readable() -> None:
    payload = CommandResponse.ok("r", "start", {"unit": "C"}, ["a °C", "b"]).to_json()
    assert "°C".encode() in payload
    assert json.loads(payload)["warnings"] == ["a °C", "b"]


def test_lone_surrogates_cannot_break_serialisation() -> None:
    payload = CommandResponse.ok("r", "start", {"food_type": "\ud800"}).to_json()
    assert json.loads(payload.decode("utf-8"))["status"] == "ok"


def test_bridge_response_ok_and_error_match_envelope() -> None:
    assert json.loads(BridgeResponse.ok("t-1", {"devices": []}).to_json()) == golden(
        "bridge-response-ok"
    )
    expected = golden("bridge-response-error")
    err = CommandError(ErrorCode.UNKNOWN_ACTION, expected["error"]["message"], field="action")
    assert json.loads(BridgeResponse.error(None, err).to_json()) == expected
