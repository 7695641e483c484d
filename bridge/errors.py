"""The bridge's exception tree and the stable error codes users see.

Every failure a user can observe carries a code from CONTRACT §4. Third-party
failures (paho, websockets, httpx, pydantic) are converted into this tree at
the boundary that meets them, with ``raise … from err``, so nothing above
that boundary catches library exceptions.

::

    BridgeError                      code, message, field
    ├── ConfigError                  bad configuration: exit 2      (fatal)
    ├── CommandError                 a command was refused          (answer, carry on)
    │     input, limits, food-safety and device-state codes
    └── UpstreamError                the Anova cloud failed us
          ├── AnovaAuthError         ANOVA_AUTH_FAILED              (fatal until config changes)
          ├── AnovaRejectedError     ANOVA_REJECTED                 (answer, carry on)
          ├── AnovaTimeoutError      ANOVA_TIMEOUT                  (answer, carry on)
          └── AnovaUnavailableError  ANOVA_UNAVAILABLE              (answer; the link reconnects)

A failed command is answered, never retried by the bridge: re-sending a
START whose first attempt may have reached the cooker could run it twice.
Only connections are retried, in the client and in paho. The one place that
handles each kind is documented in docs/architecture.md.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Stable, upper-snake-case codes published in responses (CONTRACT §4)."""

    # input
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    INVALID_PAYLOAD = "INVALID_PAYLOAD"
    UNKNOWN_ACTION = "UNKNOWN_ACTION"
    INVALID_FIELD = "INVALID_FIELD"
    MISSING_FIELD = "MISSING_FIELD"
    RETAINED_COMMAND_REJECTED = "RETAINED_COMMAND_REJECTED"
    UNKNOWN_DEVICE = "UNKNOWN_DEVICE"
    # limits
    TEMPERATURE_TOO_HIGH = "TEMPERATURE_TOO_HIGH"
    TEMPERATURE_TOO_LOW = "TEMPERATURE_TOO_LOW"
    TIME_TOO_LONG = "TIME_TOO_LONG"
    TIME_TOO_SHORT = "TIME_TOO_SHORT"
    # food safety
    POULTRY_TEMP_UNSAFE = "POULTRY_TEMP_UNSAFE"
    GROUND_MEAT_TEMP_UNSAFE = "GROUND_MEAT_TEMP_UNSAFE"
    LOW_TEMP_TIME_UNSAFE = "LOW_TEMP_TIME_UNSAFE"
    PASTEURIZATION_TIME_TOO_SHORT = "PASTEURIZATION_TIME_TOO_SHORT"
    # device state
    DEVICE_OFFLINE = "DEVICE_OFFLINE"
    DEVICE_BUSY = "DEVICE_BUSY"
    NO_ACTIVE_COOK = "NO_ACTIVE_COOK"
    # upstream
    RATE_LIMITED = "RATE_LIMITED"
    ANOVA_AUTH_FAILED = "ANOVA_AUTH_FAILED"
    ANOVA_TIMEOUT = "ANOVA_TIMEOUT"
    ANOVA_REJECTED = "ANOVA_REJECTED"
    ANOVA_UNAVAILABLE = "ANOVA_UNAVAILABLE"
    # configuration (never in a command response; used by check-config and logs)
    CONFIG_INVALID = "CONFIG_INVALID"


class BridgeError(Exception):
    """Base of every error the bridge raises on purpose.

    Args:
        code: the stable code users and tools match on.
        message: a full sentence a cook can act on.
        field: the command or config field at fault, when there is one.
    """

    def __init__(self, code: ErrorCode, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code.value!r}, {self.message!r}, field={self.field!r})"


class ConfigError(BridgeError):
    """The configuration cannot be used; the CLI exits with status 2."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(ErrorCode.CONFIG_INVALID, message, field=field)


class CommandError(BridgeError):
    """A command was refused before (or instead of) reaching the cooker."""


class UpstreamError(BridgeError):
    """The Anova cloud did not do what we asked."""


class AnovaAuthError(UpstreamError):
    """The token or the email/password was refused by the cloud."""

    def __init__(self, message: str) -> None:
        super().__init__(ErrorCode.ANOVA_AUTH_FAILED, message)


class AnovaRejectedError(UpstreamError):
    """The cloud answered a command with a non-ok status; message is its text."""

    def __init__(self, message: str) -> None:
        super().__init__(ErrorCode.ANOVA_REJECTED, message)


class AnovaTimeoutError(UpstreamError):
    """The cloud did not answer within the command timeout."""

    def __init__(self, message: str) -> None:
        super().__init__(ErrorCode.ANOVA_TIMEOUT, message)


class AnovaUnavailableError(UpstreamError):
    """The cloud could not be reached or dropped the connection."""

    def __init__(self, message: str) -> None:
        super().__init__(ErrorCode.ANOVA_UNAVAILABLE, message)
