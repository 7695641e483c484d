"""Publishes waiting for a free slot in the broker's send window.

An MQTT 5 broker says in CONNACK how many QoS 1/2 publishes it accepts
unacknowledged (Receive Maximum: EMQX 32, HiveMQ 10, Mosquitto 20), and a
strict one disconnects a client that sends more (EMQX: reason 0x93). While
the window is full, what the bridge publishes waits here, and the order in
which it leaves decides who waits:

- **Availability first**, latest value per topic: ``online``/``offline``
  is what Home Assistant greys entities out by.
- **Answers and events in turns, one FIFO per topic**: a flood of commands
  on one cooker fills only that cooker's response queue; another cooker's
  answer is next in line as soon as it is made (the same round robin as the
  command inbox, ``bridge/service/inbox.py``). Each topic keeps its order.
- **Other retained publishes (state, discovery, info, health) coalesced**:
  only the latest payload per topic is kept, in the order topics first
  waited. The whole set takes one turn in the round robin, so a flood
  cannot starve states and states cannot starve answers.

Nothing here touches paho or the socket; the connection takes from it as
PUBACKs free slots.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_RETAINED_TURN = ""
"""The round-robin key of the coalesced retained publishes (no topic is empty)."""


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One publish as the connection will hand it to paho."""

    topic: str
    payload: bytes | str
    retain: bool
    qos: int
    properties: Any = None

    def fields(self) -> tuple[str, bytes | str, bool, int, Any]:
        """Positional arguments for the connection's send."""
        return (self.topic, self.payload, self.retain, self.qos, self.properties)


class Outbox:
    """Publishes held back by a full send window, in the order they should leave."""

    def __init__(self) -> None:
        self._urgent: dict[str, Outgoing] = {}
        self._retained: dict[str, Outgoing] = {}
        self._fifos: dict[str, deque[Outgoing]] = {}
        self._turns: deque[str] = deque()
        self._queued = 0  # messages in the FIFOs: the part that can grow without bound

    def __len__(self) -> int:
        return len(self._urgent) + len(self._retained) + self._queued

    @property
    def queued(self) -> int:
        """Non-retained publishes waiting (answers, events): what a bound must cap."""
        return self._queued

    def waiting_on(self, topic: str) -> int:
        """Non-retained publishes waiting on ``topic``."""
        fifo = self._fifos.get(topic)
        return len(fifo) if fifo is not None else 0

    def put(self, message: Outgoing, *, urgent: bool = False) -> None:
        """Hold ``message`` until :meth:`take` returns it.

        Args:
            message: the publish.
            urgent: availability; leaves before everything else, latest value only.
        """
        if urgent:
            self._urgent.pop(message.topic, None)  # the newest value goes last
            self._urgent[message.topic] = message
        elif message.retain:
            self._coalesce(message)
        else:
            self._enqueue(message)

    def _coalesce(self, message: Outgoing) -> None:
        if not self._retained:
            self._turns.append(_RETAINED_TURN)
        self._retained[message.topic] = message  # keeps the topic's place in line

    def _enqueue(self, message: Outgoing) -> None:
        fifo = self._fifos.get(message.topic)
        if fifo is None:
            fifo = self._fifos[message.topic] = deque()
            self._turns.append(message.topic)
        fifo.append(message)
        self._queued += 1

    def take(self, ready: Callable[[str], bool] = lambda _topic: True) -> Outgoing | None:
        """The next publish to send, or None when nothing waits that may go.

        Args:
            ready: whether a topic's FIFO may send now (it is not at its
                share of the window); one that may not waits for its next turn.
        """
        if self._urgent:
            topic = next(iter(self._urgent))
            return self._urgent.pop(topic)
        for _ in range(len(self._turns)):
            key = self._turns.popleft()
            if key == _RETAINED_TURN:
                return self._take_retained()
            if ready(key):
                return self._take_queued(key)
            self._turns.append(key)
        return None

    def _take_retained(self) -> Outgoing:
        topic = next(iter(self._retained))
        message = self._retained.pop(topic)
        if self._retained:
            self._turns.append(_RETAINED_TURN)
        return message

    def _take_queued(self, topic: str) -> Outgoing:
        fifo = self._fifos[topic]
        message = fifo.popleft()
        self._queued -= 1
        if fifo:
            self._turns.append(topic)
        else:
            del self._fifos[topic]
        return message

    def clear(self) -> None:
        """Forget everything (a stop that gave up on flushing)."""
        self._urgent.clear()
        self._retained.clear()
        self._fifos.clear()
        self._turns.clear()
        self._queued = 0
