"""``<base>/bridge/request/<action>`` → ``<base>/bridge/response/<action>``.

Lets scripts ask the bridge things without knowing its internals: a health
check, the device list, or a forced discovery republish. Parsing (retained,
size, JSON, ``transaction``) is the command layer's; this module only acts.

Requests share one token bucket with the per-cooker limits of ``rate_limit``
(5 a second, bursts of 10 by default): a script looping on ``health_check``
gets ``RATE_LIMITED``, not a health report each time. ``republish_discovery``
costs a message per cooker, so it also runs at most once per
REPUBLISH_INTERVAL_S; a request within that is refused with ``RATE_LIMITED``
and says when the last republish was.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bridge.commands import BridgeResponse, parse_bridge_request, peek_transaction
from bridge.errors import CommandError, ErrorCode
from bridge.logs import get_logger
from bridge.mqtt.message import InboundMessage
from bridge.service.directory import CookerDirectory
from bridge.service.homeassistant import HomeAssistantLink
from bridge.service.outbound import Outbound
from bridge.service.ratelimit import TokenBucket
from bridge.service.reports import BridgeReports
from bridge.settings import RateLimitSettings

log = get_logger("bridge-requests")

REPUBLISH_INTERVAL_S = 10.0
"""Shortest time between two discovery republishes a request can ask for."""


class BridgeRequests:
    """Answers bridge-level requests from the reports, the cookers and the discovery link."""

    def __init__(
        self,
        reports: BridgeReports,
        outbound: Outbound,
        cookers: CookerDirectory,
        homeassistant: HomeAssistantLink | None,
        limits: RateLimitSettings,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._reports = reports
        self._outbound = outbound
        self._cookers = cookers
        self._homeassistant = homeassistant
        self._bucket = TokenBucket(limits.per_second, limits.burst, clock=clock)
        self._clock = clock
        self._republished_at: float | None = None

    async def handle(self, action: str, message: InboundMessage) -> None:
        """Answer one request on ``bridge/response/<action>``."""
        try:
            request = parse_bridge_request(action, message.payload, retained=message.retain)
            self._admit(request.action)
            body = BridgeResponse.ok(request.transaction, self._answer(request.action))
        except CommandError as err:
            log.info("bridge_request_refused", code=err.code.value, reason=err.message)
            body = BridgeResponse.error(peek_transaction(message.payload), err)
        self._outbound.bridge_response(action, message, body.to_json())

    def _admit(self, action: str) -> None:
        """Refuse with RATE_LIMITED what goes beyond the bucket or the republish interval."""
        if action == "republish_discovery" and self._republished_at is not None:
            ago = self._clock() - self._republished_at
            if ago < REPUBLISH_INTERVAL_S:
                raise CommandError(
                    ErrorCode.RATE_LIMITED,
                    f"Discovery was republished {ago:.1f} s ago; at most once every "
                    f"{REPUBLISH_INTERVAL_S:g} s. Try again in {REPUBLISH_INTERVAL_S - ago:.1f} s.",
                )
        if not self._bucket.try_take():
            bucket = self._bucket
            raise CommandError(
                ErrorCode.RATE_LIMITED,
                f"Too many bridge requests: at most {bucket.rate:g} per second "
                f"(bursts of {bucket.burst}); this one was refused.",
            )

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
        self._republished_at = self._clock()
        link.update(self._cookers.discovery_entries(), force=True)
        for cooker in self._cookers:
            self._outbound.cooker(cooker, force=True)
        return {"cookers": len(self._cookers)}
