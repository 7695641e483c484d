"""The fake cloud serves each simulated kind's events and commands on one socket."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from bridge.simulator import CloudSimulator, SimClock
from bridge.simulator.commands import Envelope, Outcome
from bridge.simulator.cooker import SimCooker
from bridge.simulator.kinds import SimKinds
from bridge.simulator.sous_vide import SIM_SOUS_VIDE
from tests.simulator.conftest import open_client


class SimKettles:
    """A made-up kind with no devices paired: it lists none and takes one command."""

    name = "kettle"
    commands = frozenset({"CMD_KETTLE_OFF"})

    def __init__(self) -> None:
        self.executed: list[Envelope] = []

    def device_list_event(self, devices: list[SimCooker]) -> dict[str, Any]:
        return {"command": "EVENT_KETTLE_LIST", "payload": [d.cooker_id for d in devices]}

    def greeting(
        self, devices: list[SimCooker], accessories: frozenset[str]
    ) -> list[dict[str, Any]]:
        return [self.device_list_event(devices)]

    def state_event(self, device: SimCooker) -> dict[str, Any]:
        return {"command": "EVENT_KETTLE_STATE", "payload": {"id": device.cooker_id}}

    def execute(self, envelope: Envelope, devices: Mapping[str, SimCooker]) -> Outcome:
        self.executed.append(envelope)
        return Outcome(request_id=envelope.request_id)


async def test_each_kind_lists_its_devices_and_takes_its_own_commands() -> None:
    kettles = SimKettles()
    kinds = SimKinds([SIM_SOUS_VIDE, kettles])
    async with (
        CloudSimulator(cookers=1, types=["a7"], clock=SimClock(), kinds=kinds) as sim,
        open_client(sim, expect=3) as client,
    ):
        events = [frame["command"] for frame in client.frames]
        assert events == ["EVENT_APC_WIFI_LIST", "EVENT_APC_STATE", "EVENT_KETTLE_LIST"]
        assert (await client.command("CMD_KETTLE_OFF", {"id": "k"}))["status"] == "ok"
        assert [e.command for e in kettles.executed] == ["CMD_KETTLE_OFF"]
        unknown = await client.command("CMD_KETTLE_BOIL", {"id": "k"})
        assert unknown["error"] == "Unknown command type"


def test_two_kinds_cannot_take_one_command() -> None:
    class Impostor(SimKettles):
        commands = frozenset({"CMD_APC_STOP"})

    with pytest.raises(ValueError, match="CMD_APC_STOP"):
        SimKinds([SIM_SOUS_VIDE, Impostor()])
