"""Capped exponential backoff with jitter, for reconnecting to the cloud.

Each delay is drawn uniformly from the upper half of the capped exponential
(``[ceiling / 2, ceiling]``, "equal jitter"). The jitter keeps many bridges
that lost the cloud at the same moment from reconnecting in lock-step; the
floor of half the ceiling guarantees that a string of failures really slows
down, whatever the draws. A rate-limited account (anova-api.md: the cloud
disconnects after the device list) must see fewer and fewer attempts, not
an occasional zero-second one.
"""

from __future__ import annotations

import random


class Backoff:
    """Delays for successive failed attempts; :meth:`reset` after a healthy connection.

    Args:
        base: the first attempt's ceiling, in seconds.
        cap: the largest ceiling, in seconds.
        rng: source of jitter, injectable for tests.
    """

    def __init__(self, base: float = 0.5, cap: float = 30.0, rng: random.Random | None = None):
        if base <= 0 or cap < base:
            raise ValueError("backoff needs 0 < base <= cap")
        self.base = base
        self.cap = cap
        self.attempts = 0
        # Jitter, not cryptography.
        self._rng = rng or random.Random()  # noqa: S311

    def ceiling(self) -> float:
        """The upper bound of the next delay."""
        return min(self.cap, self.base * 2.0 ** min(self.attempts, 62))

    def floor(self) -> float:
        """The lower bound of the next delay: half its ceiling."""
        return self.ceiling() / 2.0

    def next_delay(self) -> float:
        """A delay for the next attempt, and count the attempt."""
        delay = self._rng.uniform(self.floor(), self.ceiling())
        self.attempts += 1
        return delay

    def reset(self) -> None:
        """Start again from ``base``: the last connection was healthy."""
        self.attempts = 0
