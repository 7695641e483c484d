"""Wait on a condition with a deadline instead of sleeping a guessed time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def wait_until(
    predicate: Callable[[], T | None], timeout: float = 10.0, what: str = "condition"
) -> T:
    """Poll ``predicate`` until truthy; fail naming ``what`` after ``timeout`` seconds.

    A predicate that returns ``X | None`` gives back ``X``: the wait only ends on a value.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.01)


async def async_wait_until(
    predicate: Callable[[], T | Coroutine[Any, Any, T | None] | None],
    timeout: float = 10.0,
    what: str = "condition",
) -> T:
    """Async variant of :func:`wait_until`; the predicate may be a coroutine function."""
    deadline = time.monotonic() + timeout
    while True:
        found = predicate()
        value = await found if asyncio.iscoroutine(found) else found
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.01)
