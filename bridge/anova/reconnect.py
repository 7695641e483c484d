"""How soon to reconnect after the cloud socket closed.

A rate-limited account is disconnected right after the device list and the
first states (anova-api.md, "Which API"), so a connection that delivered
data proves nothing. A session counts as *healthy* only once it stayed up
``healthy_after`` seconds or completed a command (a RESPONSE matched one of
our requests); only then does the backoff start again from its base. Until
then every reconnect waits longer, up to the cap: one rate limit never
turns into a storm that could lock the account.

The cloud's routine close without a status (1005) right after a RESPONSE is
reconnected at once, as the apps do; but only once per answered command, so
a cloud that closes every fresh socket with 1005 cannot make us spin.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable

from bridge.anova.backoff import Backoff
from bridge.anova.connection import NO_STATUS

HEALTHY_AFTER_S = 60.0


class Reconnect(enum.Enum):
    """What the run loop does after a session ends."""

    AT_ONCE = "at once"
    BACKOFF = "after backoff"


class ReconnectPolicy:
    """Tracks one session's health and decides the next reconnect.

    Args:
        backoff: the delays between unhealthy attempts.
        healthy_after: seconds a session must stay up to count as healthy.
        monotonic: the clock uptime is measured on; tests inject a virtual one.
    """

    def __init__(
        self,
        backoff: Backoff,
        *,
        healthy_after: float = HEALTHY_AFTER_S,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._backoff = backoff
        self._healthy_after = healthy_after
        self._monotonic = monotonic
        self._opened_at: float | None = None
        self._answered = False

    def opened(self) -> None:
        """A new session started: its health is still unproven."""
        self._opened_at = self._monotonic()
        self._answered = False

    def answered(self) -> None:
        """A RESPONSE completed one of our commands: the session is healthy."""
        self._answered = True
        self._backoff.reset()

    def closed(self, code: int, *, planned: bool = False) -> Reconnect:
        """The session ended with ``code``; ``planned`` when we closed it to reconnect."""
        if self._opened_at is not None:
            if self._monotonic() - self._opened_at >= self._healthy_after:
                self._backoff.reset()
            self._opened_at = None
        answered, self._answered = self._answered, False
        if planned or (code == NO_STATUS and answered):
            return Reconnect.AT_ONCE
        return Reconnect.BACKOFF

    def next_delay(self) -> float:
        """How long to wait before the next attempt (it grows until a healthy session)."""
        return self._backoff.next_delay()
