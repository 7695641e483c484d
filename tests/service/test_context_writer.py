"""Cook contexts are written off the event loop, newest first, and flushed on demand."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from bridge.service.contexts import CookContexts
from bridge.service.contextstore import CookContextStore
from bridge.service.cookcontext import CookContext


class SlowStore(CookContextStore):
    """A disk that takes its time (an SD card): each write waits for the test's go."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self.go = threading.Event()
        self.writes: list[list[str]] = []

    def save(self, contexts: Mapping[str, CookContext]) -> bool:
        self.go.wait(timeout=10)
        self.writes.append(sorted(contexts))
        return super().save(contexts)


def context(cooker_id: str) -> CookContext:
    started = datetime(2026, 12, 1, tzinfo=UTC)
    return CookContext(cooker_id=cooker_id, started_at=started, target_c=60.0, timer_s=0)


async def test_a_slow_disk_never_holds_up_the_loop_and_the_newest_contexts_win(
    tmp_path: Path,
) -> None:
    store = SlowStore(tmp_path)
    contexts = CookContexts(store, {})
    contexts._unclaimed["c1"] = context("c1")  # a context whose cooker is not listed
    contexts.save()
    await asyncio.sleep(0)  # the writer takes the first snapshot to its thread
    contexts._unclaimed["c2"] = context("c2")
    contexts.save()  # while the first write waits for the disk
    contexts.save()
    assert store.writes == [], "save() came back although the disk has not written anything"
    flushing = asyncio.create_task(contexts.flushed())
    await asyncio.sleep(0.05)
    assert not flushing.done(), "flushed() waits for the disk"
    store.go.set()
    await asyncio.wait_for(flushing, 10)
    assert len(store.writes) <= 2, "saves made during a write are written together once"
    assert store.writes[-1] == ["c1", "c2"]
    assert sorted(CookContextStore(tmp_path).load()) == ["c1", "c2"]
