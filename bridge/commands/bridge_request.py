"""Parse requests to the bridge itself: ``<base>/bridge/request/<action>`` (CONTRACT §1).

The payload is ``{"transaction": "…"}``; the answer on
``bridge/response/<action>`` echoes the transaction so a client can match it.
An empty payload is allowed (``mosquitto_pub -n``) and means no transaction.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from bridge.commands import fields
from bridge.commands.envelope import check_size, decode_object, refuse_retained, try_decode_object
from bridge.contract import BRIDGE_ACTIONS, BridgeAction
from bridge.errors import CommandError, ErrorCode

MAX_TRANSACTION_CHARS = 128


class BridgeRequest(BaseModel):
    """A validated bridge request."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    action: BridgeAction
    transaction: str | None = None


def parse_bridge_request(action: str, payload: bytes, *, retained: bool) -> BridgeRequest:
    """Validate a bridge request.

    Args:
        action: the last topic level.
        payload: the raw MQTT payload.
        retained: the retain flag; retained requests are refused first.

    Raises:
        CommandError: ``UNKNOWN_ACTION`` for an unknown action, else an input code.
    """
    refuse_retained(retained)
    check_size(payload)
    known = _known_action(action)
    if not payload.strip():
        return BridgeRequest(action=known)
    document = decode_object(payload)
    for key in document:
        if key != "transaction":
            raise fields.invalid(
                fields.safe_name(key),
                f"Unknown field {fields.display(key)}; bridge requests take only 'transaction'.",
            )
    return BridgeRequest(action=known, transaction=_transaction(document))


def peek_transaction(payload: bytes) -> str | None:
    """The payload's valid ``transaction``, for error answers; never raises."""
    document = try_decode_object(payload) if payload.strip() else None
    if document is None:
        return None
    try:
        return _transaction(document)
    except CommandError:
        return None


def _known_action(action: str) -> BridgeAction:
    for known in BRIDGE_ACTIONS:
        if action == known:
            return known
    raise CommandError(
        ErrorCode.UNKNOWN_ACTION,
        f"Unknown bridge request {fields.display(action)}; use one of {', '.join(BRIDGE_ACTIONS)}.",
        field="action",
    )


def _transaction(document: fields.Document) -> str | None:
    if not fields.present(document, "transaction"):
        return None
    value = document["transaction"]
    if not isinstance(value, str):
        raise fields.wrong_type("transaction", "a string", value)
    if not 1 <= len(value) <= MAX_TRANSACTION_CHARS or not value.isprintable():
        raise fields.invalid(
            "transaction",
            f"Field 'transaction' must be 1 to {MAX_TRANSACTION_CHARS} printable characters.",
        )
    return value
