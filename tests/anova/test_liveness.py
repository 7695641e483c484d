"""Silence timers, probes and the link-down grace, on the real event loop."""

from __future__ import annotations

from bridge.anova.liveness import Liveness
from tests.support.waiting import async_wait_until


class Calls:
    def __init__(self) -> None:
        self.offline: list[str] = []
        self.quiet: list[str] = []


async def test_silence_probes_at_half_time_then_declares_offline_once():
    calls = Calls()
    liveness = Liveness(0.1, 10.0, calls.offline.append, calls.quiet.append)
    liveness.track(["a"])
    await async_wait_until(lambda: calls.offline, timeout=2, what="offline")
    assert calls.quiet == ["a"]
    assert calls.offline == ["a"]
    liveness.track(["a"])  # a reconnect re-lists it: no new timers for a known cooker
    liveness.link_up()
    liveness.close()
    assert calls.quiet == ["a"]


async def test_hearing_a_cooker_restarts_its_timers():
    calls = Calls()
    liveness = Liveness(0.2, 10.0, calls.offline.append)
    liveness.heard("a")
    liveness.heard("a")
    await async_wait_until(lambda: calls.offline, timeout=2, what="offline")
    assert calls.offline == ["a"]
    liveness.close()


async def test_link_down_past_the_grace_takes_every_known_cooker_offline():
    calls = Calls()
    liveness = Liveness(60.0, 0.05, calls.offline.append)
    liveness.track(["b", "a"])
    liveness.link_down()
    await async_wait_until(lambda: len(calls.offline) == 2, timeout=2, what="all offline")
    assert calls.offline == ["a", "b"]
    liveness.forget("a")
    liveness.close()


async def test_link_back_within_the_grace_changes_nothing():
    calls = Calls()
    liveness = Liveness(60.0, 0.05, calls.offline.append)
    liveness.track(["a"])
    liveness.link_down()
    liveness.link_up()
    liveness.close()
    assert calls.offline == []


async def test_an_offline_cooker_is_probed_again_until_it_is_heard():
    # Regression: an idle cooker declared offline during a cloud hang stayed
    # offline for good, since it pushes nothing by itself once reachable again.
    calls = Calls()
    liveness = Liveness(0.1, 10.0, calls.offline.append, calls.quiet.append)
    liveness.track(["a", "b"])
    await async_wait_until(lambda: len(calls.quiet) >= 6, timeout=2, what="repeated probes")
    assert sorted(calls.offline) == ["a", "b"], "declared offline once each"
    liveness.heard("a")
    liveness.heard("b")
    probes = len(calls.quiet)
    await async_wait_until(lambda: len(calls.quiet) >= probes + 2, timeout=2, what="timers again")
    liveness.close()
    assert sorted(calls.offline) == ["a", "b"]
