"""Waiting for a message that arrives from now on, not one the probe saw earlier.

``probe.until`` looks at every message seen so far, which is right for "has
this happened"; a test that waits for the *next* state after an action
marks the count first with :func:`seen` and then calls :func:`next_on`.
"""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import Stack
from tests.support.waiting import async_wait_until


def seen(stack: Stack, index: int, suffix: str) -> int:
    """How many messages the probe has had on the cooker's ``suffix`` topic so far."""
    return len(stack.probe.on(stack.topic(index, suffix)))


async def next_on(
    stack: Stack, index: int, suffix: str, since: int, predicate: Any, *, timeout: float = 20
) -> Any:
    """The first JSON message after the first ``since`` on the cooker's ``suffix`` topic
    that matches ``predicate``."""
    topic = stack.topic(index, suffix)

    def found() -> Any:
        fresh = [m.json() for m in stack.probe.on(topic)[since:]]
        return next((body for body in fresh if predicate(body)), None)

    return await async_wait_until(found, timeout=timeout, what=f"next {suffix} message")
