"""Per-cooker command lanes: order, isolation, coalescing, draining."""

from __future__ import annotations

import asyncio
import functools

from bridge.service.lane import CommandLane, Job
from bridge.service.ratelimit import TokenBucket


async def test_jobs_run_one_at_a_time_in_arrival_order() -> None:
    lane = CommandLane("c1")
    order: list[int] = []
    running = 0

    def job(n: int) -> Job:
        async def run() -> int:
            nonlocal running
            running += 1
            assert running == 1, "two commands of one cooker ran at once"
            await asyncio.sleep(0)
            order.append(n)
            running -= 1
            return n

        return Job(run=run)

    jobs = [lane.submit(job(n)) for n in range(20)]
    results = await asyncio.gather(*(j.done for j in jobs))
    assert results == list(range(20))
    assert order == list(range(20))


async def test_a_slow_cooker_does_not_hold_up_another() -> None:
    slow, fast = CommandLane("slow"), CommandLane("fast")
    release = asyncio.Event()

    async def blocked() -> str:
        await release.wait()
        return "slow"

    async def quick() -> str:
        return "fast"

    slow_job = slow.submit(Job(run=blocked))
    fast_job = fast.submit(Job(run=quick))
    assert await asyncio.wait_for(fast_job.done, 1) == "fast"
    assert not slow_job.done.done()
    release.set()
    assert await slow_job.done == "slow"


async def test_a_waiting_slider_value_is_replaced_by_the_newer_one() -> None:
    lane = CommandLane("c1")
    gate = asyncio.Event()
    sent: list[float] = []
    superseded: list[float] = []

    async def hold() -> None:
        await gate.wait()

    def target(value: float) -> Job:
        async def run() -> float:
            sent.append(value)
            return value

        async def replaced() -> None:
            superseded.append(value)

        return Job(run=run, coalesce_key="target", on_superseded=replaced)

    lane.submit(Job(run=hold))
    jobs = [lane.submit(target(v)) for v in (55.0, 56.0, 57.5)]
    assert lane.has_waiting("target")
    gate.set()
    results = await asyncio.gather(*(j.done for j in jobs))
    assert sent == [57.5]
    assert results == [None, None, 57.5]
    await asyncio.sleep(0)
    assert superseded == [55.0, 56.0]


async def test_a_failing_job_does_not_stop_the_lane() -> None:
    lane = CommandLane("c1")

    async def boom() -> None:
        raise RuntimeError("cloud exploded")

    async def fine() -> str:
        return "ok"

    failed = lane.submit(Job(run=boom))
    after = lane.submit(Job(run=fine))
    assert await after.done == "ok"
    assert isinstance(failed.done.exception(), RuntimeError)


async def test_drain_finishes_queued_work_then_stops() -> None:
    lane = CommandLane("c1")
    done: list[int] = []

    async def work(n: int) -> None:
        await asyncio.sleep(0.01)
        done.append(n)

    for n in range(3):
        lane.submit(Job(run=functools.partial(work, n)))
    assert await lane.drain(within=5)
    assert done == [0, 1, 2]


async def test_drain_gives_up_after_its_timeout() -> None:
    lane = CommandLane("c1")
    lane.submit(Job(run=lambda: asyncio.Event().wait()))
    assert not await lane.drain(within=0.05)
    await lane.cancel()


async def test_a_job_on_an_idle_lane_starts_at_once_and_later_ones_wait_their_turn() -> None:
    lane = CommandLane("c1")
    gate = asyncio.Event()
    order: list[str] = []

    async def first() -> str:
        order.append("first started")
        await gate.wait()
        order.append("first done")
        return "first"

    async def second() -> str:
        order.append("second")
        return "second"

    running = lane.submit(Job(run=first))
    assert lane.pending == 1, "the job is in the lane as soon as it is submitted"
    await asyncio.sleep(0)
    assert order == ["first started"]
    queued = lane.submit(Job(run=second))
    await asyncio.sleep(0.01)
    assert order == ["first started"], "the second job waits for the running one"
    assert lane.pending == 2
    gate.set()
    assert await running.done == "first"
    assert await asyncio.wait_for(queued.done, 1) == "second"
    assert order == ["first started", "first done", "second"]


async def test_a_slider_value_submitted_behind_a_running_job_can_be_replaced_at_once() -> None:
    lane = CommandLane("c1")
    gate = asyncio.Event()

    async def hold() -> None:
        await gate.wait()

    async def value() -> str:
        return "sent"

    lane.submit(Job(run=hold))  # starts in place, without a turn of the loop in between
    older = lane.submit(Job(run=value, coalesce_key="target"))
    assert lane.has_waiting("target")
    newer = lane.submit(Job(run=value, coalesce_key="target"))
    assert older.done.result() is None, "the older value was replaced before it was sent"
    gate.set()
    assert await asyncio.wait_for(newer.done, 1) == "sent"


async def test_drain_waits_for_a_job_running_in_place() -> None:
    lane = CommandLane("c1")
    gate = asyncio.Event()

    async def slow() -> str:
        await gate.wait()
        return "slow"

    running = lane.submit(Job(run=slow))
    await asyncio.sleep(0)
    draining = asyncio.create_task(lane.drain(within=5))
    await asyncio.sleep(0.01)
    assert not draining.done(), "drain returned while a command was still running"
    gate.set()
    assert await draining
    assert await running.done == "slow"


async def test_a_paced_lane_never_bunches_what_queued_behind_a_slow_job() -> None:
    """Jobs admitted one by one but held up by a slow one still leave at the rate.

    The bucket starts full (``burst`` tokens) and refills at ``rate``, so the
    last of ``n`` jobs cannot start before ``(n - burst) / rate`` after the
    lane was made, however late the loop wakes; unpaced, all start at once.
    """
    rate, burst = 20.0, 2
    loop = asyncio.get_running_loop()
    made = loop.time()
    lane = CommandLane("c1", pacer=TokenBucket(rate, burst))
    release = asyncio.Event()
    started: list[float] = []

    async def slow() -> None:
        started.append(loop.time())
        await release.wait()

    async def quick() -> None:
        started.append(loop.time())

    lane.submit(Job(run=slow))
    jobs = [lane.submit(Job(run=quick)) for _ in range(5)]
    release.set()
    await asyncio.gather(*(job.done for job in jobs))
    assert len(started) == 6
    assert started[-1] - made >= (len(started) - burst) / rate - 0.002, started
