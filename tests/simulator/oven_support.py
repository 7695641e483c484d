"""Helpers for the simulated ovens' tests: a simulator with ovens, nested commands, plans.

The plans start from the recorded examples of anova-oven-api.md §3.1/§3.2
(``tests/fixtures/recorded-apo-start-v*.json``) so the simulator is tested
against what real apps send.
"""

from __future__ import annotations

import contextlib
import copy
import json
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from websockets.asyncio.client import connect

from bridge.simulator import DEMO_TOKEN, CloudSimulator, SimClock
from bridge.simulator.oven import SimOven
from tests.simulator.conftest import CloudClient
from tests.support.waiting import async_wait_until

FIXTURES = Path(__file__).parents[1] / "fixtures"


def fixture(name: str) -> dict[str, Any]:
    """A recorded example from the oven notes."""
    loaded: dict[str, Any] = json.loads((FIXTURES / f"recorded-apo-{name}.json").read_text())
    return loaded


def oven_sim(**kwargs: Any) -> CloudSimulator:
    """A frozen-clock simulator with one a7 and a v1 and a v2 oven, unless told otherwise."""
    kwargs.setdefault("ovens", ["oven_v1", "oven_v2"])
    kwargs.setdefault("clock", SimClock(speed=0))
    return CloudSimulator(cookers=1, types=["a7"], **kwargs)


@contextlib.asynccontextmanager
async def open_oven_client(
    sim: CloudSimulator, accessories: str = "APC,APO", *, expect: int | None = None
) -> AsyncIterator[CloudClient]:
    """Connect asking for ``accessories`` and wait for the whole greeting."""
    url = f"{sim.ws_url}?token={DEMO_TOKEN}&supportedAccessories={accessories}"
    client = CloudClient(await connect(url, open_timeout=5))
    cookers = 1 + len(sim.cookers)
    ovens = 2 + len(sim.ovens) if "APO" in accessories and sim.ovens else 0
    wanted = expect if expect is not None else cookers + ovens
    try:
        await async_wait_until(lambda: len(client.frames) >= wanted, what="greeting")
        yield client
    finally:
        await client.close()


def oven_states(client: CloudClient, oven_id: str) -> list[dict[str, Any]]:
    """Every ``EVENT_APO_STATE`` document pushed for ``oven_id``, oldest first."""
    return [
        f["payload"]["state"]
        for f in client.frames
        if f.get("command") == "EVENT_APO_STATE" and f["payload"]["cookerId"] == oven_id
    ]


async def wait_oven_state(
    client: CloudClient,
    oven_id: str,
    predicate: Callable[[dict[str, Any]], bool],
    within: float = 5.0,
) -> dict[str, Any]:
    """The latest pushed state of ``oven_id`` once it satisfies ``predicate``."""

    def found() -> dict[str, Any] | None:
        states = oven_states(client, oven_id)
        return states[-1] if states and predicate(states[-1]) else None

    return await async_wait_until(found, timeout=within, what=f"state of oven {oven_id}")


def envelope(command: str, oven_id: str, inner: Any = None) -> dict[str, Any]:
    """The nested oven envelope's outer payload (§2); no inner payload when None."""
    payload: dict[str, Any] = {"id": oven_id, "type": command}
    if inner is not None:
        payload["payload"] = inner
    return payload


async def oven_command(
    client: CloudClient, command: str, oven_id: str, inner: Any = None
) -> tuple[str, dict[str, Any]]:
    """Send an oven command; its requestId and RESPONSE payload."""
    rid = await client.send(command, envelope(command, oven_id, inner))
    return rid, await client.response(rid)


def v1_plan(oven: SimOven, **cook_stage: Any) -> dict[str, Any]:
    """The §3.1 preheat + 30 min cook plan for ``oven``; ``cook_stage`` overrides the cook stage."""
    inner: dict[str, Any] = copy.deepcopy(fixture("start-v1")["payload"]["payload"])
    inner["stages"][1].update(cook_stage)
    return inner


def v2_plan(oven: SimOven, **stage: Any) -> dict[str, Any]:
    """The §3.2 plan (preheat gate at 200 °C, 20 min timer) for ``oven``."""
    inner: dict[str, Any] = copy.deepcopy(fixture("start-v2")["payload"]["payload"])
    inner["cookerId"] = oven.cooker_id
    inner["stages"][0].update(stage)
    return inner


def v1_stage(stage_id: str, kind: str = "cook", **fields: Any) -> dict[str, Any]:
    """A valid v1 stage at 180 °C dry, rear element, fan 100."""
    stage: dict[str, Any] = {
        "id": stage_id,
        "type": kind,
        "userActionRequired": False,
        "temperatureBulbs": {
            "mode": "dry",
            "dry": {"setpoint": {"celsius": 180, "fahrenheit": 356}},
        },
        "heatingElements": {"top": {"on": False}, "bottom": {"on": False}, "rear": {"on": True}},
        "fan": {"speed": 100},
        "vent": {"open": False},
    }
    stage.update(fields)
    return stage


def wet_bulbs(celsius: float) -> dict[str, Any]:
    """A v1 wet-bulb ``temperatureBulbs`` at ``celsius``."""
    fahrenheit = round(celsius * 9 / 5 + 32, 2)
    return {"mode": "wet", "wet": {"setpoint": {"celsius": celsius, "fahrenheit": fahrenheit}}}


def v2_stage(stage_id: str, *, exit_: Any = None, entry: Any = None, **do: Any) -> dict[str, Any]:
    """A valid v2 stage at 180 °C dry, rear element, fan 100, no conditions unless given."""
    body: dict[str, Any] = {
        "type": "cook",
        "fan": {"speed": 100},
        "heatingElements": {"top": {"on": False}, "bottom": {"on": False}, "rear": {"on": True}},
        "temperatureBulbs": {"mode": "dry", "dry": {"setpoint": {"celsius": 180}}},
    }
    body.update(do)
    stage: dict[str, Any] = {"id": stage_id, "do": body}
    if entry is not None:
        stage["entry"] = {"conditions": entry}
    if exit_ is not None:
        stage["exit"] = {"conditions": exit_}
    return stage


def v2_plan_of(oven: SimOven, *stages: dict[str, Any]) -> dict[str, Any]:
    """A v2 START payload running ``stages`` on ``oven``."""
    return {
        "cookerId": oven.cooker_id,
        "type": "oven_v2",
        "originSource": "api",
        "cookableType": "manual",
        "cookId": f"android-{uuid.uuid4()}",
        "stages": list(stages),
    }


def v1_plan_of(*stages: dict[str, Any]) -> dict[str, Any]:
    """A v1 START payload running ``stages``."""
    return {"cookId": f"android-{uuid.uuid4()}", "stages": list(stages)}
