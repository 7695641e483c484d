"""Turns inbound command messages into executed commands and exactly one response each.

The order of checks is the contract's: refuse retained and malformed input
first (cheap, and nothing reaches the cloud), then answer a redelivered
``request_id`` from memory, then apply the per-cooker rate limit, then queue
on the cooker's lane. Every path ends in one response on the device's
response topic. A command that ran and was refused, or ran with warnings,
is also published as a ``command_refused`` or ``command_warnings`` event,
because Home Assistant reads events but no responses. Input errors are
answered only: Home Assistant's entities cannot send them, and a flood of
them must not double what the bridge publishes.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any

import structlog

from bridge.commands import (
    Command,
    CommandResponse,
    SetTemperatureCommand,
    parse_set_payload,
    parse_shortcut,
    peek_request_id,
)
from bridge.errors import BridgeError, CommandError, ErrorCode
from bridge.logs import get_logger
from bridge.metrics import BridgeMetrics
from bridge.mqtt.message import InboundMessage
from bridge.mqtt.topics import DeviceCommandTopic
from bridge.service.cooker import CookerRecord
from bridge.service.dedupe import RequestLedger
from bridge.service.events import CookEvent, refused_event, warnings_event
from bridge.service.executor import CommandExecutor
from bridge.service.lane import Job
from bridge.service.outbound import Outbound
from bridge.service.refusals import RefusalLog
from bridge.settings import Settings

log = get_logger("commands")
SLIDER_KEY = "target_temperature"


class CommandRouter:
    """Handles ``<base>/<id>/set`` and ``<base>/<id>/set/<field>`` messages."""

    def __init__(
        self,
        settings: Settings,
        executor: CommandExecutor,
        outbound: Outbound,
        metrics: BridgeMetrics,
        *,
        cooker_for_topic: Callable[[str], CookerRecord | None],
        spawn: Callable[[Coroutine[Any, Any, None]], None],
    ) -> None:
        self._settings = settings
        self._executor = executor
        self._outbound = outbound
        self._metrics = metrics
        self._cooker_for_topic = cooker_for_topic
        self._spawn = spawn
        self._ledger = RequestLedger(settings.dedupe_window)
        self._refusal_log = RefusalLog()
        self.on_state_changed: Callable[[CookerRecord], None] = lambda _cooker: None

    def dispatch(self, route: DeviceCommandTopic, message: InboundMessage) -> None:
        """Process one command message through to its response.

        Everything that needs no cloud round trip (parsing, refusals, the
        rate limit, a repeated request already answered) happens here and
        now, in the caller; a task is started only for a command that will
        run, so a flood of refused commands costs no task each.
        """
        self._metrics.commands_received.inc()
        try:
            cooker, command = self._admit(route, message)
        except CommandError as err:
            # Only a refused payload needs the best-effort peek; a valid one
            # already carries its request_id, so JSON is decoded once.
            request_id = peek_request_id(message.payload) if route.kind == "set" else None
            self._refuse(route.topic_id, message, request_id, None, err)
            return
        self._run_once(cooker, route, message, command, command.request_id)

    def _admit(
        self, route: DeviceCommandTopic, message: InboundMessage
    ) -> tuple[CookerRecord, Command]:
        cooker = self._cooker_for_topic(route.topic_id)
        if route.kind == "set":
            command = parse_set_payload(
                message.payload, retained=message.retain, default_unit=self._settings.units
            )
        else:
            command = parse_shortcut(
                route.field or "",
                message.payload,
                retained=message.retain,
                default_unit=self._settings.units,
            )
        if cooker is None:
            raise CommandError(
                ErrorCode.UNKNOWN_DEVICE,
                f"No cooker has the topic id {route.topic_id!r}; "
                f"see {self._outbound.topics.bridge_info} for the known ones.",
            )
        return cooker, command

    def _run_once(
        self,
        cooker: CookerRecord,
        route: DeviceCommandTopic,
        message: InboundMessage,
        command: Command,
        request_id: str | None,
    ) -> None:
        key = f"{cooker.cooker_id}\x00{request_id}" if request_id else None
        earlier = self._ledger.seen(key) if key else None
        if earlier is not None:
            log.info(
                "duplicate request answered again without executing",
                topic_id=route.topic_id,
                request_id=request_id,
                cooker_id=cooker.cooker_id,
            )
            if earlier.cancelled():  # the first one failed unexpectedly and was not answered
                return
            if earlier.done():
                self._outbound.response(route.topic_id, message, earlier.result())
            else:
                self._spawn(self._answer_when_done(earlier, route, message))
            return
        coalesce = SLIDER_KEY if route.field == SLIDER_KEY else None
        if not (coalesce and cooker.lane.has_waiting(coalesce)) and not cooker.bucket.try_take():
            self._refuse(route.topic_id, message, request_id, command.action, _rate_limited(cooker))
            return
        future = self._ledger.remember(key) if key else None
        job = Job(run=lambda: self._execute(cooker, command, request_id), coalesce_key=coalesce)
        # Tasks and callbacks copy the context as they are created: every
        # line they log names the topic, request and cooker.
        with structlog.contextvars.bound_contextvars(
            topic_id=route.topic_id, request_id=request_id, cooker_id=cooker.cooker_id
        ):
            # Joins the lane now, so the next slider value read in this same
            # batch already finds it waiting and coalesces with it.
            cooker.lane.submit(job)
            job.done.add_done_callback(
                functools.partial(self._answer, route, message, command, future)
            )

    async def _answer_when_done(
        self, earlier: asyncio.Future[bytes], route: DeviceCommandTopic, message: InboundMessage
    ) -> None:
        body = await asyncio.shield(earlier)
        self._outbound.response(route.topic_id, message, body)

    def _answer(
        self,
        route: DeviceCommandTopic,
        message: InboundMessage,
        command: Command,
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
        body: bytes = result if result is not None else _superseded(command.request_id, command)
        if future is not None and not future.done():
            future.set_result(body)
        self._outbound.response(route.topic_id, message, body)

    async def _execute(
        self, cooker: CookerRecord, command: Command, request_id: str | None
    ) -> bytes:
        # A queued job runs in the lane's task, which does not inherit the context
        # bound in dispatch(): bind it again so the cloud round trip's lines carry it.
        with structlog.contextvars.bound_contextvars(
            topic_id=cooker.topic_id, request_id=request_id, cooker_id=cooker.cooker_id
        ):
            return await self._execute_bound(cooker, command, request_id)

    async def _execute_bound(
        self, cooker: CookerRecord, command: Command, request_id: str | None
    ) -> bytes:
        log_ = log.bind(action=command.action)
        try:
            executed = await self._executor.execute(command, cooker)
        except BridgeError as err:
            self._metrics.commands_refused.labels(code=err.code.value).inc()
            log_.info("command refused", code=err.code.value, reason=err.message)
            self._outbound.command_event(cooker, _refused(cooker, command, request_id, err))
            return CommandResponse.error(request_id, command.action, err).to_json()
        self._metrics.commands_accepted.inc()
        log_.info("command done", warnings=len(executed.warnings))
        if executed.state_changed:
            self.on_state_changed(cooker)
        if executed.warnings:
            self._outbound.command_event(
                cooker,
                warnings_event(
                    cooker.state, action=command.action, request_id=request_id,
                    warnings=executed.warnings,
                ),
            )  # fmt: skip
        return CommandResponse.ok(
            request_id, command.action, executed.data, executed.warnings
        ).to_json()

    def refuse(self, route: DeviceCommandTopic, message: InboundMessage, err: CommandError) -> None:
        """Answer a command that will not run, echoing its request_id when it has one."""
        request_id = peek_request_id(message.payload) if route.kind == "set" else None
        self._refuse(route.topic_id, message, request_id, None, err)

    def _refuse(
        self,
        topic_id: str,
        message: InboundMessage,
        request_id: str | None,
        action: str | None,
        err: CommandError,
    ) -> None:
        code = err.code.value
        self._metrics.commands_refused.labels(code=code).inc()
        left_out = self._refusal_log.admit(topic_id, code)
        if left_out is not None:
            cooker = self._cooker_for_topic(topic_id)
            log.info(
                "command refused",
                code=code,
                reason=err.message,
                field=err.field,
                topic_id=topic_id,
                request_id=request_id,
                cooker_id=cooker.cooker_id if cooker is not None else None,
                **({"similar_refusals_not_logged": left_out} if left_out else {}),
            )
        body = CommandResponse.error(request_id, action, err).to_json()
        self._outbound.response(topic_id, message, body)


def _refused(
    cooker: CookerRecord, command: Command, request_id: str | None, err: BridgeError
) -> CookEvent:
    """The event twin of an error response (CommandError knows its field; others have none)."""
    return refused_event(
        cooker.state,
        action=command.action,
        request_id=request_id,
        code=err.code.value,
        message=err.message,
        field=err.field if isinstance(err, CommandError) else None,
    )


def _rate_limited(cooker: CookerRecord) -> CommandError:
    bucket = cooker.bucket
    return CommandError(
        ErrorCode.RATE_LIMITED,
        f"Too many commands for {cooker.info.name}: at most {bucket.rate:g} per second "
        f"(bursts of {bucket.burst}); this one was not sent.",
    )


def _superseded(request_id: str | None, command: Command) -> bytes:
    assert isinstance(command, SetTemperatureCommand)
    return CommandResponse.ok(
        request_id,
        command.action,
        {"superseded": True},
        ["replaced by a newer target temperature before it was sent to the cooker"],
    ).to_json()
