"""The whole bridge, for real: a private broker + simulator + the service in-process.

The service and the simulator share the test's event loop; the probe is a
separate paho client on its own thread, like a user's script. Only the
loop-friendly ``probe.until`` is used to wait, so the bridge keeps running.

The broker is Mosquitto unless a module parametrizes ``broker_kind``
indirectly (``BROKERS``): then its tests also run against amqtt, a second
implementation (MQTT 3.1.1). ``strict`` puts ``StrictProxy`` between the
bridge and Mosquitto, advertising and enforcing a strict broker's limits.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import paho.mqtt.client as paho
import pytest
from pydantic import SecretStr

from bridge.service.app import BridgeService
from bridge.settings import (
    AnovaSettings,
    HealthSettings,
    HomeAssistantSettings,
    MqttSettings,
    Settings,
)
from bridge.simulator import DEMO_TOKEN, CloudSimulator, SimClock
from tests.support.amqtt_broker import AmqttBroker
from tests.support.broker import MosquittoBroker
from tests.support.probe import MqttProbe
from tests.support.strict_proxy import StrictLimits, StrictProxy
from tests.support.waiting import async_wait_until

BrokerKind = Literal["mosquitto", "amqtt"]
AnyBroker = MosquittoBroker | AmqttBroker
BROKERS = pytest.mark.parametrize("broker_kind", ["mosquitto", "amqtt"], indirect=True)
"""Run a module's tests against both broker implementations."""


@pytest.fixture
def broker_kind(request: pytest.FixtureRequest) -> BrokerKind:
    """Mosquitto, unless the test is parametrized with BROKERS."""
    kind: BrokerKind = getattr(request, "param", "mosquitto")
    return kind


def make_broker(kind: BrokerKind, tmp_path: Path, *, persistent: bool = False) -> AnyBroker:
    """A broker of ``kind``, not started. amqtt keeps nothing across restarts."""
    if kind == "amqtt":
        return AmqttBroker(tmp_path)
    return MosquittoBroker(tmp_path, persistent=persistent)


def broker_protocol(broker: AnyBroker) -> str:
    """The MQTT version the broker speaks best: 5, or 3.1.1 for amqtt."""
    return getattr(broker, "protocol", "5")  # a test may hand in just a port


def make_probe(broker: AnyBroker, **kwargs: Any) -> MqttProbe:
    """A user's client speaking the broker's protocol."""
    version = paho.MQTTv311 if broker_protocol(broker) == "3.1.1" else paho.MQTTv5
    return MqttProbe(broker.port, protocol=version, **kwargs)


@dataclass
class Stack:
    """Everything one end-to-end test drives."""

    broker: AnyBroker
    sim: CloudSimulator
    service: BridgeService
    probe: MqttProbe
    stop: asyncio.Event
    runner: asyncio.Task[int]
    proxy: StrictProxy | None = None

    def topic(self, cooker_index: int, suffix: str) -> str:
        cooker = self.sim.cookers[cooker_index]
        topic_id = self.service.cookers[cooker.cooker_id].topic_id
        return f"anova/{topic_id}/{suffix}"

    async def command(
        self, cooker_index: int, payload: dict[str, Any] | str | bytes, **kw: Any
    ) -> Any:
        """Publish a set command and return its response JSON (matched by request_id)."""
        request_id = payload.get("request_id") if isinstance(payload, dict) else None
        before = len(self.probe.on(self.topic(cooker_index, "response")))
        self.probe.publish(self.topic(cooker_index, "set"), payload, **kw)

        def mine(body: Any) -> bool:
            return isinstance(body, dict) and (
                request_id is None or body.get("request_id") == request_id
            )

        def new_response() -> Any:
            seen = self.probe.on(self.topic(cooker_index, "response"))[before:]
            return next((m.json() for m in seen if mine(m.json())), None)

        return await async_wait_until(new_response, timeout=30, what="command response")

    async def state(
        self, cooker_index: int, predicate: Callable[[Any], bool], timeout: float = 20
    ) -> Any:
        msg = await self.probe.until(self.topic(cooker_index, "state"), predicate, timeout=timeout)
        return msg.json()

    def oven_topic(self, oven_index: int, suffix: str) -> str:
        oven = self.sim.ovens[oven_index]
        return f"anova/{self.service.cookers[oven.cooker_id].topic_id}/{suffix}"

    async def oven_command(self, oven_index: int, payload: dict[str, Any]) -> Any:
        """Publish a set command to an oven and return its response (matched by request_id)."""
        request_id = payload["request_id"]
        topic = self.oven_topic(oven_index, "response")
        self.probe.publish(self.oven_topic(oven_index, "set"), payload)

        def answer() -> Any:
            seen = (m.json() for m in self.probe.on(topic))
            return next((body for body in seen if body.get("request_id") == request_id), None)

        return await async_wait_until(answer, timeout=30, what=f"the oven's answer {request_id}")

    def mark(self, oven_index: int) -> int:
        """How many states of the oven were seen so far: ``oven_state(after=…)`` waits past them."""
        return len(self.probe.on(self.oven_topic(oven_index, "state")))

    async def oven_state(
        self,
        oven_index: int,
        predicate: Callable[[Any], bool],
        timeout: float = 20,
        *,
        after: int = 0,
    ) -> Any:
        """The newest state of the oven matching ``predicate``, among those after ``after``."""
        topic = self.oven_topic(oven_index, "state")

        def found() -> Any:
            seen = [m.json() for m in self.probe.on(topic)[after:]]
            return next((body for body in reversed(seen) if predicate(body)), None)

        return await async_wait_until(found, timeout=timeout, what=f"a state on {topic}")

    def cloud_commands(self, name: str) -> list[Any]:
        return [c for c in self.sim.received_commands if c.command == name]


