"""An oven on the cookers' socket: listed, read and started through the unchanged client."""

from __future__ import annotations

import asyncio
import json

from pydantic import SecretStr

from bridge.anova.client import AnovaClient
from bridge.anova.commands import StartOvenCook
from bridge.anova.oven import OvenCloud
from bridge.anova.oven_model import OvenMode, OvenPlan, OvenStage
from bridge.anova.sous_vide import SOUS_VIDE_CLOUD
from bridge.anova.state import CookerPhase
from bridge.settings import AnovaSettings
from tests.anova.conftest import Recorder
from tests.anova.oven_fixtures import oven_fixture
from tests.anova.test_client_messages import ScriptedSocket, fixture_text
from tests.anova.test_oven_wire import Ids
from tests.support.waiting import async_wait_until

OVEN = "0123456789abcdef02"


async def test_an_oven_plan_goes_out_nested_and_is_confirmed_by_its_cook() -> None:
    frames = [
        json.dumps(oven_fixture("wifi-list")),
        fixture_text("wifi-list"),
        json.dumps(oven_fixture("v2-idle")),
    ]
    socket = ScriptedSocket(frames)

    async def connector(url: str) -> ScriptedSocket:
        socket.urls.append(url)
        return socket

    settings = AnovaSettings(token=SecretStr("anova-test"), url="ws://example.invalid")
    oven = OvenCloud(Ids("66666666-6666-4666-8666-666666666666"))
    client = AnovaClient(settings, Recorder(), connector=connector, kinds=(SOUS_VIDE_CLOUD, oven))
    task = asyncio.create_task(client.run())
    await async_wait_until(lambda: OVEN in client.states, timeout=2, what="the oven's state")
    assert socket.urls[0].endswith("supportedAccessories=APC,APO")
    assert client.devices[OVEN].kind == "oven"
    assert "5yMOd0D2lasOE2U8SkcIcS" in client.devices  # the cookers' list kept the ovens
    assert client.states[OVEN].phase is CookerPhase.IDLE

    plan = OvenPlan(stages=(OvenStage(mode=OvenMode.DRY, temperature_c=200.0, timer_s=1200),))
    started = asyncio.create_task(client.execute(StartOvenCook(OVEN, plan)))
    await async_wait_until(lambda: bool(socket.sent), timeout=2, what="the start")
    frame = json.loads(socket.sent[0])
    assert frame["command"] == "CMD_APO_START"
    assert frame["payload"]["id"] == OVEN
    assert frame["payload"]["type"] == "CMD_APO_START"
    assert frame["payload"]["payload"]["type"] == "oven_v2"
    answer = {"command": "RESPONSE", "requestId": frame["requestId"], "payload": {"status": "ok"}}
    socket.frames.put_nowait(json.dumps(answer))
    socket.frames.put_nowait(json.dumps(oven_fixture("v2-cooking")))
    outcome = await asyncio.wait_for(started, 2)
    assert outcome.confirmed
    assert outcome.state is not None
    assert outcome.state.cook is not None
    assert outcome.state.cook.id == "android-66666666-6666-4666-8666-666666666666"
    await client.close()
    await asyncio.wait_for(task, 2)
