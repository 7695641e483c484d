"""Shared machinery for the reliability suites (docs/reliability.md).

The bridge runs in-process against a private mosquitto and the cloud
simulator, as in ``tests/e2e``; these helpers add what fault, load and fuzz
runs need on top: a broker whose config can be extended at the top (per
listener settings), a probe that timestamps arrivals or only counts them (so
100 000 responses do not inflate the RSS being measured), a readiness check
that proves the bridge's subscriptions are in place, and a scale knob.

``RELIABILITY_SCALE`` multiplies the sizes of the runs (messages, restarts,
flood duration); ``RELIABILITY_SEED`` changes the seed of every random choice.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import os
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, Protocol

import paho.mqtt.client as mqtt
import structlog
from pydantic import SecretStr

from bridge.logs import mask_secrets
from bridge.service.app import BridgeService
from bridge.service.reports import rss_bytes
from bridge.settings import (
    AnovaSettings,
    HealthSettings,
    HomeAssistantSettings,
    MqttSettings,
    Settings,
)
from bridge.simulator import DEMO_TOKEN, CloudSimulator, SimClock
from tests.e2e.conftest import Stack
from tests.support.broker import MosquittoBroker
from tests.support.probe import MqttProbe
from tests.support.waiting import async_wait_until

SCALE = float(os.environ.get("RELIABILITY_SCALE", "1"))
SEED = int(os.environ.get("RELIABILITY_SEED", "6"))


def scaled(count: float) -> int:
    """``count`` times ``RELIABILITY_SCALE``, at least 1."""
    return max(1, round(count * SCALE))


@contextlib.contextmanager
def production_logging() -> Iterator[None]:
    """Log as in production (JSON lines at info) but into /dev/null, for load runs.

    The tests' default console renderer into pytest's capture costs more per
    line than the bridge's work on a refused command, and would be measured.
    """
    previous = structlog.get_config()
    with open(os.devnull, "w") as sink:
        structlog.configure(
            processors=[
                structlog.contextvars.merge_contextvars,
                structlog.processors.add_log_level,
                structlog.processors.TimeStamper(fmt="iso", utc=True),
                mask_secrets,
                structlog.processors.JSONRenderer(),
            ],
            wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
            logger_factory=structlog.PrintLoggerFactory(sink),
        )
        try:
            yield
        finally:
            structlog.configure(**previous)


def settled_rss() -> int:
    """This process's resident memory after a full garbage collection."""
    gc.collect()
    return rss_bytes()


class Broker(MosquittoBroker):
    """MosquittoBroker with lines that must come first (``per_listener_settings``)."""

    def __init__(self, workdir: Path, *, head_config: str = "", **kwargs: Any) -> None:
        super().__init__(workdir, **kwargs)
        self.head_config = head_config
        self.extra_port: int | None = None  # a second listener declared in extra_config

    def _write_config(self) -> Path:
        config = super()._write_config()
        if self.head_config:
            config.write_text(f"{self.head_config}\n{config.read_text()}")
        return config