def stack_settings(broker: AnyBroker, sim: CloudSimulator, **overrides: Any) -> Settings:
    anova = {
        "token": SecretStr(DEMO_TOKEN),
        "url": sim.ws_url,
        "auth_url": sim.http_url,
        "offline_after": 30.0,
        "command_timeout": 3.0,
        "confirm_timeout": 5.0,
        **overrides.pop("anova", {}),
    }
    return Settings(
        mqtt=MqttSettings(
            **{
                "url": broker.url,
                "client_id": "bridge-under-test",
                "protocol": broker_protocol(broker),
                **overrides.pop("mqtt", {}),
            }
        ),
        anova=AnovaSettings(**anova),
        homeassistant=HomeAssistantSettings(enabled=overrides.pop("homeassistant", True)),
        health=HealthSettings(port=0),
        **overrides,
    )


@contextlib.asynccontextmanager
async def running_stack(
    tmp_path: Path,
    *,
    cookers: int = 2,
    types: tuple[str, ...] = ("a7", "a5"),
    ovens: tuple[str, ...] = (),
    speed: float = 1.0,
    broker_kind: BrokerKind = "mosquitto",
    strict: StrictLimits | None = None,
    **overrides: Any,
) -> AsyncIterator[Stack]:
    broker = make_broker(broker_kind, tmp_path)
    broker.start()
    proxy = StrictProxy(broker.port, strict) if strict is not None else None
    if proxy is not None:
        await proxy.start()
        overrides["mqtt"] = {"url": proxy.url, **overrides.get("mqtt", {})}
    sim = CloudSimulator(
        token=DEMO_TOKEN,
        cookers=cookers,
        types=list(types),
        clock=SimClock(speed=speed),
        push_interval=0.5,
        ovens=list(ovens),
    )
    await sim.start()
    service = BridgeService(stack_settings(broker, sim, **overrides))
    devices = cookers + len(ovens)
    probe = make_probe(broker)
    probe.subscribe("anova/#")
    stop = asyncio.Event()
    runner = asyncio.create_task(service.run(stop))
    stack = Stack(broker, sim, service, probe, stop, runner, proxy)
    try:
        await async_wait_until(
            lambda: (
                len(service.cookers) == devices and all(c.state for c in service.cookers.values())
            ),
            timeout=15,
            what="bridge sees every device",
        )
        for index in range(cookers):
            await probe.until(stack.topic(index, "availability"), lambda body: True, timeout=10)
        for index in range(len(ovens)):
            await probe.until(stack.oven_topic(index, "availability"), lambda _: True, timeout=10)
        yield stack
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(runner, 15)
        probe.close()
        await sim.stop()
        if proxy is not None:
            await proxy.stop()
        broker.stop()


@pytest.fixture
async def stack(tmp_path: Path, broker_kind: BrokerKind) -> AsyncIterator[Stack]:
    async with running_stack(tmp_path, broker_kind=broker_kind) as running:
        yield running
