"""The client routes each product line's events to the kind that owns them.

A second kind (a made-up "kettle") rides the same socket beside the cookers:
its device list must not replace the cookers', its states are read by its
own reader, and commands to its devices are built by it.
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import Any

import pytest
from pydantic import SecretStr

from bridge.anova.client import AnovaClient
from bridge.anova.commands import CloudCommand, StopCook, WireCommand
from bridge.anova.device import CookerInfo
from bridge.anova.kind import CloudKinds, StateReader
from bridge.anova.sous_vide import SOUS_VIDE_CLOUD
from bridge.anova.state import CookerPhase, CookerState
from bridge.settings import AnovaSettings
from tests.anova.conftest import Recorder
from tests.anova.test_client_messages import ScriptedSocket, fixture_text
from tests.support.waiting import async_wait_until


class _KettleStates:
    def read(self, payload: Any, now: datetime) -> CookerState:
        phase = CookerPhase.COOKING if payload["boiling"] else CookerPhase.IDLE
        return CookerState(cooker_id=payload["id"], type="kettle", phase=phase, online=True)

    def keep_only(self, device_ids: set[str]) -> None:
        return None


class KettleCloud:
    name = "kettle"
    device_list_event = "EVENT_KETTLE_LIST"
    state_event = "EVENT_KETTLE_STATE"

    def parse_devices(self, payload: Any) -> list[CookerInfo]:
        return [CookerInfo(cooker_id=i, type="kettle", name=i) for i in payload]

    def state_reader(self) -> StateReader:
        return _KettleStates()

    def to_wire(
        self, command: CloudCommand, device: CookerInfo, last: CookerState | None
    ) -> WireCommand:
        assert isinstance(command, StopCook)
        return WireCommand(
            device.cooker_id, "CMD_KETTLE_OFF", {"id": device.cooker_id}, lambda s: True
        )


def frame(command: str, payload: Any) -> str:
    return json.dumps({"command": command, "payload": payload})


async def test_a_second_kind_shares_the_socket_without_touching_the_cookers() -> None:
    socket = ScriptedSocket(
        [
            frame("EVENT_KETTLE_LIST", ["kettle-1"]),
            frame("EVENT_KETTLE_STATE", {"id": "kettle-1", "boiling": True}),
            fixture_text("wifi-list"),
            fixture_text("gen3-cooking"),
        ]
    )

    async def connector(url: str) -> ScriptedSocket:
        return socket

    settings = AnovaSettings(token=SecretStr("anova-test"), url="ws://example.invalid")
    recorder = Recorder()
    client = AnovaClient(
        settings, recorder, connector=connector, kinds=(SOUS_VIDE_CLOUD, KettleCloud())
    )
    task = asyncio.create_task(client.run())
    await async_wait_until(lambda: len(client.states) == 2, timeout=2, what="both states")

    assert "kettle-1" in client.devices  # the cookers' list replaced only the cookers
    assert "5yMOd0D2lasOE2U8SkcIcS" in client.devices
    assert client.states["kettle-1"].phase is CookerPhase.COOKING
    assert client.states["5yMOd0D2lasOE2U8SkcIcS"].phase is CookerPhase.COOKING

    sent = asyncio.create_task(client.execute(StopCook("kettle-1")))
    await async_wait_until(lambda: bool(socket.sent), timeout=2, what="the kettle command")
    assert json.loads(socket.sent[0])["command"] == "CMD_KETTLE_OFF"
    sent.cancel()
    await client.close()
    await asyncio.wait_for(task, 2)


def test_two_kinds_cannot_claim_one_event() -> None:
    class Impostor(KettleCloud):
        device_list_event = SOUS_VIDE_CLOUD.device_list_event

    with pytest.raises(ValueError, match="EVENT_APC_WIFI_LIST"):
        CloudKinds([SOUS_VIDE_CLOUD, Impostor()])
