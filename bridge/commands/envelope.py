"""The checks every incoming command payload goes through before its fields.

Order matters and is part of the contract: a retained command is refused
before anything else (it must never run, whatever it says), then the size is
checked on the raw bytes before any decoding work is spent on it, then the
bytes must be UTF-8 JSON holding one object.
"""

from __future__ import annotations

import json

from bridge.commands.fields import display
from bridge.errors import CommandError, ErrorCode

MAX_PAYLOAD_BYTES = 64 * 1024


class _DuplicateKeyError(ValueError):
    """Raised inside the JSON decoder when an object repeats a key."""


def refuse_retained(retained: bool) -> None:
    """Refuse retained commands: the broker would replay them on every reconnect."""
    if retained:
        raise CommandError(
            ErrorCode.RETAINED_COMMAND_REJECTED,
            "Commands must not be retained: the broker would replay a retained command "
            "on every reconnect. Publish it again without the retain flag.",
        )


def check_size(payload: bytes) -> None:
    """Refuse payloads over 64 KiB before decoding them."""
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise CommandError(
            ErrorCode.PAYLOAD_TOO_LARGE,
            f"The payload is {len(payload)} bytes; commands may be at most "
            f"{MAX_PAYLOAD_BYTES} bytes (64 KiB).",
        )


def decode_text(payload: bytes) -> str:
    """The payload as text; ``INVALID_PAYLOAD`` unless it is UTF-8."""
    try:
        # utf-8-sig also accepts a leading byte-order mark, which some
        # Windows tools write; it is not part of the command.
        return payload.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CommandError(
            ErrorCode.INVALID_PAYLOAD, "The payload is not valid UTF-8 text."
        ) from err


def decode_object(payload: bytes) -> dict[str, object]:
    """Decode a JSON object from a size-checked payload.

    Raises:
        CommandError: ``INVALID_PAYLOAD`` for non-UTF-8, non-JSON, duplicate
            keys, nesting too deep to decode, or JSON that is not an object.
    """
    document = _loads(decode_text(payload))
    if not isinstance(document, dict):
        raise CommandError(
            ErrorCode.INVALID_PAYLOAD,
            'The payload must be a JSON object such as {"action": "stop"}.',
        )
    return document


def try_decode_object(payload: bytes) -> dict[str, object] | None:
    """Best-effort :func:`decode_object` that returns None instead of raising."""
    if len(payload) > MAX_PAYLOAD_BYTES:
        return None
    try:
        return decode_object(payload)
    except CommandError:
        return None


def _loads(text: str) -> object:
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except _DuplicateKeyError as err:
        raise CommandError(ErrorCode.INVALID_PAYLOAD, str(err)) from err
    except RecursionError as err:
        # The C decoder recurses per nesting level; a payload of 60 000 "["
        # would otherwise unwind the stack of the thread handling commands.
        raise CommandError(
            ErrorCode.INVALID_PAYLOAD, "The payload's JSON is nested too deeply."
        ) from err
    except ValueError as err:
        # JSONDecodeError, and the plain ValueError raised for integers with
        # more digits than Python's int/str conversion limit allows.
        raise CommandError(
            ErrorCode.INVALID_PAYLOAD, f"The payload is not valid JSON: {_reason(err)}."
        ) from err


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    document: dict[str, object] = {}
    for key, value in pairs:
        if key in document:
            # Different JSON libraries keep the first or the last duplicate;
            # refusing is the only reading that cannot surprise anyone.
            raise _DuplicateKeyError(f"The payload repeats the key {display(key)}.")
        document[key] = value
    return document


def _reason(err: ValueError) -> str:
    if isinstance(err, json.JSONDecodeError):
        return f"{err.msg} at line {err.lineno} column {err.colno}"
    return "a number is too long"
