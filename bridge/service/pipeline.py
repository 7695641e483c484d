"""The command pipeline, stage by stage, built here and nowhere else.

::

    MQTT ─► inbox ─► gate ────────────────► lane ─────► executor ─────► responder
            per-topic hold, parse,          one per     device and      one response,
            FIFOs,    dedupe, rate limit    cooker,     safety rules,   event twin,
            fair      (refusals go          in order    the cloud       changed state
            turns      straight to the responder)

Each stage holds its next stage as a typed object, given when it is built:
the inbox offers to the gate, the gate (and its holding area) admits onto a
cooker's lane or refuses through the responder, the lane runs the
execution stage, which runs the executor and hands what happened to the
responder. Nothing is wired after construction, so following a command is
reading this constructor top to bottom.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Protocol

from bridge.anova.device import CookerInfo
from bridge.logs import get_logger
from bridge.metrics import BridgeMetrics
from bridge.service.contexts import CookContexts
from bridge.service.cooker import CookerRecord
from bridge.service.directory import CookerDirectory
from bridge.service.executor import CommandExecutor, CookerControl
from bridge.service.gate import CommandGate
from bridge.service.inbox import CommandInbox
from bridge.service.lane import CommandLane
from bridge.service.outbound import Outbound
from bridge.service.ratelimit import TokenBucket
from bridge.service.responder import Responder
from bridge.service.runner import ExecutionStage
from bridge.settings import Settings

log = get_logger("service")


class ReadingLink(Protocol):
    """The part of the MQTT connection the inbox steers: reading, batched and held answers."""

    @property
    def holding_back(self) -> bool: ...
    def waiting_on(self, topic: str) -> int: ...
    def hold_reading(self, held: bool) -> None: ...
    def publishing_batch(self) -> AbstractContextManager[None]: ...


class CommandPipeline:
    """inbox → gate [hold, parse, dedupe, rate limit] → lane → executor → responder.

    Attributes:
        responder: the last stage; every command's one response.
        executor: the device-state and food-safety rules, and the cloud call.
        gate: holding, parsing, dedupe and the rate limit, in that order.
        inbox: the first stage; fed by the MQTT connection's messages.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        directory: CookerDirectory,
        control: CookerControl,
        contexts: CookContexts,
        outbound: Outbound,
        metrics: BridgeMetrics,
        link: ReadingLink,
    ) -> None:
        self._settings = settings
        self._directory = directory
        self.responder = Responder(outbound, metrics, directory)
        self.executor = CommandExecutor(
            control, settings, contexts, on_round_trip=metrics.cloud_latency.observe
        )
        execution = ExecutionStage(self.executor, self.responder, directory)
        self.gate = CommandGate(
            settings,
            topics=outbound.topics,
            execution=execution,
            responder=self.responder,
            metrics=metrics,
        )
        self._link = link
        self._topics = outbound.topics
        self.inbox = CommandInbox(
            self.gate,
            pause_reading=link.hold_reading,
            batch=link.publishing_batch,
            answers_waiting=self._answers_waiting,
        )

    def _answers_waiting(self, topic_id: str) -> int:
        """Answers to ``topic_id``'s commands that the broker's send window holds back."""
        if not self._link.holding_back:  # the usual case: no topic string to build
            return 0
        return self._link.waiting_on(self._topics.response(topic_id))

    def record(self, info: CookerInfo) -> CookerRecord:
        """A new cooker's record, with its lane and rate limit (same limits, two buckets).

        The bucket refuses the excess as commands arrive; the lane's pacer
        waits, so commands that queued behind a slow round trip do not
        leave back to back.
        """
        limit = self._settings.rate_limit
        return CookerRecord(
            info=info,
            topic_id="",
            lane=CommandLane(info.cooker_id, pacer=TokenBucket(limit.per_second, limit.burst)),
            bucket=TokenBucket(limit.per_second, limit.burst),
        )

    @property
    def pending(self) -> int:
        """Commands read and not yet answered: in the inbox or on a lane."""
        return self.inbox.waiting + sum(cooker.lane.pending for cooker in self._directory)

    async def drain(
        self, within: float, *, lane_minimum: float, clock: Callable[[], float]
    ) -> list[CommandLane]:
        """Handle what was read, then finish the lanes' commands; the lanes still busy.

        Every command read was acknowledged to the broker, so each is
        answered, including those read from now until the disconnect.
        """
        deadline = clock() + within
        waiting = await self.inbox.wait_empty(within)
        if waiting:
            log.warning("stopping_backlog_handled_at_once", count=waiting)
        self.inbox.close()
        left = max(deadline - clock(), lane_minimum)
        lanes = [cooker.lane for cooker in self._directory]
        finished = await asyncio.gather(*(lane.drain(left) for lane in lanes))
        return [lane for lane, done in zip(lanes, finished, strict=True) if not done]
