"""Drive the simulator with Home Assistant's anova-wifi library, as HA would.

Runs inside the anova-wifi venv (scripts/ensure-anova-wifi-venv.sh), never in
the project's: ``python driver.py WS_URL HTTP_URL TOKEN``. It connects with a
personal access token, waits for every cooker and its first state, then for
each cooker in turn: ``start_cook``, the simulated clock moved through the
preheat until the cook stage, ``update_running_cook`` (target and timer),
the clock moved past the timer, ``stop_cook``. It moves the clock through the
simulator's ``/_sim/advance`` route and prints one JSON report on stdout:
what the library parsed at each step, every exception, and whether its
message listener died. The pytest side judges the report.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sys
import time
from collections.abc import Callable
from typing import Any

import aiohttp
from anova_wifi import AnovaApi, AnovaWebsocketHandler, APCWifiDevice
from anova_wifi.web_socket_containers import build_a6_a7_payload

REAL_CLOUD = "https://devices.anovaculinary.io"
DEADLINE_S = 10.0
START = {"target_temperature": 60.0, "cook_time_seconds": 600, "temperature_unit": "C"}
UPDATE = {"target_temperature": 61.5, "temperature_unit": "C", "cook_time_seconds": 900}
# anova-wifi parses gen 3 states only for these types; for a8 and a9 the
# driver runs the library's gen 3 parser on the raw pushes itself.
LIBRARY_GEN3_TYPES = {"a6", "a7"}


class Cloud:
    """The simulator's control surface: its cookers and its clock."""

    def __init__(self, session: aiohttp.ClientSession, http_url: str) -> None:
        self._session = session
        self._url = http_url

    async def cooker(self, cooker_id: str) -> dict[str, Any]:
        async with self._session.get(f"{self._url}/_sim/state") as response:
            state = await response.json()
        return next(c for c in state["cookers"] if c["cooker_id"] == cooker_id)

    async def advance(self, seconds: float) -> None:
        url = f"{self._url}/_sim/advance?seconds={seconds}"
        async with self._session.post(url) as response:
            response.raise_for_status()


async def until(what: str, check: Callable[[], Any]) -> None:
    """Wait for ``check()`` (sync or async) to be truthy, or raise naming ``what``."""
    deadline = time.monotonic() + DEADLINE_S
    while True:
        value = check()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


def parsed(device: APCWifiDevice) -> dict[str, Any] | None:
    return dataclasses.asdict(device.last_update) if device.last_update else None


class Run:
    """One cooker's scenario and what the library made of it."""

    def __init__(self, device: APCWifiDevice, cloud: Cloud, raw: list[dict[str, Any]]) -> None:
        self.device = device
        self.cloud = cloud
        self.raw = raw
        self.report: dict[str, Any] = {
            "cooker_id": device.cooker_id,
            "type": device.type,
            "name": device.name,
            "steps": {},
            "errors": {},
        }

    async def phase(self, wanted: str) -> bool:
        phase: str = (await self.cloud.cooker(self.device.cooker_id))["phase"]
        return phase == wanted

    async def push_after(self, step: str, seen: int) -> None:
        """Wait for a push after the first ``seen`` ones, then note what the library parsed."""
        # Recorded and parsed in one synchronous call: once seen, it is parsed.
        await until(f"a push for {step}", lambda: len(self._pushes()) > seen)
        self._note(step)

    def _pushes(self) -> list[dict[str, Any]]:
        cooker_id = self.device.cooker_id
        return [
            m
            for m in self.raw
            if m.get("command") == "EVENT_APC_STATE" and m["payload"]["cookerId"] == cooker_id
        ]

    def _gen3_parse(self) -> dict[str, Any] | None:
        pushes = self._pushes()
        state = pushes[-1]["payload"]["state"] if pushes else None
        if state is None or "nodes" not in state:
            return None
        return dataclasses.asdict(build_a6_a7_payload(state))

    async def step(self, name: str, action: Callable[[], Any]) -> bool:
        try:
            await action()
        except Exception as err:  # the report names every failure
            self.report["errors"][name] = f"{type(err).__name__}: {err}"
            return False
        return True

    async def advance_until(self, wanted: str, step_s: float) -> None:
        for _ in range(100):
            if await self.phase(wanted):
                return
            await self.cloud.advance(step_s)
        raise TimeoutError(f"the simulator never reached {wanted}")

    async def run(self) -> dict[str, Any]:
        device = self.device
        await until("a first state", self._pushes)
        self._note("idle")
        seen = len(self._pushes())
        if await self.step("start_cook", lambda: device.start_cook(**START)):
            await self.step("started", lambda: self.push_after("started", seen))
        await self.step("cooking", lambda: self._advance_to("cooking", "cooking", 300))
        update = lambda: device.update_running_cook(**UPDATE)  # noqa: E731
        if await self.step("update_running_cook", update):
            await self.step("updated", self._applied_update)
        await self.step("maintaining", lambda: self._advance_to("maintaining", "maintaining", 960))
        seen = len(self._pushes())
        if await self.step("stop_cook", device.stop_cook):
            await self.step("stopped", lambda: self.push_after("stopped", seen))
        return self.report

    def _note(self, step: str) -> None:
        self.report["steps"][step] = {
            "library": parsed(self.device),
            "gen3_parser": self._gen3_parse(),
        }

    async def _advance_to(self, step: str, phase: str, step_s: float) -> None:
        await self.advance_until(phase, step_s)
        await self._settle(step)

    async def _settle(self, step: str) -> None:
        seen = len(self._pushes())
        await self.cloud.advance(1)  # the simulator pushes every cooking cooker now
        await self.push_after(step, seen)

    async def _applied_update(self) -> None:
        async def applied() -> bool:
            cooker = await self.cloud.cooker(self.device.cooker_id)
            return bool(cooker["setpoint_c"] == 61.5 and cooker["timer_s"] == 900)

        await until("the update applied", applied)
        await self._settle("updated")


async def main(ws_url: str, http_url: str, token: str, expected: int) -> dict[str, Any]:
    async with aiohttp.ClientSession() as session:
        api = AnovaApi(session, personal_access_token=token)
        await api.authenticate()
        handler = AnovaWebsocketHandler(api._firebase_jwt, api.jwt, session)
        # The library hard-codes the real cloud; point the same URL at the simulator.
        handler.url = handler.url.replace(REAL_CLOUD, ws_url)
        raw: list[dict[str, Any]] = []
        library_on_message = handler.on_message

        def on_message(message: dict[str, Any]) -> None:
            raw.append(message)
            library_on_message(message)

        handler.on_message = on_message
        await handler.connect()
        report: dict[str, Any] = {"devices": [], "listener_error": None}
        try:
            await until("every cooker", lambda: len(handler.devices) == expected)
            cloud = Cloud(session, http_url)
            for device in handler.devices.values():
                report["devices"].append(await Run(device, cloud, raw).run())
        finally:
            listener = handler._message_listener
            if listener is not None and listener.done() and not listener.cancelled():
                error = listener.exception()
                report["listener_error"] = repr(error) if error else "listener ended"
            await handler.disconnect()
        return report


if __name__ == "__main__":
    ws, http, pat, count = sys.argv[1:5]
    print(json.dumps(asyncio.run(main(ws, http, pat, int(count)))))
