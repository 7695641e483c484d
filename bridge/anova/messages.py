"""The cloud's frames, read: answers to their commands, device lists and states onward.

Every frame is JSON with a ``command`` naming its kind (anova-api.md,
"Envelope" and "Events"). A RESPONSE goes to the command waiting for it
(and counts as a completed command for the reconnect policy), the device
list and states of each device kind (:mod:`bridge.anova.kind`) go to the
device registry, anything else is ignored. No
frame, however malformed, raises out of here: a bad state is logged with its
cooker and skipped, and the other cookers carry on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bridge.anova.fields import MalformedStateError
from bridge.anova.kind import CloudKind, CloudKinds, StateReader
from bridge.anova.registry import CookerRegistry
from bridge.anova.replies import PendingReplies
from bridge.logs import get_logger

log = get_logger("anova.client")

RESPONSE = "RESPONSE"


class CloudMessages:
    """Dispatches each frame the cloud sends.

    Args:
        kinds: the device kinds served, by the events they own.
        cookers: receives device lists and states.
        replies: the commands waiting for their RESPONSE.
        on_answer: called when a RESPONSE completed one of our commands.
        clock: wall-clock now (aware UTC), stamped on each state.
    """

    def __init__(
        self,
        kinds: CloudKinds,
        cookers: CookerRegistry,
        replies: PendingReplies,
        on_answer: Callable[[], None],
        clock: Callable[[], datetime],
    ) -> None:
        self._cookers = cookers
        self._replies = replies
        self._on_answer = on_answer
        self._clock = clock
        self._kinds = kinds
        self._readers: dict[str, StateReader] = {kind.name: kind.state_reader() for kind in kinds}

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
        event = message.get("command")
        payload = message.get("payload")
        if event == RESPONSE:
            self._on_response(message.get("requestId"), payload)
        elif (lister := self._kinds.listing(str(event))) is not None:
            self._on_devices(lister, payload)
        elif (reporter := self._kinds.reporting(str(event))) is not None:
            self._on_state(reporter, payload)
        else:
            log.debug("anova_event_ignored", kind=str(event)[:64])

    def _on_response(self, request_id: Any, payload: Any) -> None:
        if self._replies.resolve(request_id, payload):
            self._on_answer()
        else:
            log.debug("anova_response_unmatched")

    def _on_devices(self, kind: CloudKind, payload: Any) -> None:
        try:
            devices = kind.parse_devices(payload)
        except MalformedStateError as err:
            log.warning("anova_device_list_malformed", error=str(err))
            return
        self._cookers.replace_devices(devices, kind.name)
        self._readers[kind.name].keep_only({device.cooker_id for device in devices})

    def _on_state(self, kind: CloudKind, payload: Any) -> None:
        try:
            state = self._readers[kind.name].read(payload, self._clock())
        except MalformedStateError as err:
            cooker_id = payload.get("cookerId") if isinstance(payload, dict) else None
            log.warning("anova_state_malformed", cooker_id=str(cooker_id), error=str(err))
            return
        self._cookers.accept(state)
