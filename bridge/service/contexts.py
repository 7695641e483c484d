"""Keeps each cooker's running-cook context in step with what the cooker shows.

:mod:`bridge.service.cookcontext` says what a context is and when a state
belongs to it; this is the service's bookkeeping: adopt saved contexts when
a cooker is listed, bind, keep or drop them as states arrive, make one for a
cook the bridge finds running, and write the file only when one changed.

The file is written off the event loop, by one writer task that always
writes the newest contexts: a write costs milliseconds (more on an SD card),
and on the loop it would hold up every cooker's commands and MQTT with it. A
command is answered only once :meth:`CookContexts.flushed` says what it
changed is on disk; a start is sent while its context is being written, so
only a crash within that write (a few milliseconds) can lose it, and the cook
is then one of unknown food (rules 1 to 3), as after any cook the bridge did
not start.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from datetime import datetime

from bridge.anova.state import CookerState
from bridge.logs import get_logger
from bridge.service.contextstore import CookContextStore
from bridge.service.cookcontext import (
    CookContext,
    awaiting_new_cook,
    belongs_to,
    bind,
    shows_no_cook,
)
from bridge.service.cooker import CookerRecord
from bridge.service.payloads import utc_now

log = get_logger("contexts")


class CookContexts:
    """The running cooks' contexts of every cooker, persisted through a store."""

    def __init__(
        self,
        store: CookContextStore,
        cookers: Mapping[str, CookerRecord],
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store = store
        self._cookers = cookers
        self._clock = clock
        # Contexts of cookers the cloud has not listed (yet): kept in the file.
        self._unclaimed = store.load()
        self._writer: asyncio.Task[None] | None = None
        self._unwritten = False

    def adopt(self, cooker: CookerRecord) -> None:
        """Give a newly listed cooker the context saved for it, if any."""
        cooker.hold_context(self._unclaimed.pop(cooker.cooker_id, None), watched=False)

    def release(self, cooker: CookerRecord) -> None:
        """A cooker left the account list: keep its context in case it comes back."""
        if cooker.context is not None:
            self._unclaimed[cooker.cooker_id] = cooker.context

    def begin(self, cooker: CookerRecord, context: CookContext | None) -> None:
        """The bridge starts (or restores) a cook: this is its context now."""
        cooker.hold_context(context, watched=context is not None)
        self.save()

    def end(self, cooker: CookerRecord) -> None:
        """The bridge stopped the cook: its context ends with it."""
        self.begin(cooker, None)

    def on_state(self, cooker: CookerRecord, state: CookerState) -> None:
        """Follow the cooker's new state: keep, bind, drop or make the context."""
        if self._reconcile(cooker, state):
            self.save()

    def save(self) -> None:
        """Have every context (listed cookers' and unclaimed ones) written, off the loop."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop yet (start-up): nothing else to hold up
            self._store.save(self._snapshot())
            return
        self._unwritten = True
        if self._writer is None or self._writer.done():
            self._writer = loop.create_task(self._write(), name="cook-contexts-writer")

    async def flushed(self) -> None:
        """Return once every context saved so far is on disk."""
        while self._writer is not None and not self._writer.done():
            await asyncio.shield(self._writer)

    async def _write(self) -> None:
        while self._unwritten:
            self._unwritten = False
            await asyncio.to_thread(self._store.save, self._snapshot())

    def _snapshot(self) -> dict[str, CookContext]:
        """Copies: the loop may change a context while a thread writes it."""
        contexts = dict(self._unclaimed)
        contexts.update({c.cooker_id: c.context for c in self._cookers.values() if c.context})
        return {cid: ctx.model_copy(deep=True) for cid, ctx in contexts.items()}

    def _reconcile(self, cooker: CookerRecord, state: CookerState) -> bool:
        context = cooker.context
        if context is None:
            return self._observe(cooker, state)
        if shows_no_cook(state):
            if cooker.starting:
                return False  # the start is on its way; the old idle state says nothing
            log.info("cook_context_dropped", cooker_id=cooker.cooker_id)
            cooker.hold_context(None, watched=False)
            return True
        if not state.is_cooking or awaiting_new_cook(context, state):
            return False
        if belongs_to(context, state, continuous=cooker.watched):
            cooker.watch()
            return bind(context, state)
        # A different cook runs than the one the context was made for: its food
        # is unknown, so only rules 1-3 apply to it.
        log.warning(
            "cook_context_mismatch",
            cooker_id=cooker.cooker_id,
            expected=context.cook_id,
            found=state.cook.id if state.cook else None,
        )
        cooker.hold_context(None, watched=False)
        return self._observe(cooker, state) or True

    def _observe(self, cooker: CookerRecord, state: CookerState) -> bool:
        if not state.is_cooking or cooker.starting:
            return False
        cooker.hold_context(CookContext.observed(state, self._clock()), watched=True)
        return True
