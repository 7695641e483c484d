"""Answers to commands (CONTRACT §4) and to bridge requests (CONTRACT §1).

The JSON shapes are part of the public contract, so they are built by these
models only. ``ok`` answers carry ``data`` and ``warnings``; ``error``
answers carry ``error`` (``code``, ``field``, ``message``) instead. Unknown
``request_id`` and ``action`` are ``null``, never left out, so clients can
always read the same keys.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from bridge.errors import BridgeError

Status = Literal["ok", "error"]


class ErrorBody(BaseModel):
    """The ``error`` object of an error answer."""

    model_config = ConfigDict(frozen=True)

    code: str
    field: str | None
    message: str

    @classmethod
    def of(cls, err: BridgeError) -> ErrorBody:
        """The error object for a bridge error."""
        return cls(code=err.code.value, field=err.field, message=err.message)


class CommandResponse(BaseModel):
    """One answer on ``<base>/<id>/response``."""

    model_config = ConfigDict(frozen=True)

    request_id: str | None
    action: str | None
    status: Status
    data: dict[str, Any] = Field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    # Named error_body because ``error`` is the factory classmethod; it is
    # published under the key "error".
    error_body: ErrorBody | None = Field(default=None, alias="error")

    @classmethod
    def ok(
        cls,
        request_id: str | None,
        action: str | None,
        data: dict[str, Any] | None = None,
        warnings: list[str] | tuple[str, ...] = (),
    ) -> CommandResponse:
        """An ``ok`` answer with the result ``data`` and any ``warnings``."""
        return cls(
            request_id=request_id,
            action=action,
            status="ok",
            data=dict(data or {}),
            warnings=tuple(warnings),
        )

    @classmethod
    def error(cls, request_id: str | None, action: str | None, err: BridgeError) -> CommandResponse:
        """An ``error`` answer carrying the error's code, field and message."""
        return cls(request_id=request_id, action=action, status="error", error=ErrorBody.of(err))

    def to_document(self) -> dict[str, Any]:
        """The answer as the JSON-ready dict of CONTRACT §4."""
        head: dict[str, Any] = {
            "request_id": self.request_id,
            "action": self.action,
            "status": self.status,
        }
        if self.status == "ok":
            return {**head, "data": self.data, "warnings": list(self.warnings)}
        return {**head, "error": _error_document(self.error_body)}

    def to_json(self) -> bytes:
        """The MQTT payload: UTF-8 JSON."""
        return dump_json(self.to_document())


class BridgeResponse(BaseModel):
    """An answer on ``<base>/bridge/response/<action>``.

    All four keys are always present; the one that does not apply is null.
    """

    model_config = ConfigDict(frozen=True)

    status: Status
    data: dict[str, Any] | None = None
    error_body: ErrorBody | None = Field(default=None, alias="error")
    transaction: str | None = None

    @classmethod
    def ok(cls, transaction: str | None, data: dict[str, Any] | None = None) -> BridgeResponse:
        """A successful answer echoing the request's ``transaction``."""
        return cls(status="ok", data=dict(data or {}), transaction=transaction)

    @classmethod
    def error(cls, transaction: str | None, err: BridgeError) -> BridgeResponse:
        """A failed answer echoing the request's ``transaction``."""
        return cls(status="error", error=ErrorBody.of(err), transaction=transaction)

    def to_document(self) -> dict[str, Any]:
        """The answer as the JSON-ready dict of CONTRACT §1."""
        return {
            "status": self.status,
            "data": self.data,
            "error": None if self.error_body is None else _error_document(self.error_body),
            "transaction": self.transaction,
        }

    def to_json(self) -> bytes:
        """The MQTT payload: UTF-8 JSON."""
        return dump_json(self.to_document())


def dump_json(document: dict[str, Any]) -> bytes:
    """Serialise a response document.

    ``ensure_ascii=False`` keeps "°C" readable in ``mosquitto_sub``;
    ``allow_nan=False`` because NaN is not JSON and would break strict
    parsers; ``errors="replace"`` so a lone surrogate that slipped into
    ``data`` degrades to "?" instead of losing the whole answer.
    """
    text = json.dumps(document, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.encode("utf-8", errors="replace")


def _error_document(body: ErrorBody | None) -> dict[str, Any]:
    assert body is not None, "an error answer always has an error body"
    return body.model_dump()
