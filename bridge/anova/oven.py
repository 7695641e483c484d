"""Anova Precision Ovens as a cloud kind: the ``EVENT_APO_*`` events and ``CMD_APO_*`` commands.

Ovens come in their own device list and state event on the cookers'
socket (``anova-oven-api.md`` §1). Both oven versions' states are read into
one :class:`~bridge.anova.oven_model.OvenState` (:mod:`bridge.anova.oven_states`),
and a plan is built for the oven's own version only
(:mod:`bridge.anova.oven_wire`).
"""

from __future__ import annotations

from typing import Any

from bridge.anova import oven_wire, parsing
from bridge.anova.commands import CloudCommand, WireCommand
from bridge.anova.device import CookerInfo
from bridge.anova.kind import StateReader
from bridge.anova.oven_stage_parts import IdSource, new_id
from bridge.anova.oven_states import OvenStates
from bridge.anova.state import CookerState

NAME = "oven"
DEVICE_LIST = "EVENT_APO_WIFI_LIST"
STATE = "EVENT_APO_STATE"


class OvenCloud:
    """The ovens' events, state shapes and commands.

    Args:
        ids: makes cook and stage ids (random UUIDs; tests pass their own).
    """

    name = NAME
    device_list_event = DEVICE_LIST
    state_event = STATE

    def __init__(self, ids: IdSource = new_id) -> None:
        self._ids = ids

    def parse_devices(self, payload: Any) -> list[CookerInfo]:
        """Read ``EVENT_APO_WIFI_LIST`` (the cookers' entry shape), each entry an oven.

        Raises:
            MalformedStateError: the payload is not a list.
        """
        return [info.model_copy(update={"kind": NAME}) for info in parsing.parse_devices(payload)]

    def state_reader(self) -> StateReader:
        """A reader that remembers which stage has reached its setpoint."""
        return OvenStates()

    def to_wire(
        self, command: CloudCommand, device: CookerInfo, last: CookerState | None
    ) -> WireCommand:
        """``CMD_APO_START`` (v1 or v2 by the oven's type), ``CMD_APO_STOP``, or the unit."""
        return oven_wire.to_wire(command, device, last, self._ids)


OVEN_CLOUD = OvenCloud()
