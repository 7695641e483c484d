"""Refused commands in the log: the first of each kind, then a count, never a flood of lines."""

from __future__ import annotations

from bridge.service.refusals import RefusalLog


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_first_refusal_is_logged_and_repeats_are_counted_until_the_window_ends() -> None:
    clock = FakeClock()
    refusals = RefusalLog(5.0, clock=clock)
    assert refusals.admit("kitchen", "RATE_LIMITED") == 0
    for _ in range(999):
        clock.now += 0.001
        assert refusals.admit("kitchen", "RATE_LIMITED") is None
    clock.now += 5.0
    assert refusals.admit("kitchen", "RATE_LIMITED") == 999, "the next line says how many"
    assert refusals.admit("kitchen", "RATE_LIMITED") is None


def test_each_topic_and_code_has_its_own_window() -> None:
    clock = FakeClock()
    refusals = RefusalLog(5.0, clock=clock)
    assert refusals.admit("kitchen", "RATE_LIMITED") == 0
    assert refusals.admit("kitchen", "INVALID_FIELD") == 0, "another reason is news"
    assert refusals.admit("garage", "RATE_LIMITED") == 0, "another cooker is news"
    assert refusals.admit("kitchen", "RATE_LIMITED") is None


def test_memory_stays_bounded_when_every_refusal_names_a_new_topic() -> None:
    clock = FakeClock()
    refusals = RefusalLog(5.0, clock=clock)
    for n in range(30_000):
        refusals.admit(f"topic-{n}", "UNKNOWN_DEVICE")
        refusals.admit(f"topic-{n}", "UNKNOWN_DEVICE")  # counted, not logged
    assert len(refusals._logged_at) <= 10_001
    assert len(refusals._unlogged) <= 10_001
