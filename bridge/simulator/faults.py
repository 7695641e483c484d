"""Switchable misbehaviour of the fake cloud, for tests that the bridge copes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

NO_STATUS = 1005
POLICY_VIOLATION = 1008
CLOSE_CODES = (NO_STATUS, POLICY_VIOLATION)


@dataclass
class SimFaults:
    """Faults the simulator injects; mutable at any time, read on every use.

    Attributes:
        close_after_command: close the socket right after sending a RESPONSE,
            with an empty close frame, as the real cloud sometimes does (the
            client sees close code 1005, "no status received").
        response_delay: real seconds to wait before sending a RESPONSE; the
            command still takes effect at once (a late answer, not a late cook).
        reject_all: when set, every command is answered with status "error"
            and this text, and nothing happens.
        rate_limit_per_minute: more commands than this in a rolling real-time
            minute on one connection get that socket closed (code 1008)
            instead of an answer.
        account_rate_limit_per_minute: more connections plus commands than
            this from one account (every token of one login, or the personal
            token) in a rolling *simulated* minute, and the account is rate
            limited: each new connection gets the device list and states and
            is then closed with 1008, and each command closes its socket
            (1008) instead of being answered. Refused attempts count too, so
            the limit survives reconnects: only a client that slows down gets
            back in (anova-api.md, "Which API").
        close_after_device_list: a close code (1008 as a rate-limited account
            sees, or 1005 for an empty close frame); every new connection
            gets the device list and states, then is closed with it. None: off.
        silent: the cloud hangs: connections are accepted (and WebSocket pings
            answered by the protocol layer) but nothing is pushed or answered,
            and commands are dropped unprocessed.
    """

    close_after_command: bool = False
    response_delay: float = 0.0
    reject_all: str | None = None
    rate_limit_per_minute: int | None = None
    account_rate_limit_per_minute: int | None = None
    close_after_device_list: int | None = None
    silent: bool = False

    def patch(self, changes: Mapping[str, Any]) -> None:
        """Apply a partial update (the control surface's JSON), checking names and types.

        Raises:
            ValueError: an unknown fault name or a value of the wrong type;
                nothing is changed then.
        """
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"unknown fault(s): {', '.join(unknown)}")
        checked = {name: _check(name, value) for name, value in changes.items()}
        for name, value in checked.items():
            setattr(self, name, value)

    def as_dict(self) -> dict[str, Any]:
        """The current faults as plain JSON-able values."""
        return asdict(self)


def _check(name: str, value: Any) -> Any:
    if name in ("close_after_command", "silent"):
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be true or false")
        return value
    if name == "response_delay":
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ValueError("response_delay must be a non-negative number of seconds")
        return float(value)
    if name == "reject_all":
        if value is not None and not isinstance(value, str):
            raise ValueError("reject_all must be an error text or null")
        return value
    if name == "close_after_device_list":
        if value is not None and value not in CLOSE_CODES:
            raise ValueError("close_after_device_list must be 1005, 1008 or null")
        return value
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise ValueError(f"{name} must be a non-negative integer or null")
    return value
