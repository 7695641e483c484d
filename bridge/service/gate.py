"""The pipeline's gate: hold, parse, dedupe, rate limit, then the cooker's lane.

The order of checks is the contract's: refuse retained and malformed input
first (cheap, and nothing reaches the cloud), then answer a redelivered
``request_id`` from memory, then apply the per-cooker rate limit, then
queue on the cooker's lane. None of it awaits, so a refused command is
answered at once and costs no task; only a command that will run joins a
lane. Commands that arrive before the cloud's device list wait in the
holding area first.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

import structlog

from bridge.commands import peek_request_id
from bridge.commands.vocabulary import DeviceCommand
from bridge.errors import CommandError, ErrorCode
from bridge.kinds import KINDS, KindRegistry
from bridge.logs import get_logger
from bridge.metrics import BridgeMetrics
from bridge.mqtt.message import InboundMessage
from bridge.mqtt.topics import DeviceCommandTopic, Topics
from bridge.service.cooker import CookerRecord
from bridge.service.dedupe import RequestLedger
from bridge.service.holding import HoldingArea
from bridge.service.lane import Job
from bridge.service.responder import Responder, superseded
from bridge.service.runner import ExecutionStage
from bridge.settings import Settings

log = get_logger("commands")
SLIDER_KEY = "target_temperature"


class CommandGate:
    """Admits ``<base>/<id>/set`` and ``set/<field>`` commands onto their cooker's lane."""

    def __init__(
        self,
        settings: Settings,
        *,
        topics: Topics,
        execution: ExecutionStage,
        responder: Responder,
        metrics: BridgeMetrics,
        kinds: KindRegistry = KINDS,
    ) -> None:
        self._settings = settings
        self._kinds = kinds
        self._topics = topics
        self._execution = execution
        self._responder = responder
        self._directory = execution.directory
        self._metrics = metrics
        self._ledger = RequestLedger(settings.dedupe_window)
        self.holding = HoldingArea(settings.anova.command_timeout * 3, self)

    def offer(self, route: DeviceCommandTopic, message: InboundMessage) -> None:
        """The inbox's next command: held until the cookers are known, else admitted now."""
        self.holding.offer(route, message)

    def open(self) -> None:
        """The cookers are known: release what was held, and admit from now on."""
        self.holding.open()

    def release(self, route: DeviceCommandTopic, message: InboundMessage) -> None:
        """Process one command through to its lane, or answer it at once.

        Everything that needs no cloud round trip (parsing, refusals, the
        rate limit, a repeated request already answered) happens here and
        now; a task is started only for a command that will run.
        """
        self._metrics.commands_received.inc()
        try:
            cooker, command = self._admit(route, message)
        except CommandError as err:
            # Only a refused payload needs the best-effort peek; a valid one
            # already carries its request_id, so JSON is decoded once.
            request_id = peek_request_id(message.payload) if route.kind == "set" else None
            self._responder.refuse(route.topic_id, message, request_id, None, err)
            return
        self._run_once(cooker, route, message, command)

    def refuse(self, route: DeviceCommandTopic, message: InboundMessage, err: CommandError) -> None:
        """Answer a command that will not run, echoing its request_id when it has one."""
        request_id = peek_request_id(message.payload) if route.kind == "set" else None
        self._responder.refuse(route.topic_id, message, request_id, None, err)

    def _admit(
        self, route: DeviceCommandTopic, message: InboundMessage
    ) -> tuple[CookerRecord, DeviceCommand]:
        cooker = self._directory.for_topic(route.topic_id)
        # A command to an unknown device is parsed by the first kind's words
        # all the same, so a malformed one gets the same answer either way.
        kind = self._kinds.named(cooker.info.kind) if cooker else next(iter(self._kinds))
        if route.kind == "set":
            command = kind.commands.parse_set(
                message.payload, retained=message.retain, default_unit=self._settings.units
            )
        else:
            command = kind.commands.parse_shortcut(
                route.field or "",
                message.payload,
                retained=message.retain,
                default_unit=self._settings.units,
            )
        if cooker is None:
            raise CommandError(
                ErrorCode.UNKNOWN_DEVICE,
                f"No cooker has the topic id {route.topic_id!r}; "
                f"see {self._topics.bridge_info} for the known ones.",
            )
        return cooker, command

    def _run_once(
        self,
        cooker: CookerRecord,
        route: DeviceCommandTopic,
        message: InboundMessage,
        command: DeviceCommand,
    ) -> None:
        request_id = command.request_id
        key = f"{cooker.cooker_id}\x00{request_id}" if request_id else None
        earlier = self._ledger.seen(key) if key else None
        if earlier is not None:
            self._repeat(earlier, cooker, route, message, request_id)
            return
        coalesce = SLIDER_KEY if route.field == SLIDER_KEY else None
        if not (coalesce and cooker.lane.has_waiting(coalesce)) and not cooker.bucket.try_take():
            self._responder.refuse(
                route.topic_id, message, request_id, command.action, _rate_limited(cooker)
            )
            return
        future = self._ledger.remember(key) if key else None
        job = Job(
            run=functools.partial(self._execution.run, cooker, command), coalesce_key=coalesce
        )
        # Tasks and callbacks copy the context as they are created: every
        # line they log names the topic, request and cooker.
        with structlog.contextvars.bound_contextvars(
            topic_id=route.topic_id, request_id=request_id, cooker_id=cooker.cooker_id
        ):
            # Joins the lane now, so the next slider value read in this same
            # batch already finds it waiting and coalesces with it.
            cooker.lane.submit(job)
            job.done.add_done_callback(
                functools.partial(self._answer, route.topic_id, message, command, future)
            )

    def _repeat(
        self,
        earlier: asyncio.Future[bytes],
        cooker: CookerRecord,
        route: DeviceCommandTopic,
        message: InboundMessage,
        request_id: str | None,
    ) -> None:
        """A request_id seen before: its first answer again, now or when it comes."""
        log.info(
            "duplicate_request_answered_again",
            topic_id=route.topic_id,
            request_id=request_id,
            cooker_id=cooker.cooker_id,
        )
        if earlier.cancelled():  # the first one failed unexpectedly and was not answered
            return
        if earlier.done():
            self._responder.send(route.topic_id, message, earlier.result())
            return
        earlier.add_done_callback(functools.partial(self._answer_again, route.topic_id, message))

    def _answer_again(
        self, topic_id: str, message: InboundMessage, earlier: asyncio.Future[bytes]
    ) -> None:
        if not earlier.cancelled():
            self._responder.send(topic_id, message, earlier.result())

    def _answer(
        self,
        topic_id: str,
        message: InboundMessage,
        command: DeviceCommand,
        future: asyncio.Future[bytes] | None,
        done: asyncio.Future[Any],
    ) -> None:
        """Publish the job's outcome as the command's one response (and remember it)."""
        if done.cancelled():  # the bridge is stopping and gave up on the command
            return
        if done.exception() is not None:  # a bug, logged by the lane: nothing to answer with
            if future is not None and not future.done():
                future.cancel()
            return
        result = done.result()
        # None: superseded by a newer slider value before it was sent.
        body: bytes = result if result is not None else superseded(command)
        if future is not None and not future.done():
            future.set_result(body)
        self._responder.send(topic_id, message, body)


def _rate_limited(cooker: CookerRecord) -> CommandError:
    bucket = cooker.bucket
    return CommandError(
        ErrorCode.RATE_LIMITED,
        f"Too many commands for {cooker.info.name}: at most {bucket.rate:g} per second "
        f"(bursts of {bucket.burst}); this one was not sent.",
    )
