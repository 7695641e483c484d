"""Fixtures for simulator tests: a frozen-clock simulator and a recording client.

The clock runs at speed 0 so only ``sim.advance`` moves simulated time:
every phase change in these tests happens because the test asked for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from bridge.simulator import DEMO_TOKEN, CloudSimulator, SimClock
from tests.support.waiting import async_wait_until


class CloudClient:
    """A bare websockets client that records every frame the cloud sends."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.frames: list[dict[str, Any]] = []
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        # A clean close (1000/1001/1005) ends the iteration without raising;
        # others raise. Either way the code is on the connection afterwards.
        with contextlib.suppress(ConnectionClosed):
            async for raw in self.ws:
                self.frames.append(json.loads(raw))

    async def send(self, command: str, payload: Any, request_id: str | None = None) -> str:
        """Send one command frame; returns its requestId."""
        rid = request_id or str(uuid.uuid4())
        await self.ws.send(json.dumps({"command": command, "requestId": rid, "payload": payload}))
        return rid

    async def command(self, command: str, payload: Any, within: float = 5.0) -> dict[str, Any]:
        """Send a command and wait for its RESPONSE payload."""
        rid = await self.send(command, payload)
        return await self.response(rid, within=within)

    async def response(self, request_id: str | None, within: float = 5.0) -> dict[str, Any]:
        """The RESPONSE payload for ``request_id`` once it arrives."""

        def found() -> dict[str, Any] | None:
            for frame in self.frames:
                if frame.get("command") == "RESPONSE" and frame.get("requestId") == request_id:
                    return frame["payload"]  # type: ignore[no-any-return]
            return None

        return await async_wait_until(found, timeout=within, what=f"RESPONSE to {request_id}")

    def states(self, cooker_id: str) -> list[dict[str, Any]]:
        """Every state document pushed for ``cooker_id``, oldest first."""
        return [
            f["payload"]["state"]
            for f in self.frames
            if f.get("command") == "EVENT_APC_STATE" and f["payload"]["cookerId"] == cooker_id
        ]

    async def wait_state(
        self,
        cooker_id: str,
        predicate: Callable[[dict[str, Any]], bool],
        within: float = 5.0,
    ) -> dict[str, Any]:
        """The latest pushed state of ``cooker_id`` once it satisfies ``predicate``."""

        def found() -> dict[str, Any] | None:
            states = self.states(cooker_id)
            return states[-1] if states and predicate(states[-1]) else None

        return await async_wait_until(found, timeout=within, what=f"state of {cooker_id}")

    async def wait_closed(self, within: float = 5.0) -> tuple[int | None, str | None]:
        """The close code and reason this connection ended with, as the client sees them."""
        await asyncio.wait_for(asyncio.shield(self._reader), within)
        return self.ws.close_code, self.ws.close_reason

    async def close(self) -> None:
        """Hang up and stop reading."""
        await self.ws.close()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader


def start_payload(
    cooker: Any, target: float = 60.0, timer: int = 0, unit: str = "C"
) -> dict[str, Any]:
    """A valid CMD_APC_START payload for ``cooker``."""
    return {
        "cookerId": cooker.cooker_id,
        "type": cooker.type,
        "targetTemperature": target,
        "unit": unit,
        "timer": timer,
    }


@pytest.fixture
def clock() -> SimClock:
    """A frozen clock: only ``advance`` moves it."""
    return SimClock(speed=0)


@pytest.fixture
async def sim(clock: SimClock) -> AsyncIterator[CloudSimulator]:
    """A running simulator with an a7 and an a5."""
    async with CloudSimulator(cookers=2, types=["a7", "a5"], clock=clock) as simulator:
        yield simulator


@contextlib.asynccontextmanager
async def open_client(
    simulator: CloudSimulator, token: str = DEMO_TOKEN, *, expect: int | None = None
) -> AsyncIterator[CloudClient]:
    """Connect like the real client does and wait for the initial burst.

    Args:
        simulator: the cloud to connect to.
        token: token for the query string.
        expect: frames to wait for on connect (device list + one state per
            plugged cooker by default).
    """
    url = f"{simulator.ws_url}?token={token}&supportedAccessories=APC,APO"
    ws = await connect(url, open_timeout=5)
    client = CloudClient(ws)
    wanted = expect if expect is not None else 1 + sum(c.plugged for c in simulator.cookers)
    try:
        await async_wait_until(lambda: len(client.frames) >= wanted, what="initial frames")
        yield client
    finally:
        await client.close()


@pytest.fixture
async def client(sim: CloudSimulator) -> AsyncIterator[CloudClient]:
    """A client connected to ``sim`` with the demo token."""
    async with open_client(sim) as connected:
        yield connected
