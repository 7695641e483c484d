"""Simulated sous-vide cookers as a kind: ``EVENT_APC_*`` out, ``CMD_APC_*`` in."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bridge.simulator.commands import VALIDATORS, Envelope, Outcome, execute
from bridge.simulator.cooker import SimCooker
from bridge.simulator.shapes import state_event, wifi_list_event


class SimSousVide:
    """The cookers' device list, state shapes (gen 2, a3, gen 3) and five commands."""

    name = "sous_vide"
    commands = frozenset(VALIDATORS)

    def device_list_event(self, devices: list[SimCooker]) -> dict[str, Any]:
        """``EVENT_APC_WIFI_LIST``."""
        return wifi_list_event(devices)

    def greeting(
        self, devices: list[SimCooker], accessories: frozenset[str]
    ) -> list[dict[str, Any]]:
        """The list, then every plugged cooker's state, whatever the connection asked for."""
        del accessories  # the cookers have always greeted every connection
        states = [state_event(cooker) for cooker in devices if cooker.plugged]
        return [wifi_list_event(devices), *states]

    def state_event(self, device: SimCooker) -> dict[str, Any]:
        """``EVENT_APC_STATE`` in the cooker's generation's shape."""
        return state_event(device)

    def execute(self, envelope: Envelope, devices: Mapping[str, SimCooker]) -> Outcome:
        """A ``CMD_APC_*`` command, traps included."""
        return execute(envelope, devices)


SIM_SOUS_VIDE = SimSousVide()
