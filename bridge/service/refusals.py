"""How refused commands reach the log without a flood of commands becoming a flood of lines.

One refused command is worth a log line: it names the request, the cooker
and why. Ten thousand a second from a runaway script are not: rendering a
JSON line costs more than refusing the command, so the log would decide how
many commands the bridge can refuse. The first refusal of each kind per
topic is logged at once; repeats within ``every`` seconds are counted, and
the next line logged says how many were left out. ``/metrics`` counts every
one of them.
"""

from __future__ import annotations

import time
from collections.abc import Callable

REFUSAL_LOG_EVERY_S = 5.0


class RefusalLog:
    """Decides which refusals are logged: the first per (topic, code) each window."""

    def __init__(
        self,
        every: float = REFUSAL_LOG_EVERY_S,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._every = every
        self._clock = clock
        self._logged_at: dict[tuple[str, str], float] = {}
        self._unlogged: dict[tuple[str, str], int] = {}

    def admit(self, topic_id: str, code: str) -> int | None:
        """None: leave this refusal out of the log (it is counted).

        Otherwise log it, and report the returned number of refusals of the
        same kind that were left out since the last line.
        """
        key = (topic_id, code)
        now = self._clock()
        last = self._logged_at.get(key)
        if last is not None and now - last < self._every:
            self._unlogged[key] = self._unlogged.get(key, 0) + 1
            return None
        if len(self._logged_at) > 10_000:  # topics are user input: bound the memory
            self._logged_at.clear()
            self._unlogged.clear()
        self._logged_at[key] = now
        return self._unlogged.pop(key, 0)
