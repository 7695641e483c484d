"""What the client does with odd messages, through its injectable connector.

These feed scripted frames through the ``connector`` seam (the same seam a
proxy or a custom transport would use); everything behind it is the real
client. Protocol behaviour against a real server lives in the simulator
tests.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from pydantic import SecretStr
from structlog.testing import capture_logs

from bridge.anova.client import AnovaClient
from bridge.anova.state import CookerPhase
from bridge.settings import AnovaSettings
from tests.anova.conftest import Recorder
from tests.support.waiting import async_wait_until

FIXTURES = Path(__file__).parent.parent / "fixtures"


def fixture_text(name: str) -> str:
    return (FIXTURES / f"anova-{name}.json").read_text()


class ScriptedSocket:
    """Hands out queued frames, then waits until closed."""

    def __init__(self, frames: list[str]) -> None:
        self.frames: asyncio.Queue[str] = asyncio.Queue()
        for frame in frames:
            self.frames.put_nowait(frame)
        self.sent: list[str] = []
        self.urls: list[str] = []

    async def send(self, message: str) -> None:
        self.sent.append(message)

    async def recv(self) -> str:
        return await self.frames.get()

    async def close(self, code: int = 1000, reason: str = "") -> None:
        return None


async def run_scripted(frames: list[str], listener=None):
    socket = ScriptedSocket(frames)

    async def connector(url: str) -> ScriptedSocket:
        socket.urls.append(url)
        return socket

    settings = AnovaSettings(token=SecretStr("anova-test"), url="ws://example.invalid")
    client = AnovaClient(settings, listener or Recorder(), connector=connector)
    task = asyncio.create_task(client.run())
    await async_wait_until(lambda: socket.frames.empty() and client.connected, timeout=2)
    await asyncio.sleep(0)
    return client, socket, task


async def stop(client: AnovaClient, task: asyncio.Task[None]) -> None:
    await client.close()
    await asyncio.wait_for(task, 2)


async def test_garbage_unknown_events_and_a_malformed_cooker_are_skipped():
    broken = json.loads(fixture_text("gen3-cooking"))
    broken["payload"]["cookerId"] = "broken"
    del broken["payload"]["state"]["nodes"]
    frames = [
        fixture_text("wifi-list"),
        "not json",
        "[1, 2]",
        json.dumps({"command": "EVENT_APC_WIFI_VERSION", "payload": {"x": 1}}),
        json.dumps({"command": "RESPONSE", "requestId": "nobody", "payload": {}}),
        json.dumps(broken),
        fixture_text("gen3-cooking"),
        fixture_text("gen2-idle"),
    ]
    with capture_logs() as events:
        client, socket, task = await run_scripted(frames)
        await async_wait_until(lambda: len(client.states) == 2, timeout=2, what="two states")
        await stop(client, task)
    assert client.states["5yMOd0D2lasOE2U8SkcIcS"].phase is CookerPhase.COOKING
    assert client.states["anova-gen2-0123456789"].phase is CookerPhase.IDLE
    warnings = [e for e in events if e["log_level"] == "warning"]
    assert [e["event"] for e in warnings] == ["anova_state_malformed"]
    assert warnings[0]["cooker_id"] == "broken"
    assert any(e["event"] == "anova_event_ignored" and e["log_level"] == "debug" for e in events)
    assert socket.urls == ["ws://example.invalid?token=anova-test&supportedAccessories=APC,APO"]


async def test_a_failing_listener_does_not_take_the_link_down():
    class Grumpy(Recorder):
        def on_state(self, state):
            super().on_state(state)
            raise RuntimeError("consumer bug")

    listener = Grumpy()
    frames = [fixture_text("wifi-list"), fixture_text("gen3-cooking"), fixture_text("gen2-idle")]
    with capture_logs() as events:
        client, _, task = await run_scripted(frames, listener)
        await async_wait_until(lambda: len(listener.states) == 2, timeout=2, what="both states")
        assert client.connected
        await stop(client, task)
    assert sum(e["event"] == "anova_listener_failed" for e in events) == 2
