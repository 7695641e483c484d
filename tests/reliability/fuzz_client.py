"""The fuzz run's user: a separate process that publishes the corpus and counts answers.

A separate process, as a real misbehaving client would be: its paho
threads do not compete with the bridge's for the test process's GIL, and
the bridge's RSS is measured without the client's buffers in it. It
regenerates the corpus from the seed, so nothing big crosses the pipe.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from typing import Any

from tests.reliability.conftest import CountingProbe
from tests.reliability.corpus import Message, hypothesis_messages, is_bad, raw_messages, topics

RESPONSE_TOPICS = ("anova/+/response", "anova/bridge/response/+")
END_MARKER = "anova/bridge/request/end_of_fuzz"  # answered UNKNOWN_ACTION, after all the rest


@dataclass
class Tally:
    """What was published and what came back."""

    sent: int = 0
    answered: int = 0
    responses: int = 0
    retained: int = 0
    huge: int = 0
    skipped_valid: int = 0
    hypothesis: int = 0
    generation_s: float = 0.0
    elapsed_s: float = 0.0
    by_kind: dict[str, int] = field(default_factory=dict)
    codes: dict[str, int] = field(default_factory=dict)

    def count(self, message: Message) -> None:
        self.sent += 1
        self.answered += message.answered
        self.retained += message.retain
        self.huge += len(message.payload) > 64 * 1024
        kind = message.topic.split("/")[2] if message.answered else "ignored"
        self.by_kind[kind] = self.by_kind.get(kind, 0) + 1


@dataclass(frozen=True)
class Plan:
    """What the worker is asked to do."""

    port: int
    device_ids: tuple[str, ...]
    total: int
    hypothesis: int
    seed: int
    window: int
    warm_up: int


def corpus(plan: Plan, tally: Tally) -> Iterator[Message]:
    """Hypothesis messages first, then raw ones; valid commands skipped; ``total`` in all."""
    topic_list = topics(list(plan.device_ids))
    made = time.perf_counter()
    generated = hypothesis_messages(plan.hypothesis, topic_list, plan.seed)
    tally.generation_s = time.perf_counter() - made
    tally.hypothesis = len(generated)
    raw = raw_messages(10 * plan.total, topic_list, random.Random(plan.seed))
    return itertools.islice(_bad_only(itertools.chain(generated, raw), plan, tally), plan.total)


def _bad_only(messages: Iterable[Message], plan: Plan, tally: Tally) -> Iterator[Message]:
    ids = set(plan.device_ids)
    for message in messages:
        if is_bad(message, ids):
            yield message
        else:
            tally.skipped_valid += 1


def run(plan: Plan, warmed: Event, go_on: Event, results: Queue[dict[str, Any]]) -> None:
    """Publish the corpus; pause after ``warm_up`` messages until the parent says go on."""
    tally = Tally()
    messages = corpus(plan, tally)
    probe = subscribed_probe(plan.port)
    began = time.perf_counter()
    for message in messages:
        while tally.answered - probe.total > plan.window:
            time.sleep(0.001)  # flow control: wait for the bridge to catch up
        qos = 1 if message.retain else 0
        probe.client.publish(message.topic, message.payload, qos=qos, retain=message.retain)
        tally.count(message)
        if tally.sent == plan.warm_up:
            _wait(lambda: probe.total >= tally.answered)
            warmed.set()
            go_on.wait(30)
    _wait(lambda: probe.total >= tally.answered, timeout=60)
    tally.elapsed_s = time.perf_counter() - began
    # The bridge answers in arrival order, so once this marker is answered any
    # extra (duplicate) answer to the corpus would have arrived too.
    probe.client.publish(END_MARKER, b"{}", qos=1)
    _wait(lambda: probe.total >= tally.answered + 1, timeout=10)
    tally.responses = probe.total - 1
    tally.codes = dict(probe.codes)
    probe.close()
    results.put(asdict(tally))


def subscribed_probe(port: int) -> CountingProbe:
    """A counting client subscribed (SUBACK received) to every response topic."""
    probe = CountingProbe(port)
    probe.keeping = False
    probe.subscribe(*RESPONSE_TOPICS)  # returns once every SUBACK is in
    return probe


def _wait(condition: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.001)
