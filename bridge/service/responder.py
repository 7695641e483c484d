"""The pipeline's last stage: every command's one response, and its event twin.

A command ends here whichever way it went: refused at the gate (input
errors, an unknown cooker, the rate limit), answered again from the dedupe
ledger, or run by the executor. The response goes to
``<base>/<id>/response`` and to the MQTT 5 Response Topic when the request
named one. A command that ran and was refused, or ran with warnings, is also
published as a ``command_refused``/``command_warnings`` event, because Home
Assistant reads events and no responses; input errors are answered only,
since no Home Assistant entity can send them and a flood of them must not
double what the bridge publishes.
"""

from __future__ import annotations

from bridge.commands import CommandResponse, SetTemperatureCommand
from bridge.commands.vocabulary import DeviceCommand
from bridge.errors import BridgeError, CommandError
from bridge.logs import get_logger
from bridge.metrics import BridgeMetrics
from bridge.mqtt.message import InboundMessage
from bridge.service.cooker import CookerRecord
from bridge.service.directory import CookerDirectory
from bridge.service.events import refused_event, warnings_event
from bridge.service.executor import Executed
from bridge.service.outbound import Outbound
from bridge.service.refusals import RefusalLog

log = get_logger("commands")


class Responder:
    """Publishes responses, command events and the state a command changed."""

    def __init__(
        self, outbound: Outbound, metrics: BridgeMetrics, directory: CookerDirectory
    ) -> None:
        self._outbound = outbound
        self._metrics = metrics
        self._directory = directory
        self._refusal_log = RefusalLog()

    def send(self, topic_id: str, message: InboundMessage, body: bytes) -> None:
        """Publish one finished response."""
        self._outbound.response(topic_id, message, body)

    def refuse(
        self,
        topic_id: str,
        message: InboundMessage,
        request_id: str | None,
        action: str | None,
        err: CommandError,
    ) -> None:
        """Answer a command that will not run; logged once per kind and topic per window."""
        code = err.code.value
        self._metrics.commands_refused.labels(code=code).inc()
        left_out = self._refusal_log.admit(topic_id, code)
        if left_out is not None:
            cooker = self._directory.for_topic(topic_id)
            log.info(
                "command_refused",
                code=code,
                reason=err.message,
                field=err.field,
                topic_id=topic_id,
                request_id=request_id,
                cooker_id=cooker.cooker_id if cooker is not None else None,
                **({"similar_refusals_not_logged": left_out} if left_out else {}),
            )
        self.send(topic_id, message, CommandResponse.error(request_id, action, err).to_json())

    def failed(
        self, cooker: CookerRecord, command: DeviceCommand, request_id: str | None, err: BridgeError
    ) -> bytes:
        """The body for a command the executor refused, with its event twin published."""
        self._metrics.commands_refused.labels(code=err.code.value).inc()
        log.info("command_refused", action=command.action, code=err.code.value, reason=err.message)
        event = refused_event(
            cooker.state,
            action=command.action,
            request_id=request_id,
            code=err.code.value,
            message=err.message,
            field=err.field if isinstance(err, CommandError) else None,
        )
        self._outbound.command_event(cooker, event)
        return CommandResponse.error(request_id, command.action, err).to_json()

    def done(
        self,
        cooker: CookerRecord,
        command: DeviceCommand,
        request_id: str | None,
        executed: Executed,
    ) -> bytes:
        """The body for a command that ran; a changed record is published at once."""
        self._metrics.commands_accepted.inc()
        log.info("command_done", action=command.action, warnings=len(executed.warnings))
        if executed.state_changed:
            self._outbound.cooker(cooker)
        if executed.warnings:
            event = warnings_event(
                cooker.state,
                action=command.action,
                request_id=request_id,
                warnings=executed.warnings,
            )
            self._outbound.command_event(cooker, event)
        return CommandResponse.ok(
            request_id, command.action, executed.data, executed.warnings
        ).to_json()


def superseded(command: DeviceCommand) -> bytes:
    """The answer of a slider value replaced by a newer one before it was sent."""
    assert isinstance(command, SetTemperatureCommand)
    return CommandResponse.ok(
        command.request_id,
        command.action,
        {"superseded": True},
        ["replaced by a newer target temperature before it was sent to the cooker"],
    ).to_json()
