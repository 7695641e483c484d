"""A second device kind needs its own modules and one registration, nothing else.

The test defines a made-up kind, an electric kettle, with everything a kind
provides: its cloud events and state parse, one command's wire form, one
Home Assistant entity, a trivial safety rule and its state document. It
registers the kind, and the unchanged bridge (a real Mosquitto, a real
WebSocket cloud for the kettle) discovers the kettle, publishes its state,
refuses a setpoint by the kettle's rule and runs a ``stop`` through the
pipeline as the kettle's own wire command.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest
from pydantic import SecretStr
from websockets.asyncio.server import ServerConnection, serve

from bridge.anova.commands import CloudCommand, StopCook, WireCommand
from bridge.anova.device import CookerInfo
from bridge.anova.kind import StateReader
from bridge.anova.state import CookerPhase, CookerState
from bridge.commands.vocabulary import COOKER_COMMANDS
from bridge.contract import TemperatureUnit
from bridge.errors import CommandError, ErrorCode
from bridge.hass.context import Config, EntityContext
from bridge.kinds import KINDS, DeviceKind
from bridge.kinds.kind import StateInputs
from bridge.kinds.sous_vide.events import derive_events
from bridge.safety.water_bath import WaterBathRules
from bridge.service.app import BridgeService
from bridge.settings import AnovaSettings, HealthSettings, MqttSettings, Settings
from tests.support.broker import MosquittoBroker
from tests.support.probe import MqttProbe

KETTLE_ID = "kettle-1"
LIST, STATE, OFF = "EVENT_KETTLE_LIST", "EVENT_KETTLE_STATE", "CMD_KETTLE_OFF"
HOTTEST_C = 60.0


class _KettleStates:
    def read(self, payload: Any, now: datetime) -> CookerState:
        phase = CookerPhase.COOKING if payload["boiling"] else CookerPhase.IDLE
        return CookerState(cooker_id=payload["id"], type="kettle", phase=phase, online=True)

    def keep_only(self, device_ids: set[str]) -> None:
        return None


class KettleCloud:
    name = "kettle"
    device_list_event = LIST
    state_event = STATE

    def parse_devices(self, payload: Any) -> list[CookerInfo]:
        return [CookerInfo(cooker_id=d["id"], type="kettle", name=d["name"]) for d in payload]

    def state_reader(self) -> StateReader:
        return _KettleStates()

    def to_wire(
        self, command: CloudCommand, device: CookerInfo, last: CookerState | None
    ) -> WireCommand:
        if not isinstance(command, StopCook):
            raise CommandError(ErrorCode.INVALID_FIELD, "a kettle only switches off")
        return WireCommand(
            device.cooker_id, OFF, {"id": device.cooker_id}, lambda s: not s.is_cooking
        )


class KettleRules(WaterBathRules):
    """The water bath's rules, but a kettle keeps water at 60 °C at most."""

    @staticmethod
    def check_setpoint(
        temperature_c: float, *, cooker_type: str, unit: TemperatureUnit = "C"
    ) -> None:
        if temperature_c > HOTTEST_C:
            raise CommandError(
                ErrorCode.TEMPERATURE_TOO_HIGH, "a kettle keeps water at 60 °C at most"
            )


def boiling(ctx: EntityContext) -> Config:
    return {
        "platform": "binary_sensor",
        "name": "Boiling",
        "unique_id": ctx.unique_id("boiling"),
        "state_topic": ctx.topics.state,
        "value_template": "{{ 'ON' if value_json.boiling else 'OFF' }}",
    }


def kettle_document(inputs: StateInputs) -> dict[str, Any]:
    state = inputs.state
    return {
        "online": inputs.online,
        "boiling": bool(state and state.is_cooking),
        "name": inputs.info.name,
    }


KETTLE = DeviceKind(
    name="kettle",
    cloud=KettleCloud(),
    safety=KettleRules(),
    entities={"boiling": boiling},
    state_document=kettle_document,
    commands=COOKER_COMMANDS,
    events=derive_events,
    verbs="sous_vide",
)


@dataclass
class KettleCloudServer:
    """The kettle's cloud: a real WebSocket that lists one kettle, boiling."""

    received: list[dict[str, Any]] = field(default_factory=list)

    async def handle(self, ws: ServerConnection) -> None:
        await ws.send(_frame(LIST, [{"id": KETTLE_ID, "name": "Kettle"}]))
        await ws.send(_frame(STATE, {"id": KETTLE_ID, "boiling": True}))
        async for raw in ws:
            message = json.loads(raw)
            self.received.append(message)
            answer = {"command": "RESPONSE", "requestId": message["requestId"]}
            await ws.send(json.dumps({**answer, "payload": {"status": "ok"}}))
            if message["command"] == OFF:
                await ws.send(_frame(STATE, {"id": KETTLE_ID, "boiling": False}))


def _frame(command: str, payload: Any) -> str:
    return json.dumps({"command": command, "payload": payload})


@pytest.fixture
async def kettle_bridge(
    broker: MosquittoBroker,
) -> AsyncIterator[tuple[KettleCloudServer, MqttProbe]]:
    KINDS.register(KETTLE)
    cloud = KettleCloudServer()
    server = await serve(cloud.handle, "127.0.0.1", 0)
    port = next(iter(server.sockets)).getsockname()[1]
    settings = Settings(
        mqtt=MqttSettings(url=broker.url, client_id="bridge-under-test"),
        anova=AnovaSettings(token=SecretStr("anova-kettle"), url=f"ws://127.0.0.1:{port}"),
        health=HealthSettings(port=0),
    )
    probe = MqttProbe(broker.port)
    probe.subscribe("anova/#", "homeassistant/#")
    stop = asyncio.Event()
    runner = asyncio.create_task(BridgeService(settings).run(stop))
    try:
        yield cloud, probe
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(runner, 15)
        probe.close()
        server.close()
        await server.wait_closed()
        KINDS.unregister(KETTLE.name)


async def test_a_registered_kind_is_discovered_published_checked_and_commanded(
    kettle_bridge: tuple[KettleCloudServer, MqttProbe],
) -> None:
    cloud, probe = kettle_bridge
    config = await probe.until(
        f"homeassistant/device/{KETTLE_ID}/config", lambda body: body, timeout=15
    )
    assert set(config.json()["components"]) == {"boiling"}
    state_topic = config.json()["components"]["boiling"]["state_topic"]
    base = state_topic.removesuffix("/state")
    state = await probe.until(state_topic, lambda body: body and body["boiling"], timeout=10)
    assert state.json() == {"online": True, "boiling": True, "name": "Kettle"}

    probe.publish(f"{base}/set", {"action": "set_temperature", "temperature": 70})
    refused = await probe.until(f"{base}/response", lambda body: body, timeout=10)
    assert refused.json()["error"]["code"] == "TEMPERATURE_TOO_HIGH"

    probe.publish(f"{base}/set", {"action": "stop", "request_id": "off"})
    done = await probe.until(
        f"{base}/response", lambda body: body and body.get("request_id") == "off", timeout=10
    )
    assert done.json()["status"] == "ok"
    assert [m["command"] for m in cloud.received] == [OFF]
    await probe.until(state_topic, lambda body: body and not body["boiling"], timeout=10)
