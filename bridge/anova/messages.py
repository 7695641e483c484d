"""The cloud's frames, read: answers to their commands, device lists and states onward.

Every frame is JSON with a ``command`` naming its kind (anova-api.md,
"Envelope" and "Events"). A RESPONSE goes to the command waiting for it
(and counts as a completed command for the reconnect policy), the device
list and states go to the cooker registry, anything else is ignored. No
frame, however malformed, raises out of here: a bad state is logged with its
cooker and skipped, and the other cookers carry on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bridge.anova.fields import MalformedStateError
from bridge.anova.parsing import parse_devices, parse_state
from bridge.anova.partial import PartialStates
from bridge.anova.registry import CookerRegistry
from bridge.anova.replies import PendingReplies
from bridge.logs import get_logger

log = get_logger("anova.client")

RESPONSE = "RESPONSE"
DEVICE_LIST = "EVENT_APC_WIFI_LIST"
STATE = "EVENT_APC_STATE"


class CloudMessages:
    """Dispatches each frame the cloud sends.

    Args:
        cookers: receives device lists and states.
        replies: the commands waiting for their RESPONSE.
        on_answer: called when a RESPONSE completed one of our commands.
        clock: wall-clock now (aware UTC), stamped on each state.
    """

    def __init__(
        self,
        cookers: CookerRegistry,
        replies: PendingReplies,
        on_answer: Callable[[], None],
        clock: Callable[[], datetime],
    ) -> None:
        self._cookers = cookers
        self._replies = replies
        self._on_answer = on_answer
        self._clock = clock
        self._partial = PartialStates()

    def handle(self, raw: str) -> None:
        """Read one text frame."""
        try:
            message = json.loads(raw)
        except ValueError:
            log.debug("anova_message_not_json", size=len(raw))
            return
        if not isinstance(message, dict):
            log.debug("anova_message_not_object")
            return
        kind = message.get("command")
        payload = message.get("payload")
        if kind == RESPONSE:
            self._on_response(message.get("requestId"), payload)
        elif kind == DEVICE_LIST:
            self._on_devices(payload)
        elif kind == STATE:
            self._on_state(payload)
        else:
            log.debug("anova_event_ignored", kind=str(kind)[:64])

    def _on_response(self, request_id: Any, payload: Any) -> None:
        if self._replies.resolve(request_id, payload):
            self._on_answer()
        else:
            log.debug("anova_response_unmatched")

    def _on_devices(self, payload: Any) -> None:
        try:
            devices = parse_devices(payload)
        except MalformedStateError as err:
            log.warning("anova_device_list_malformed", error=str(err))
            return
        self._cookers.replace_devices(devices)
        self._partial.keep_only({device.cooker_id for device in devices})

    def _on_state(self, payload: Any) -> None:
        try:
            state = parse_state(self._partial.complete(payload), self._clock())
        except MalformedStateError as err:
            cooker_id = payload.get("cookerId") if isinstance(payload, dict) else None
            log.warning("anova_state_malformed", cooker_id=str(cooker_id), error=str(err))
            return
        self._cookers.accept(state)
