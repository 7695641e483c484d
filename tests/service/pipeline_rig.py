"""The command pipeline with fakes at both ends: no broker, no simulator.

The fake broker records what :class:`~bridge.service.outbound.Outbound`
publishes (responses, events, state); the fake cloud records the
:data:`~bridge.anova.commands.CloudCommand` values the executor sends and
can hold them in flight, fail them or leave them unconfirmed. Everything in
between is the real pipeline, built by :class:`CommandPipeline`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bridge.anova.commands import CloudCommand
from bridge.anova.device import CookerInfo
from bridge.anova.state import CookerPhase, CookerState
from bridge.metrics import BridgeMetrics
from bridge.mqtt.message import InboundMessage
from bridge.mqtt.topics import DeviceCommandTopic
from bridge.service.contexts import CookContexts
from bridge.service.contextstore import CookContextStore
from bridge.service.cooker import CookerRecord
from bridge.service.directory import CookerDirectory
from bridge.service.outbound import Outbound
from bridge.service.pipeline import CommandPipeline
from bridge.settings import AnovaSettings, Settings
from tests.support.waiting import async_wait_until

IDLE = CookerState(cooker_id="c1", type="a7", phase=CookerPhase.IDLE, target_temperature_c=40.0)
COOKING = CookerState(
    cooker_id="c1", type="a7", phase=CookerPhase.COOKING, target_temperature_c=60.0
)
OFFLINE = CookerState(cooker_id="c1", type="a7", phase=CookerPhase.OFFLINE)
SOUS_VIDE = CookerInfo(cooker_id="c1", name="Sous Vide", type="a7")


@dataclass
class FakeBroker:
    """What the bridge published, in order."""

    sent: list[tuple[str, bytes]] = field(default_factory=list)

    def publish(self, topic: str, payload: bytes | str, *, retain: bool) -> object:
        self.sent.append((topic, payload if isinstance(payload, bytes) else payload.encode()))
        return None

    def publish_reply(self, msg: InboundMessage, payload: bytes | str) -> object:
        assert msg.response_topic is not None
        return self.publish(msg.response_topic, payload, retain=False)

    def on(self, topic: str) -> list[dict[str, Any]]:
        return [json.loads(payload) for sent_to, payload in self.sent if sent_to == topic]


@dataclass(frozen=True)
class Outcome:
    confirmed: bool


@dataclass
class FakeCloud:
    """The Anova client as the executor sees it."""

    sent: list[CloudCommand] = field(default_factory=list)
    confirmed: bool = True
    failure: Exception | None = None
    hold: asyncio.Event | None = None

    async def execute(self, command: CloudCommand) -> Outcome:
        self.sent.append(command)
        if self.hold is not None:
            await self.hold.wait()
        if self.failure is not None:
            raise self.failure
        return Outcome(self.confirmed)


class FakeLink:
    """The MQTT connection as the inbox steers it."""

    def __init__(self) -> None:
        self.paused: list[bool] = []

    holding_back = False  # a broker whose send window never fills

    def waiting_on(self, topic: str) -> int:
        return 0

    def hold_reading(self, paused: bool) -> None:
        self.paused.append(paused)

    @contextlib.contextmanager
    def publishing_batch(self) -> Iterator[None]:
        yield


class Rig:
    """One pipeline and its cookers, fed message by message."""

    def __init__(
        self, data: Path, *, policy: str = "strict", burst: int = 10, per_second: float = 5
    ) -> None:
        self.settings = Settings(
            anova=AnovaSettings(token=SecretStr("anova-x")),
            safety={"policy": policy},
            rate_limit={"per_second": per_second, "burst": burst},
        )
        self.broker = FakeBroker()
        self.cloud = FakeCloud()
        self.directory = CookerDirectory()
        self.contexts = CookContexts(CookContextStore(data), self.directory.by_id)
        self.pipeline = CommandPipeline(
            self.settings,
            directory=self.directory,
            control=self.cloud,
            contexts=self.contexts,
            outbound=Outbound(self.broker, self.settings),
            metrics=BridgeMetrics(),
            link=FakeLink(),
        )

    def add_cooker(
        self,
        state: CookerState = IDLE,
        *,
        open_gate: bool = True,
        info: CookerInfo = SOUS_VIDE,
    ) -> CookerRecord:
        """A listed cooker ``Sous Vide`` (topic id ``sous_vide``) in ``state``, or ``info``'s."""
        record = self.pipeline.record(info)
        self.contexts.adopt(record)
        self.directory.add(record)
        self.directory.assign_topics({})
        record.observe(state)
        if open_gate:
            self.pipeline.gate.open()
        return record

    def send(
        self,
        payload: bytes | str | dict[str, Any],
        *,
        field: str | None = None,
        topic_id: str = "sous_vide",
        retain: bool = False,
    ) -> None:
        """Hand one MQTT command to the inbox, as the connection does."""
        body = json.dumps(payload).encode() if isinstance(payload, dict) else payload
        body = body.encode() if isinstance(body, str) else body
        route = DeviceCommandTopic(topic_id, "set" if field is None else "set_field", field)
        topic = f"anova/{topic_id}/set" + (f"/{field}" if field else "")
        self.pipeline.inbox.offer(route, InboundMessage(topic, body, retain=retain, qos=1))

    def responses(self, topic_id: str = "sous_vide") -> list[dict[str, Any]]:
        return self.broker.on(f"anova/{topic_id}/response")

    def events(self) -> list[dict[str, Any]]:
        return self.broker.on("anova/sous_vide/event")

    async def answered(self, count: int, topic_id: str = "sous_vide") -> list[dict[str, Any]]:
        """Wait for ``count`` responses; return them all."""
        await async_wait_until(
            lambda: len(self.responses(topic_id)) >= count, timeout=5, what=f"{count} responses"
        )
        return self.responses(topic_id)
