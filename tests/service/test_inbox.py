"""The command inbox: per-cooker order, fair turns under a flood, a bounded backlog."""

from __future__ import annotations

import asyncio

import pytest
from structlog.testing import capture_logs

from bridge.mqtt.message import InboundMessage
from bridge.mqtt.topics import DeviceCommandTopic
from bridge.service import inbox as inbox_module
from bridge.service.inbox import CommandInbox
from tests.support.waiting import async_wait_until


def command(topic_id: str, n: int) -> tuple[DeviceCommandTopic, InboundMessage]:
    route = DeviceCommandTopic(topic_id=topic_id, kind="set")
    payload = f'{{"action": "stop", "request_id": "{topic_id}-{n}"}}'.encode()
    return route, InboundMessage(f"anova/{topic_id}/set", payload, retain=False, qos=1)


class Recorder:
    """Stands in for the router: notes what it was handed, in order."""

    def __init__(self) -> None:
        self.handled: list[bytes] = []
        self.pauses: list[bool] = []

    def offer(self, _route: DeviceCommandTopic, message: InboundMessage) -> None:
        self.handled.append(message.payload)

    def ids(self, topic_id: str) -> list[str]:
        return [
            p.decode().split('"request_id": "')[1].rstrip('"}')
            for p in self.handled
            if f'"{topic_id}-'.encode() in p
        ]


async def test_each_cookers_commands_are_handled_in_arrival_order() -> None:
    seen = Recorder()
    inbox = CommandInbox(seen, pause_reading=seen.pauses.append)
    for n in range(50):
        inbox.offer(*command("a" if n % 3 else "b", n))
    await async_wait_until(lambda: len(seen.handled) == 50, timeout=5, what="all handled")
    assert seen.ids("a") == [f"a-{n}" for n in range(50) if n % 3]
    assert seen.ids("b") == [f"b-{n}" for n in range(50) if not n % 3]


async def test_a_command_behind_a_flood_on_another_cooker_is_handled_within_one_turn() -> None:
    seen = Recorder()
    inbox = CommandInbox(seen, pause_reading=seen.pauses.append)
    for n in range(5_000):
        inbox.offer(*command("flooded", n))
    inbox.offer(*command("other", 0))
    await async_wait_until(lambda: "other-0" in seen.ids("other"), timeout=5, what="other")
    position = next(i for i, p in enumerate(seen.handled) if b"other-0" in p)
    assert position <= 1, f"the other cooker's command waited for {position} flood commands"
    await async_wait_until(lambda: len(seen.handled) == 5_001, timeout=10, what="all handled")
    assert seen.ids("flooded") == [f"flooded-{n}" for n in range(5_000)]


async def test_handling_yields_to_the_loop_between_slices() -> None:
    seen = Recorder()
    inbox = CommandInbox(seen, pause_reading=seen.pauses.append)
    ticks = 0

    async def other_work() -> None:
        nonlocal ticks
        while inbox.waiting:
            ticks += 1
            await asyncio.sleep(0)

    for n in range(200_000):
        inbox.offer(*command("flooded", n))
    await other_work()
    assert len(seen.handled) == 200_000
    assert ticks > 1, "the backlog was handled in one go, starving the loop"


async def test_a_full_backlog_pauses_reading_until_there_is_room_and_logs_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(inbox_module, "SLICE_S", 0.0)  # one command per slice
    seen = Recorder()
    inbox = CommandInbox(seen, pause_reading=seen.pauses.append, max_waiting=100)
    with capture_logs() as logs:
        for n in range(99):
            inbox.offer(*command("flooded", n))
        assert seen.pauses == []
        inbox.offer(*command("flooded", 99))
        assert seen.pauses == [True], "reading goes on with 100 commands waiting"
        await asyncio.sleep(0)  # one slice: one command handled, room for one more
        assert seen.pauses == [True, False], "reading resumes as soon as there is room"
        # Full again before it was half handled: a second pause, one log line.
        sent = 100
        while inbox.waiting < 100:
            inbox.offer(*command("flooded", sent))
            sent += 1
        assert seen.pauses.count(True) == 2
        assert await inbox.wait_empty(5) == 0
    assert seen.ids("flooded") == [f"flooded-{n}" for n in range(sent)], "none lost"
    assert not seen.pauses[-1], "reading resumed in the end"
    events = [entry["event"] for entry in logs]
    assert events.count("command_backlog_full") == 1
    full = next(entry for entry in logs if entry["event"] == "command_backlog_full")
    assert full["busiest_topic_id"] == "flooded"
    assert "command_backlog_half_handled" in events


