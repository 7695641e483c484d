"""A simulator on real sockets and a running client, for the integration tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from pydantic import SecretStr

from bridge.anova.client import AnovaClient
from bridge.anova.device import CookerInfo
from bridge.anova.state import CookerPhase, CookerState
from bridge.settings import AnovaSettings
from bridge.simulator import CloudSimulator, SimClock
from tests.support.waiting import async_wait_until

TOKEN = "anova-demo"
EMAIL = "demo@example.com"
PASSWORD = "demo-password"


class Recorder:
    """An AnovaListener that keeps everything it is told."""

    def __init__(self) -> None:
        self.connections: list[bool] = []
        self.device_lists: list[list[CookerInfo]] = []
        self.states: list[CookerState] = []

    def on_connection_change(self, connected: bool) -> None:
        self.connections.append(connected)

    def on_devices(self, devices: list[CookerInfo]) -> None:
        self.device_lists.append(devices)

    def on_state(self, state: CookerState) -> None:
        self.states.append(state)

    def phases(self, cooker_id: str) -> list[CookerPhase]:
        """Distinct consecutive phases seen for one cooker."""
        seen: list[CookerPhase] = []
        for state in self.states:
            if state.cooker_id == cooker_id and (not seen or seen[-1] is not state.phase):
                seen.append(state.phase)
        return seen

    def latest(self, cooker_id: str) -> CookerState | None:
        mine = [s for s in self.states if s.cooker_id == cooker_id]
        return mine[-1] if mine else None


class Harness:
    """Starts clients against one simulator and stops them all afterwards."""

    def __init__(self, sim: CloudSimulator) -> None:
        self.sim = sim
        self._running: list[tuple[AnovaClient, asyncio.Task[None]]] = []

    def settings(self, **overrides: Any) -> AnovaSettings:
        values: dict[str, Any] = {
            "token": SecretStr(TOKEN),
            "url": self.sim.ws_url,
            "offline_after": 60.0,
            "command_timeout": 2.0,
            "confirm_timeout": 2.0,
        }
        values.update(overrides)
        return AnovaSettings(**values)

    def login_settings(self, **overrides: Any) -> AnovaSettings:
        values: dict[str, Any] = {
            "token": None,
            "email": EMAIL,
            "password": SecretStr(PASSWORD),
            "auth_url": self.sim.http_url,
            "token_url": self.sim.http_url,
        }
        values.update(overrides)
        return self.settings(**values)

    async def start(
        self, settings: AnovaSettings | None = None, *, wait: bool = True, **kwargs: Any
    ) -> tuple[AnovaClient, Recorder, asyncio.Task[None]]:
        recorder = Recorder()
        kwargs.setdefault("sleep", fast_sleep)
        client = AnovaClient(settings or self.settings(), recorder, **kwargs)
        task = asyncio.create_task(client.run())
        self._running.append((client, task))
        if wait:
            expected = len(self.sim.cookers)
            await async_wait_until(
                lambda: client.connected and len(client.states) == expected,
                timeout=5,
                what="client connected with every cooker's state",
            )
        return client, recorder, task

    async def stop_all(self) -> None:
        for client, task in self._running:
            await client.close()
            await asyncio.wait_for(asyncio.gather(task, return_exceptions=True), 5)


async def fast_sleep(seconds: float) -> None:
    """Backoff sleeps shrunk a hundredfold, still yielding to the loop."""
    await asyncio.sleep(min(seconds / 100, 0.05))


@pytest.fixture
async def make_sim() -> AsyncIterator[Callable[..., Awaitable[CloudSimulator]]]:
    started: list[CloudSimulator] = []

    async def make(**kwargs: Any) -> CloudSimulator:
        kwargs.setdefault("clock", SimClock(speed=1.0))
        kwargs.setdefault("cookers", 2)
        kwargs.setdefault("types", ["a7", "a5"])
        kwargs.setdefault("push_interval", 0.5)
        kwargs.setdefault("users", {EMAIL: PASSWORD})
        sim = CloudSimulator(token=TOKEN, host="127.0.0.1", port=0, http_port=0, **kwargs)
        await sim.start()
        started.append(sim)
        return sim

    yield make
    for sim in started:
        await sim.stop()


@pytest.fixture
async def sim(make_sim: Callable[..., Awaitable[CloudSimulator]]) -> CloudSimulator:
    return await make_sim()


@pytest.fixture
async def harness(sim: CloudSimulator) -> AsyncIterator[Harness]:
    h = Harness(sim)
    yield h
    await h.stop_all()


def cooker_of_type(sim: CloudSimulator, cooker_type: str) -> str:
    return next(c.cooker_id for c in sim.cookers if c.type == cooker_type)
