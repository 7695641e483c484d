"""``<base>/bridge/request/<action>`` → ``<base>/bridge/response/<action>``.

Lets scripts ask the bridge things without knowing its internals: a health
check, the device list, or a forced discovery republish. Parsing (retained,
size, JSON, ``transaction``) is the command layer's; this module only acts.
"""

from __future__ import annotations

from typing import Any

from bridge.commands import BridgeResponse, parse_bridge_request, peek_transaction
from bridge.errors import CommandError, ErrorCode
from bridge.logs import get_logger
from bridge.mqtt.message import InboundMessage
from bridge.service.directory import CookerDirectory
from bridge.service.homeassistant import HomeAssistantLink
from bridge.service.outbound import Outbound
from bridge.service.reports import BridgeReports

log = get_logger("bridge-requests")


class BridgeRequests:
    """Answers bridge-level requests from the reports, the cookers and the discovery link."""

    def __init__(
        self,
        reports: BridgeReports,
        outbound: Outbound,
        cookers: CookerDirectory,
        homeassistant: HomeAssistantLink | None,
    ) -> None:
        self._reports = reports
        self._outbound = outbound
        self._cookers = cookers
        self._homeassistant = homeassistant

    async def handle(self, action: str, message: InboundMessage) -> None:
        """Answer one request on ``bridge/response/<action>``."""
        try:
            request = parse_bridge_request(action, message.payload, retained=message.retain)
            body = BridgeResponse.ok(request.transaction, self._answer(request.action))
        except CommandError as err:
            log.info("bridge_request_refused", code=err.code.value, reason=err.message)
            body = BridgeResponse.error(peek_transaction(message.payload), err)
        self._outbound.bridge_response(action, message, body.to_json())

    def _answer(self, action: str) -> dict[str, Any]:
        if action == "health_check":
            return self._reports.health()
        if action == "devices":
            return {"devices": self._reports.info()["devices"]}
        return self._republish()

    def _republish(self) -> dict[str, Any]:
        link = self._homeassistant
        if link is None:
            raise CommandError(
                ErrorCode.INVALID_FIELD,
                "Home Assistant discovery is disabled (homeassistant.enabled: false), "
                "so there is nothing to republish.",
            )
        link.update(self._cookers.discovery_entries(), force=True)
        for cooker in self._cookers:
            self._outbound.cooker(cooker, force=True)
        return {"cookers": len(self._cookers)}