class TimedProbe(MqttProbe):
    """A probe that also notes when (monotonic seconds) each message arrived."""

    def __init__(self, port: int, **kwargs: Any) -> None:
        self.arrivals: list[tuple[float, str, bytes, bool]] = []
        super().__init__(port, **kwargs)

    def _on_message(self, client: Any, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        self.arrivals.append((time.monotonic(), msg.topic, bytes(msg.payload), bool(msg.retain)))
        super()._on_message(client, userdata, msg)


class CountingProbe(MqttProbe):
    """Counts messages per topic and the error codes in them, keeping no payloads.

    Used by the load and fuzz runs, whose responses would otherwise hold tens
    of megabytes in the very process whose memory is being measured.
    """

    def __init__(self, port: int, **kwargs: Any) -> None:
        self.codes: Counter[str] = Counter()
        self.total = 0
        self.keeping = True  # store messages like MqttProbe until the load starts
        super().__init__(port, **kwargs)

    def _on_message(self, client: Any, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        self.codes[error_code(msg.payload)] += 1  # only paho's thread writes these
        self.total += 1
        if self.keeping:
            super()._on_message(client, userdata, msg)

    def snapshot(self) -> tuple[int, Counter[str]]:
        """The count and the codes so far, to subtract from later ones."""
        return self.total, Counter(self.codes)


def error_code(payload: bytes | bytearray) -> str:
    """The ``error.code`` of a response, ``ok`` for successes, ``?`` if unreadable."""
    try:
        body = json.loads(payload)
        if body["status"] == "ok":
            return "ok"
        return str(body["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return "?"


def bridge_settings(mqtt_url: str, sim: CloudSimulator, **overrides: Any) -> Settings:
    """Settings for a bridge on ``mqtt_url`` and the simulator; sections as dicts."""
    anova: dict[str, Any] = {
        "token": SecretStr(DEMO_TOKEN),
        "url": sim.ws_url,
        "auth_url": sim.http_url,
        "offline_after": 30.0,
        "command_timeout": 3.0,
        "confirm_timeout": 5.0,
        **overrides.pop("anova", {}),
    }
    mqtt_section: dict[str, Any] = {
        "url": mqtt_url,
        "client_id": "bridge-under-test",
        **overrides.pop("mqtt", {}),
    }
    return Settings(
        mqtt=MqttSettings(**mqtt_section),
        anova=AnovaSettings(**anova),
        homeassistant=HomeAssistantSettings(enabled=overrides.pop("homeassistant", False)),
        health=HealthSettings(**overrides.pop("health", {"port": 0})),
        **overrides,
    )


def simulator(
    cookers: int = 1, types: tuple[str, ...] = ("a7",), speed: float = 1.0
) -> CloudSimulator:
    """A cloud simulator with fast pushes (0.5 s) and a real-time clock by default."""
    return CloudSimulator(
        token=DEMO_TOKEN,
        cookers=cookers,
        types=list(types),
        clock=SimClock(speed=speed),
        push_interval=0.5,
    )


class Probed(Protocol):
    """What :func:`answered` needs: a user's probe (a Stack, or the flood's own rig)."""

    @property
    def probe(self) -> MqttProbe: ...


async def answered(stack: Probed, timeout: float = 10.0) -> None:
    """Wait until the bridge answers a ``health_check`` request.

    ``online`` already means the bridge's subscriptions are in place (it
    subscribes first); an answered request also proves the service behind
    them is handling messages.
    """
    deadline = time.monotonic() + timeout
    while True:
        transaction = uuid.uuid4().hex
        stack.probe.publish("anova/bridge/request/health_check", {"transaction": transaction})
        with contextlib.suppress(AssertionError):
            await stack.probe.until(
                "anova/bridge/response/health_check",
                lambda body, t=transaction: isinstance(body, dict) and body.get("transaction") == t,
                timeout=min(0.5, max(0.01, deadline - time.monotonic())),
            )
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"the bridge did not answer a request within {timeout}s")


@contextlib.asynccontextmanager
async def bridge_running(
    broker: MosquittoBroker,
    sim: CloudSimulator,
    *,
    probe: MqttProbe | None = None,
    mqtt_url: str | None = None,
    ready: bool = True,
    watch: tuple[str, ...] = ("anova/#",),
    **overrides: Any,
) -> AsyncIterator[Stack]:
    """Run the bridge against ``broker`` and ``sim`` (both already started).

    Args:
        probe: the user's client (subscribed to ``anova/#`` here); a plain one if None.
        mqtt_url: where the bridge connects, when not ``broker.url`` (TLS, auth listeners).
        ready: wait until every cooker has a state and the bridge answers requests.
        watch: the topic filters the probe subscribes to.
        overrides: settings sections, as for :func:`bridge_settings`.
    """
    service = BridgeService(bridge_settings(mqtt_url or broker.url, sim, **overrides))
    user = probe or MqttProbe(broker.port)
    user.subscribe(*watch)
    stop = asyncio.Event()
    runner = asyncio.create_task(service.run(stop))
    stack = Stack(broker, sim, service, user, stop, runner)
    try:
        if ready:
            await async_wait_until(
                lambda: (
                    len(service.cookers) == len(sim.cookers)
                    and all(c.state for c in service.cookers.values())
                ),
                timeout=15,
                what="bridge sees every cooker",
            )
            await answered(stack)
        yield stack
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(runner, 15)
        user.close()


@contextlib.asynccontextmanager
async def full_stack(
    tmp_path: Path,
    *,
    cookers: int = 1,
    types: tuple[str, ...] = ("a7",),
    persistent: bool = False,
    probe_factory: Any = MqttProbe,
    watch: tuple[str, ...] = ("anova/#",),
    **overrides: Any,
) -> AsyncIterator[Stack]:
    """Broker + simulator + bridge, all started and stopped here."""
    broker = Broker(tmp_path, persistent=persistent)
    broker.start()
    sim = simulator(cookers, types)
    await sim.start()
    try:
        async with bridge_running(
            broker, sim, probe=probe_factory(broker.port), watch=watch, **overrides
        ) as stack:
            yield stack
    finally:
        await sim.stop()
        broker.stop()
