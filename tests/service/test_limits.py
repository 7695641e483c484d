"""Token bucket and the request-id ledger."""

from __future__ import annotations

import asyncio

from bridge.service.dedupe import RequestLedger
from bridge.service.ratelimit import TokenBucket


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_the_burst_then_the_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=5, burst=10, clock=clock)
    assert sum(bucket.try_take() for _ in range(50)) == 10
    clock.now += 1.0
    assert sum(bucket.try_take() for _ in range(50)) == 5


def test_bucket_never_saves_up_more_than_the_burst() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=5, burst=10, clock=clock)
    clock.now += 3600
    assert sum(bucket.try_take() for _ in range(50)) == 10


def test_reserving_paces_at_the_rate_once_the_burst_is_spent() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=5, burst=10, clock=clock)
    assert [bucket.reserve() for _ in range(10)] == [0.0] * 10
    assert [round(bucket.reserve(), 6) for _ in range(3)] == [0.2, 0.4, 0.6]
    clock.now += 0.6  # the three reserved tokens have come in; the next is due in 0.2 s
    assert round(bucket.reserve(), 6) == 0.2
    assert not bucket.try_take(), "a reserved future token is not handed out twice"


async def test_ledger_returns_the_first_answer_within_the_window() -> None:
    clock = FakeClock()
    ledger = RequestLedger(600, clock=clock)
    first = ledger.remember("c1\x00abc")
    first.set_result(b"answer")
    clock.now += 599
    again = ledger.seen("c1\x00abc")
    assert again is not None
    assert await again == b"answer"


async def test_ledger_forgets_after_the_window() -> None:
    clock = FakeClock()
    ledger = RequestLedger(600, clock=clock)
    ledger.remember("c1\x00abc").set_result(b"answer")
    clock.now += 601
    assert ledger.seen("c1\x00abc") is None
    assert len(ledger) == 0


async def test_ledger_lets_a_repeat_wait_for_a_command_still_running() -> None:
    ledger = RequestLedger(600)
    pending = ledger.remember("c1\x00abc")
    seen = ledger.seen("c1\x00abc")
    assert seen is not None
    waiter = asyncio.ensure_future(seen)
    await asyncio.sleep(0)
    assert not waiter.done()
    pending.set_result(b"done")
    assert await waiter == b"done"
