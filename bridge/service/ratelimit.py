"""A token bucket per cooker: the cloud never sees more than the configured rate.

The Anova cloud disconnects clients that send too much, which would cost every
cooker its link; refusing the excess here keeps one noisy script from hurting
the others.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class TokenBucket:
    """Allows ``rate`` events per second on average with bursts up to ``burst``."""

    def __init__(
        self, rate: float, burst: int, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._tokens = float(burst)
        self._last = clock()

    def try_take(self) -> bool:
        """Take one token if there is one; False means over the limit."""
        self._refill()
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False

    def reserve(self) -> float:
        """Take the next token even if it is not there yet; returns the seconds until it is.

        Used for pacing rather than refusing: a caller that waits the returned
        delay before acting never acts more than ``burst + rate * t`` times in
        any span of ``t`` seconds.
        """
        self._refill()
        self._tokens -= 1.0
        return max(0.0, -self._tokens / self.rate)

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
        self._last = now
