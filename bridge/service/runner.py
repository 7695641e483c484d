"""The pipeline's executor stage: a lane's turn runs one command and returns its answer.

The lane calls :meth:`ExecutionStage.run` when the command's turn comes.
The executor applies the device-state and food-safety rules and calls the
cloud; the responder turns what happened into the response body and the
command's event twin. Every line logged meanwhile names the topic, request
and cooker.
"""

from __future__ import annotations

import structlog

from bridge.commands.vocabulary import DeviceCommand
from bridge.errors import BridgeError
from bridge.service.cooker import CookerRecord
from bridge.service.directory import CookerDirectory
from bridge.service.executor import CommandExecutor
from bridge.service.responder import Responder


class ExecutionStage:
    """Runs a command that reached the front of its cooker's lane."""

    def __init__(
        self, executor: CommandExecutor, responder: Responder, directory: CookerDirectory
    ) -> None:
        self._executor = executor
        self._responder = responder
        self.directory = directory

    async def run(self, cooker: CookerRecord, command: DeviceCommand) -> bytes:
        """Execute ``command`` on ``cooker``; the response body, whatever the outcome."""
        # A queued job runs in the lane's task, which does not inherit the context
        # bound at the gate: bind it again so the cloud round trip's lines carry it.
        with structlog.contextvars.bound_contextvars(
            topic_id=cooker.topic_id, request_id=command.request_id, cooker_id=cooker.cooker_id
        ):
            try:
                executed = await self._executor.execute(command, cooker)
            except BridgeError as err:
                return self._responder.failed(cooker, command, command.request_id, err)
            return self._responder.done(cooker, command, command.request_id, executed)
