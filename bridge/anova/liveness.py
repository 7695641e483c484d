"""When a cooker counts as offline.

An unplugged cooker sends nothing at all: the cloud has no offline event.
So a cooker is declared offline after ``offline_after`` seconds without a
state from it, and all cookers are declared offline when the socket has
been down for ``grace`` seconds. The grace keeps the cloud's routine close
right after a RESPONSE (code 1005, reconnected at once) from flapping every
cooker offline and back.

Some cookers push nothing while idle, and the cloud sends every cooker's
state on each new connection. So halfway to ``offline_after`` a quiet
cooker triggers ``on_quiet``: the client reconnects to ask again, and only a
cooker still silent after that is declared offline.

An offline idle cooker would stay offline for good even once it is
reachable again (after a cloud hang that kept the socket open, say): it
pushes nothing by itself. So while any cooker is offline, ``on_quiet`` is
called again every half ``offline_after`` — one reconnect per period,
however many cookers are offline — until a state of its own brings it back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable


class Liveness:
    """Timers that call ``on_offline(cooker_id)`` when a cooker goes quiet.

    Args:
        offline_after: seconds of silence after which a cooker is offline.
        grace: seconds the socket may be down before every cooker is offline.
        on_offline: called on the event loop, once per cooker per silence.
        on_quiet: called halfway through a silence, to provoke a fresh state.
    """

    def __init__(
        self,
        offline_after: float,
        grace: float,
        on_offline: Callable[[str], None],
        on_quiet: Callable[[str], None] | None = None,
    ) -> None:
        self._offline_after = offline_after
        self._grace = grace
        self._on_offline = on_offline
        self._on_quiet = on_quiet
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._quiet_timers: dict[str, asyncio.TimerHandle] = {}
        self._link_timer: asyncio.TimerHandle | None = None
        self._known: set[str] = set()
        self._silent: set[str] = set()  # declared offline by their own silence
        self._reprobe_timer: asyncio.TimerHandle | None = None

    def heard(self, cooker_id: str) -> None:
        """A state arrived from ``cooker_id``: restart its silence timer."""
        self._known.add(cooker_id)
        self._silent.discard(cooker_id)
        self._cancel(cooker_id)
        loop = asyncio.get_running_loop()
        self._timers[cooker_id] = loop.call_later(self._offline_after, self._expire, cooker_id)
        if self._on_quiet is not None:
            self._quiet_timers[cooker_id] = loop.call_later(
                self._offline_after / 2, self._on_quiet, cooker_id
            )

    def track(self, cooker_ids: Iterable[str]) -> None:
        """Start silence timers for listed cookers never seen before.

        A cooker already known keeps its timers, and one already declared
        offline is not re-armed: only a state of its own brings it back, so
        an unplugged cooker does not cause a probe on every reconnect.
        """
        for cooker_id in cooker_ids:
            if cooker_id not in self._known:
                self.heard(cooker_id)

    def forget(self, cooker_id: str) -> None:
        """The cooker left the device list: stop watching it."""
        self._cancel(cooker_id)
        self._known.discard(cooker_id)
        self._silent.discard(cooker_id)

    def link_down(self) -> None:
        """The socket closed: everyone goes offline unless it is back within the grace."""
        if self._link_timer is None:
            loop = asyncio.get_running_loop()
            self._link_timer = loop.call_later(self._grace, self._all_offline)

    def link_up(self) -> None:
        """The socket is open again."""
        if self._link_timer is not None:
            self._link_timer.cancel()
            self._link_timer = None

    def close(self) -> None:
        """Cancel every timer."""
        self.link_up()
        for cooker_id in {*self._timers, *self._quiet_timers}:
            self._cancel(cooker_id)
        if self._reprobe_timer is not None:
            self._reprobe_timer.cancel()
            self._reprobe_timer = None

    def _cancel(self, cooker_id: str) -> None:
        for timers in (self._timers, self._quiet_timers):
            timer = timers.pop(cooker_id, None)
            if timer is not None:
                timer.cancel()

    def _expire(self, cooker_id: str) -> None:
        self._timers.pop(cooker_id, None)
        self._on_offline(cooker_id)
        self._silent.add(cooker_id)
        self._arm_reprobe()

    def _arm_reprobe(self) -> None:
        if self._on_quiet is None or self._reprobe_timer is not None:
            return
        loop = asyncio.get_running_loop()
        self._reprobe_timer = loop.call_later(self._offline_after / 2, self._reprobe)

    def _reprobe(self) -> None:
        self._reprobe_timer = None
        if not self._silent or self._on_quiet is None:
            return
        self._on_quiet(min(self._silent))
        self._arm_reprobe()

    def _all_offline(self) -> None:
        self._link_timer = None
        for cooker_id in sorted(self._known):
            self._on_offline(cooker_id)
