"""Periodic jobs on apscheduler, on the bridge's own event loop.

State republish, health, staleness checks and token refresh all run here, so
their timing is visible in one place and they never overlap themselves.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler

Job = Callable[[], Awaitable[None]]


class PeriodicJobs:
    """A thin wrapper naming each job and refusing overlapping runs."""

    def __init__(self) -> None:
        self._scheduler = AsyncIOScheduler(timezone="UTC")

    def every(self, seconds: float, job: Job, *, name: str) -> None:
        """Run ``job`` every ``seconds``; a run still going when the next is due is skipped."""
        self._scheduler.add_job(
            job,
            "interval",
            seconds=seconds,
            id=name,
            name=name,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=max(1, int(seconds)),
        )

    def start(self) -> None:
        """Start the scheduler on the running loop."""
        self._scheduler.start()

    def stop(self) -> None:
        """Stop without waiting for running jobs (the service cancels its own work)."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
