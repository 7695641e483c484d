"""One cooker's command queue: run one at a time, in arrival order.

Each cooker gets its own lane, so a slow cloud round trip for one cooker
never delays another. A Home Assistant slider sends a burst of target
temperatures; a queued-but-not-started target change is replaced by the
newer one (coalescing) so the cloud only sees the value the user settled on.

The rate limit refuses commands as they arrive, but a queue can bunch what it
admitted: commands that waited behind a slow round trip would otherwise leave
back to back. A lane with a pacer starts its jobs no faster than the same
limit allows, so the cloud sees the configured rate in every span.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from bridge.logs import get_logger
from bridge.service.ratelimit import TokenBucket

log = get_logger("lane")


@dataclass
class Job:
    """A queued command and what to do with it.

    Attributes:
        run: executes the command; its result is handed to ``done``.
        coalesce_key: jobs with the same non-None key replace a waiting one.
        on_superseded: called instead of ``run`` for a job that was replaced.
    """

    run: Callable[[], Awaitable[Any]]
    coalesce_key: str | None = None
    on_superseded: Callable[[], Coroutine[Any, Any, None]] | None = None
    done: asyncio.Future[Any] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class CommandLane:
    """A FIFO worker for one cooker, optionally paced by a token bucket."""

    def __init__(self, name: str, pacer: TokenBucket | None = None) -> None:
        self.name = name
        self._pacer = pacer
        self._waiting: deque[Job] = deque()
        self._wakeup = asyncio.Event()
        self._busy = False
        self._closed = False
        self._side_tasks: set[asyncio.Task[None]] = set()
        self._worker = asyncio.create_task(self._work(), name=f"lane-{name}")

    @property
    def pending(self) -> int:
        """Jobs waiting or running."""
        return len(self._waiting) + (1 if self._busy else 0)

    def has_waiting(self, key: str) -> bool:
        """True when a queued, not yet started job has this coalesce key."""
        return any(job.coalesce_key == key for job in self._waiting)

    def submit(self, job: Job) -> Job:
        """Queue ``job``; a waiting job with the same coalesce key is superseded.

        On an idle lane the job starts at once in a task of its own rather
        than waking the lane's worker, which would cost every command on an
        idle cooker one more turn of the loop. Either way it is in the lane
        when this returns, so the next command sees it (coalescing, order).
        """
        if job.coalesce_key is not None:
            self._supersede(job.coalesce_key)
        if not (self._busy or self._waiting or self._closed):
            self._busy = True
            task = asyncio.create_task(self._run_in_place(job), name=f"lane-{self.name}-job")
            self._side_tasks.add(task)
            task.add_done_callback(self._side_tasks.discard)
            return job
        self._waiting.append(job)
        self._wakeup.set()
        return job

    async def _run_in_place(self, job: Job) -> None:
        try:
            await self._execute(job)
        finally:
            self._busy = False
            self._wakeup.set()  # the worker takes what queued up meanwhile

    def _supersede(self, key: str) -> None:
        for queued in list(self._waiting):
            if queued.coalesce_key == key:
                self._waiting.remove(queued)
                if queued.on_superseded is not None:
                    task = asyncio.create_task(queued.on_superseded())
                    self._side_tasks.add(task)
                    task.add_done_callback(self._side_tasks.discard)
                if not queued.done.done():
                    queued.done.set_result(None)

    async def _work(self) -> None:
        while not (self._closed and not self._waiting and not self._busy):
            if not self._waiting or self._busy:  # nothing to do, or a job runs in place
                self._wakeup.clear()
                await self._wakeup.wait()
                continue
            job = self._waiting.popleft()
            self._busy = True
            try:
                await self._execute(job)
            finally:
                self._busy = False

    async def _execute(self, job: Job) -> None:
        if self._pacer is not None and (delay := self._pacer.reserve()) > 0:
            await asyncio.sleep(delay)
        try:
            result = await job.run()
        except asyncio.CancelledError:
            raise
        except Exception as err:  # a job's failure must not kill the lane
            log.exception("command_job_failed", lane=self.name)
            if not job.done.done():
                job.done.set_exception(err)
        else:
            if not job.done.done():
                job.done.set_result(result)

    async def drain(self, within: float) -> bool:
        """Stop taking new work, finish what is queued within ``within`` s; True if all done."""
        self._closed = True
        self._wakeup.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._worker), within)
        except TimeoutError:
            return False
        return True

    async def cancel(self) -> None:
        """Abandon queued work (used when draining ran out of time)."""
        for task in list(self._side_tasks):
            task.cancel()
        self._worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._worker
