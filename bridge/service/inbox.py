"""Commands read off the broker and waiting their turn, one queue per device topic.

All commands share the bridge's one MQTT session, and the broker delivers a
session's messages in one FIFO. Handled in that order, a flood on one
cooker's topic (a runaway script, thousands a second) puts every other
cooker's commands behind its backlog: beyond what the bridge can answer,
seconds behind.

Reading a command off the socket (and acknowledging it) costs about a third
of handling it (parsing, checks, the answer), so the bridge reads
everything as it comes and queues it here per topic id; handling then takes
one command from each topic in turn. A flooded cooker's backlog waits in
its own queue while another cooker's command is handled within one round.
Each queue keeps its arrival order, so one cooker's commands still run in
the order they were sent.

Handling runs in slices of at most SLICE_S between reads, so reading keeps
up. A topic whose answers are still waiting for the broker's send window
(``answers_waiting`` over MAX_ANSWERS_WAITING) is skipped until they leave:
its commands wait here, where they cost less than their answers would, and
other topics are handled meanwhile (``docs/architecture.md``, "The send
window"). The backlog is bounded: at MAX_WAITING the connection stops reading and
reads again as soon as a slice has made room, so from then on the bridge
reads only as fast as it handles and the rest waits in the broker's queue
for the session (where other cookers' commands wait behind it again).
When the bridge stops, what is waiting is handled before it disconnects
(:meth:`CommandInbox.close`).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Protocol

from bridge.logs import get_logger
from bridge.mqtt.message import InboundMessage
from bridge.mqtt.topics import DeviceCommandTopic

log = get_logger("inbox")

SLICE_S = 0.002
"""Longest run of command handling before the loop reads the socket again."""

MAX_WAITING = 100_000
"""Commands held across all topics before reading is paused: about 25 MB
(some 250 bytes for a typical command), and 20 s or more of handling at the
bridge's flood rate; a 10 s flood of 10 000 commands a second stays below it."""

MAX_ANSWERS_WAITING = 1_000
"""Answers of one topic held back by the broker's send window before that topic's
commands wait instead: enough to keep the window busy, small enough that a
flood's backlog stays in this inbox."""

HELD_BACK_RETRY_S = 0.005
"""How soon a slice that found every waiting topic held back looks again."""

Waiting = tuple[DeviceCommandTopic, InboundMessage]


class CommandSink(Protocol):
    """The next stage: the gate takes each command when its turn comes."""

    def offer(self, route: DeviceCommandTopic, message: InboundMessage) -> None: ...


