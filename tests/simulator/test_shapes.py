"""Pushed state documents have the recorded cloud shapes, key for key."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bridge.simulator import CloudSimulator, SimClock
from tests.simulator.conftest import CloudClient, open_client, start_payload

FIXTURES = Path(__file__).parents[1] / "fixtures"
# The recorded gen-2 example omits the low-water pin the protocol lists.
GEN2_EXTRA_KEYS = {"pin-info.water-level-low"}


def example(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / f"recorded-{name}.json").read_text())
    return loaded


def key_paths(value: Any, prefix: str = "") -> set[str]:
    """Dotted paths of every key; list items are described by their first element."""
    paths: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            path = f"{prefix}.{key}" if prefix else key
            paths |= {path} | key_paths(inner, path)
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        paths |= key_paths(value[0], f"{prefix}[]")
    return paths


def leaf_types(value: Any, prefix: str = "") -> dict[str, type]:
    """Type of each scalar leaf (ints and floats both count as numbers)."""
    if isinstance(value, dict):
        out: dict[str, type] = {}
        for key, inner in value.items():
            out |= leaf_types(inner, f"{prefix}.{key}" if prefix else key)
        return out
    if isinstance(value, list):
        return {prefix: list}
    return {
        prefix: float
        if isinstance(value, int | float) and not isinstance(value, bool)
        else type(value)
    }


async def cooking_states(
    sim: CloudSimulator, client: CloudClient
) -> tuple[dict[str, Any], dict[str, Any]]:
    a7, a5 = sim.cookers
    await client.command("CMD_APC_START", start_payload(a7, 54.5, timer=1200, unit="C"))
    await client.command("CMD_APC_START", start_payload(a5, 65.0, timer=36000))
    while a7.phase != "cooking" or a5.phase != "cooking":
        await sim.advance(60)
    await sim.advance(60)
    gen3 = await client.wait_state(a7.cooker_id, lambda s: s["nodes"]["timer"]["mode"] == "running")
    gen2 = await client.wait_state(a5.cooker_id, lambda s: s["job-status"]["state"] == "COOKING")
    return gen3, gen2


async def test_cooking_gen3_state_matches_the_recorded_example(
    sim: CloudSimulator, client: CloudClient
) -> None:
    gen3, _ = await cooking_states(sim, client)
    recorded = example("gen3")
    assert key_paths(gen3) == key_paths(recorded)
    assert leaf_types(gen3) == leaf_types(recorded)
    assert gen3["systemInfo"]["deviceId"] == sim.cookers[0].cooker_id
    assert gen3["systemInfo"]["firmwareVersion"] == "01.01.25"


async def test_cooking_gen2_state_matches_the_recorded_example(
    sim: CloudSimulator, client: CloudClient
) -> None:
    _, gen2 = await cooking_states(sim, client)
    recorded = example("gen2")
    assert key_paths(gen2) == key_paths(recorded) | GEN2_EXTRA_KEYS
    types = leaf_types(gen2)
    assert {k: types[k] for k in leaf_types(recorded)} == leaf_types(recorded)
    assert gen2["system-info-3220"]["firmware-version"] == "1.4.4"
    assert gen2["job"]["cook-time-seconds"] == 36000
    assert gen2["job"]["target-temperature"] == 65.0


async def test_idle_states_keep_the_keys_clients_require(
    client: CloudClient, sim: CloudSimulator
) -> None:
    a7, a5 = sim.cookers
    gen3 = client.states(a7.cooker_id)[-1]
    assert gen3["state"]["mode"] == "idle"
    assert "cook" not in gen3
    assert gen3["nodes"]["timer"] == {"mode": "idle", "initial": 0}
    gen2 = client.states(a5.cooker_id)[-1]
    assert (gen2["job"]["mode"], gen2["job-status"]["state"]) == ("IDLE", "")
    for required in (gen2["job"]["id"], gen2["job"]["ota-url"], gen2["pin-info"]["device-safe"]):
        assert required is not None


async def test_a3_states_match_the_recorded_push_through_every_stage() -> None:
    clock = SimClock(speed=0)
    async with (
        CloudSimulator(cookers=1, types=["a3"], clock=clock) as sim,
        open_client(sim) as client,
    ):
        a3 = sim.cookers[0]
        idle = client.states(a3.cooker_id)[-1]
        assert idle["currentJob"]["jobStage"] == "none"
        assert idle["firmwareVersion"] == "ver 5.5.1"
        await client.command("CMD_APC_START", start_payload(a3, 140.0, timer=600, unit="F"))
        heating = await client.wait_state(a3.cooker_id, lambda s: s["isCooking"])
        assert heating["currentJob"]["jobStage"] == "heating"
        while a3.phase != "cooking":
            await sim.advance(30)
        cooking = await client.wait_state(
            a3.cooker_id, lambda s: s["currentJob"]["jobStage"] == "cooking"
        )
        recorded = example("a3")
        assert key_paths(cooking) == key_paths(recorded)
        assert leaf_types(cooking) == leaf_types(recorded)
        assert (cooking["unit"], cooking["currentJob"]["tempUnit"]) == ("f", "f")
        assert cooking["targetTemperature"] == 140.0
        assert cooking["isTimerRunning"] is True
        assert cooking["currentJob"]["timerLength"] == 600
        await sim.advance(600)
        warm = await client.wait_state(
            a3.cooker_id, lambda s: s["currentJob"]["jobStage"] == "keeping_warm"
        )
        assert (warm["isKeepingWarm"], warm["timerInSeconds"]) == (True, 0)
