"""The simulator's clock: real time scaled by a speed factor, plus manual jumps.

Tests run a two-hour cook in seconds either by raising ``speed`` or by
calling :meth:`SimClock.advance`. Everything time-dependent in the simulator
(bath physics, cook timers, ID-token expiry, timestamps in pushed states)
reads this clock, never ``time.time()`` directly, so the two ways of moving
time agree.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime


class SimClock:
    """Simulated wall clock: ``start + real_elapsed * speed + advances``.

    Args:
        speed: how many simulated seconds pass per real second; 0 freezes
            the clock so only :meth:`advance` moves it.
        start: the simulated time at creation, as epoch seconds; defaults to
            the real current time so pushed timestamps look plausible.
        monotonic: source of real elapsed time; injectable for unit tests.
    """

    def __init__(
        self,
        speed: float = 1.0,
        *,
        start: float | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if speed < 0:
            raise ValueError("speed must not be negative")
        self._monotonic = monotonic
        self._speed = speed
        # Re-based on every speed change so a new speed never rewrites the past.
        self._base_sim = time.time() if start is None else start
        self._base_real = monotonic()

    @property
    def speed(self) -> float:
        """Simulated seconds per real second."""
        return self._speed

    @speed.setter
    def speed(self, value: float) -> None:
        if value < 0:
            raise ValueError("speed must not be negative")
        self._rebase()
        self._speed = value

    def time(self) -> float:
        """Current simulated time as epoch seconds."""
        return self._base_sim + (self._monotonic() - self._base_real) * self._speed

    def now(self) -> datetime:
        """Current simulated time as an aware UTC datetime."""
        return datetime.fromtimestamp(self.time(), tz=UTC)

    def advance(self, seconds: float) -> None:
        """Jump the clock forward; time never runs backwards."""
        if seconds < 0:
            raise ValueError("the clock cannot go backwards")
        self._base_sim += seconds

    def _rebase(self) -> None:
        self._base_sim = self.time()
        self._base_real = self._monotonic()


def iso_z(epoch: float, *, micros: bool = False) -> str:
    """Epoch seconds as the cloud's ISO-8601 UTC form, e.g. ``2024-07-05T21:49:56Z``."""
    moment = datetime.fromtimestamp(epoch, tz=UTC)
    spec = "microseconds" if micros else "seconds"
    return moment.isoformat(timespec=spec).replace("+00:00", "Z")
