"""When a session counts as healthy, and when a close is reconnected at once."""

from __future__ import annotations

import random

from bridge.anova.backoff import Backoff
from bridge.anova.reconnect import Reconnect, ReconnectPolicy


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def policy(clock: Clock) -> tuple[ReconnectPolicy, Backoff]:
    backoff = Backoff(0.5, 30.0, random.Random(7))
    return ReconnectPolicy(backoff, healthy_after=60.0, monotonic=clock), backoff


def fail_sessions(reconnect: ReconnectPolicy, clock: Clock, n: int, up_for: float = 0.0) -> None:
    for _ in range(n):
        reconnect.opened()
        clock.now += up_for
        assert reconnect.closed(1008) is Reconnect.BACKOFF
        clock.now += reconnect.next_delay()


def test_sessions_that_deliver_data_but_die_young_keep_the_backoff_growing() -> None:
    clock = Clock()
    reconnect, backoff = policy(clock)
    fail_sessions(reconnect, clock, 8, up_for=59.0)
    assert backoff.ceiling() == 30.0


def test_a_minute_of_uptime_makes_a_session_healthy() -> None:
    clock = Clock()
    reconnect, backoff = policy(clock)
    fail_sessions(reconnect, clock, 8)
    fail_sessions(reconnect, clock, 1, up_for=60.0)
    assert backoff.attempts == 1, "reset by the healthy session, then counted its close"


def test_a_completed_command_makes_a_session_healthy_at_once() -> None:
    clock = Clock()
    reconnect, backoff = policy(clock)
    fail_sessions(reconnect, clock, 8)
    reconnect.opened()
    reconnect.answered()
    assert backoff.ceiling() == 0.5


def test_1005_is_reconnected_at_once_once_per_answered_command() -> None:
    clock = Clock()
    reconnect, _ = policy(clock)
    reconnect.opened()
    reconnect.answered()
    assert reconnect.closed(1005) is Reconnect.AT_ONCE
    reconnect.opened()
    assert reconnect.closed(1005) is Reconnect.BACKOFF, "nothing answered on this socket"
    reconnect.opened()
    reconnect.answered()
    assert reconnect.closed(1006) is Reconnect.BACKOFF, "only the no-status close is routine"


def test_planned_reconnects_never_wait() -> None:
    clock = Clock()
    reconnect, _ = policy(clock)
    reconnect.opened()
    assert reconnect.closed(1000, planned=True) is Reconnect.AT_ONCE
