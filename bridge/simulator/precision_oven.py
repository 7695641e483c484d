"""Simulated Precision Ovens as a kind: ``EVENT_APO_*`` out, ``CMD_APO_*`` in.

Ovens share the cookers' socket but only talk to a connection that asked
for them: its query's ``supportedAccessories`` must include ``APO``
(anova-oven-api.md §1). Home Assistant's anova-wifi asks only for ``APC``
and so never sees an oven event. With no oven paired nothing oven-related
is sent at all, so a cookers-only simulator greets exactly as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bridge.simulator.commands import Envelope, Outcome
from bridge.simulator.oven import SimOven
from bridge.simulator.oven_commands import HANDLERS, execute_oven
from bridge.simulator.oven_shapes import state_event, user_state_event, wifi_list_event
from bridge.simulator.oven_traps import OvenTraps

ACCESSORY = "APO"


class OvenFleet(dict[str, SimOven]):
    """One simulator's ovens by id, and the traps they all obey."""

    def __init__(self, ovens: Mapping[str, SimOven], traps: OvenTraps) -> None:
        super().__init__(ovens)
        self.traps = traps


class SimPrecisionOven:
    """The ovens' device list, user state, two state shapes and three commands."""

    name = "oven"
    accessory = ACCESSORY
    commands = frozenset(HANDLERS)

    def device_list_event(self, devices: list[SimOven]) -> dict[str, Any]:
        """``EVENT_APO_WIFI_LIST``."""
        return wifi_list_event(devices)

    def greeting(self, devices: list[SimOven], accessories: frozenset[str]) -> list[dict[str, Any]]:
        """List, user state, then one state per live oven; nothing unless APO was asked for."""
        if ACCESSORY not in accessories or not devices:
            return []
        states = [state_event(oven) for oven in devices if oven.plugged]
        return [wifi_list_event(devices), user_state_event(), *states]

    def state_event(self, device: SimOven) -> dict[str, Any]:
        """``EVENT_APO_STATE`` in the oven's version's shape."""
        return state_event(device)

    def execute(self, envelope: Envelope, devices: Mapping[str, SimOven]) -> Outcome:
        """A ``CMD_APO_*`` command, traps included."""
        traps = devices.traps if isinstance(devices, OvenFleet) else OvenTraps()
        return execute_oven(envelope, devices, traps)


SIM_PRECISION_OVEN = SimPrecisionOven()