async def test_a_handler_bug_is_logged_and_the_rest_still_handled() -> None:
    seen = Recorder()

    class Buggy:
        def offer(self, route: DeviceCommandTopic, message: InboundMessage) -> None:
            if b"a-1" in message.payload:
                raise RuntimeError("boom")
            seen.offer(route, message)

    inbox = CommandInbox(Buggy(), pause_reading=seen.pauses.append)
    with capture_logs() as logs:
        for n in range(3):
            inbox.offer(*command("a", n))
        assert await inbox.wait_empty(5) == 0
    assert seen.ids("a") == ["a-0", "a-2"]
    assert [entry["event"] for entry in logs] == ["command_handling_failed"]


async def test_wait_empty_reports_what_is_left_at_its_deadline() -> None:
    class Counter:
        handled = 0

        def offer(self, _route: DeviceCommandTopic, _message: InboundMessage) -> None:
            self.handled += 1

    counter = Counter()
    inbox = CommandInbox(counter, pause_reading=lambda _paused: None, max_waiting=10**6)
    route, message = command("a", 0)
    for _ in range(300_000):
        inbox.offer(route, message)
    left = await inbox.wait_empty(0.001)
    assert 0 < left < 300_000, "far more than one 2 ms slice can handle"
    assert counter.handled == 300_000 - left
    assert await inbox.wait_empty(30) == 0
    assert counter.handled == 300_000


async def test_closing_handles_what_waits_and_then_each_command_as_it_comes() -> None:
    seen = Recorder()
    inbox = CommandInbox(seen, pause_reading=seen.pauses.append, max_waiting=10)
    for n in range(10):
        inbox.offer(*command("a", n))
    assert seen.pauses == [True]
    assert seen.handled == []
    inbox.close()
    assert seen.ids("a") == [f"a-{n}" for n in range(10)], "all handled at once, in order"
    assert seen.pauses == [True, False], "reading resumed: the rest must still be read"
    inbox.offer(*command("a", 10))
    assert seen.ids("a")[-1] == "a-10", "a command read while stopping waits for no turn"
    assert inbox.waiting == 0


async def test_a_topic_whose_answers_are_held_back_waits_while_others_are_handled() -> None:
    seen = Recorder()
    backlog = {"flooded": inbox_module.MAX_ANSWERS_WAITING}  # its answers wait for the broker
    inbox = CommandInbox(
        seen, pause_reading=seen.pauses.append, answers_waiting=lambda t: backlog.get(t, 0)
    )
    for n in range(100):
        inbox.offer(*command("flooded", n))
    inbox.offer(*command("other", 0))
    await async_wait_until(lambda: seen.ids("other") == ["other-0"], timeout=5, what="other")
    assert seen.ids("flooded") == []
    assert inbox.waiting == 100

    backlog["flooded"] = 0  # the window drained: the flooded cooker's turn comes again
    await async_wait_until(lambda: len(seen.ids("flooded")) == 100, timeout=5, what="flooded")
    assert seen.ids("flooded") == [f"flooded-{n}" for n in range(100)]


async def test_closing_handles_even_held_back_topics() -> None:
    seen = Recorder()
    inbox = CommandInbox(
        seen,
        pause_reading=seen.pauses.append,
        answers_waiting=lambda _t: inbox_module.MAX_ANSWERS_WAITING,
    )
    for n in range(10):
        inbox.offer(*command("flooded", n))
    inbox.close()  # stopping: every command read is answered before the disconnect
    assert len(seen.ids("flooded")) == 10
