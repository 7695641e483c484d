"""The per-account rate limit of the fake cloud, on the simulated clock.

The real cloud rate limits an *account*: reconnecting with the same (or
another) token of that account does not start a clean slate. So attempts
are counted per account in a rolling simulated minute, refused ones
included, and a client only gets back in by slowing down. The window runs
on :class:`~bridge.simulator.clock.SimClock`, so a test can fast-forward
through minutes of backoff.
"""

from __future__ import annotations

from collections import defaultdict, deque

from bridge.simulator.clock import SimClock
from bridge.simulator.faults import POLICY_VIOLATION, SimFaults

WINDOW_S = 60.0


class AccountLimiter:
    """Counts connections and commands per account, and decides who is refused.

    Args:
        clock: the simulator's clock, which the rolling window follows.
        faults: read on every attempt for the limit and the close-after-list fault.
    """

    def __init__(self, clock: SimClock, faults: SimFaults) -> None:
        self._clock = clock
        self._faults = faults
        self._attempts: defaultdict[str, deque[float]] = defaultdict(deque)

    def on_connect(self, account: str) -> int | None:
        """Count a new connection; the close code it gets after the greeting, if any."""
        if self.attempt(account, self._faults.account_rate_limit_per_minute):
            return POLICY_VIOLATION
        return self._faults.close_after_device_list

    def on_command(self, account: str) -> bool:
        """Count a command; True when it must close its socket (1008) unanswered."""
        return self.attempt(account, self._faults.account_rate_limit_per_minute)

    def attempt(self, account: str, limit: int | None) -> bool:
        """Count one attempt by ``account``; True when it is over ``limit`` (None: no limit)."""
        if limit is None:
            return False
        now = self._clock.time()
        recent = self._attempts[account]
        recent.append(now)
        while recent and now - recent[0] >= WINDOW_S:
            recent.popleft()
        return len(recent) > limit

    def recent(self, account: str) -> int:
        """Attempts by ``account`` in the current window."""
        now = self._clock.time()
        return sum(1 for moment in self._attempts[account] if now - moment < WINDOW_S)