class CommandInbox:
    """Per-topic FIFOs of read commands, handled round-robin in short slices.

    Args:
        gate: takes each command on when its turn comes.
        pause_reading: called with True when the backlog is full, False when
            it has room again.
        batch: context for one slice; the connection's ``publishing_batch``
            sends a slice's answers together.
        answers_waiting: how many answers of a topic id wait for the broker's
            send window; its commands are skipped while that is over
            MAX_ANSWERS_WAITING.
    """

    def __init__(
        self,
        gate: CommandSink,
        *,
        pause_reading: Callable[[bool], None],
        batch: Callable[[], AbstractContextManager[None]] = contextlib.nullcontext,
        max_waiting: int = MAX_WAITING,
        answers_waiting: Callable[[str], int] = lambda _topic_id: 0,
    ) -> None:
        self._answers_waiting = answers_waiting
        self._gate = gate
        self._pause_reading = pause_reading
        self._batch = batch
        self._max_waiting = max_waiting
        self._queues: dict[str, deque[Waiting]] = {}
        self._waiting = 0
        self._paused = False
        self._full_logged = False
        self._closed = False
        self._scheduled: asyncio.Handle | None = None
        self._empty = asyncio.Event()
        self._empty.set()

    @property
    def waiting(self) -> int:
        """Commands read and not yet handled."""
        return self._waiting

    def offer(self, route: DeviceCommandTopic, message: InboundMessage) -> None:
        """Queue a command behind its topic's earlier ones; handling follows on the loop."""
        if self._closed:
            self._handle_one(route, message)
            return
        queue = self._queues.get(route.topic_id)
        if queue is None:
            queue = self._queues[route.topic_id] = deque()
        elif queue[-1][0] == route:
            route = queue[-1][0]  # one object for a run of the same topic: a flood costs less
        queue.append((route, message))
        self._waiting += 1
        self._empty.clear()
        if self._waiting >= self._max_waiting and not self._paused:
            self._pause(True)
        if self._scheduled is None:
            self._scheduled = asyncio.get_running_loop().call_soon(self._run_slice)

    async def wait_empty(self, timeout: float) -> int:  # noqa: ASYNC109 - deadline is the API
        """Wait until everything read has been handled, at most ``timeout`` s (when stopping).

        Returns:
            How many commands were still waiting at the deadline.
        """
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._empty.wait(), timeout)
        return self._waiting

    def close(self) -> None:
        """Handle everything waiting now, and from now on each command as it is read.

        For stopping: every command read has been acknowledged to the
        broker, which will not deliver it again, so each must be answered
        before the bridge disconnects, and no later turn will come.
        """
        self._closed = True
        if self._scheduled is not None:
            self._scheduled.cancel()
            self._scheduled = None
        with self._batch():
            while self._waiting:
                self._handle_next()
        self._resume_if_room()

    def _run_slice(self) -> None:
        self._scheduled = None
        deadline = time.monotonic() + SLICE_S
        held_back = False
        with self._batch():
            while self._waiting:
                if not self._turn_to_ready():
                    held_back = True
                    break
                self._handle_next()  # at least one per slice, however short
                if time.monotonic() >= deadline:
                    break
        self._resume_if_room()
        if self._waiting:
            loop = asyncio.get_running_loop()
            self._scheduled = (
                loop.call_later(HELD_BACK_RETRY_S, self._run_slice)
                if held_back
                else loop.call_soon(self._run_slice)
            )

    def _turn_to_ready(self) -> bool:
        """Pass the turn on past topics whose answers are held back; False if all are."""
        for _ in range(len(self._queues)):
            topic_id = next(iter(self._queues))
            if self._answers_waiting(topic_id) < MAX_ANSWERS_WAITING:
                return True
            self._queues[topic_id] = self._queues.pop(topic_id)  # to the back of the line
        return False

    def _handle_next(self) -> None:
        """Handle the oldest command of the topic whose turn it is; its turn passes on."""
        topic_id = next(iter(self._queues))
        queue = self._queues.pop(topic_id)
        route, message = queue.popleft()
        if queue:  # to the back of the line (dicts keep insertion order)
            self._queues[topic_id] = queue
        self._waiting -= 1
        if not self._waiting:
            self._empty.set()
        self._handle_one(route, message)

    def _handle_one(self, route: DeviceCommandTopic, message: InboundMessage) -> None:
        try:
            self._gate.offer(route, message)
        except Exception:  # a bug in one command's handling must not stall the rest
            log.exception("command_handling_failed", topic=message.topic)

    def _resume_if_room(self) -> None:
        if self._paused and self._waiting < self._max_waiting:
            self._pause(False)
        if self._full_logged and self._waiting <= self._max_waiting // 2:
            self._full_logged = False
            log.info("command_backlog_half_handled", waiting=self._waiting)

    def _pause(self, paused: bool) -> None:
        """Pause or resume reading; logged once per spell of a full backlog, not per toggle."""
        self._paused = paused
        self._pause_reading(paused)
        if paused and not self._full_logged:
            self._full_logged = True
            busiest = max(self._queues, key=lambda topic_id: len(self._queues[topic_id]))
            log.warning(
                "command_backlog_full",
                waiting=self._waiting,
                busiest_topic_id=busiest,
            )
