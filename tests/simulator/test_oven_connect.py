"""Ovens on the cookers' socket: who is greeted with what, and stable identities (§1)."""

from __future__ import annotations

import re

import pytest

from bridge.errors import ConfigError
from bridge.simulator import CloudSimulator, SimClock
from tests.simulator.conftest import open_client
from tests.simulator.oven_support import open_oven_client, oven_sim

OVEN_ID = re.compile(r"^0123[0-9a-f]{14}$")


async def test_an_apo_connection_gets_the_oven_list_user_state_and_one_state_per_oven() -> None:
    async with oven_sim() as sim, open_oven_client(sim) as client:
        commands = [f["command"] for f in client.frames]
        assert commands == [
            "EVENT_APC_WIFI_LIST",
            "EVENT_APC_STATE",
            "EVENT_APO_WIFI_LIST",
            "EVENT_USER_STATE",
            "EVENT_APO_STATE",
            "EVENT_APO_STATE",
        ]
        listed = client.frames[2]["payload"]
        assert listed == [
            {
                "cookerId": o.cooker_id,
                "name": o.name,
                "pairedAt": o.identity.paired_at,
                "type": o.type,
            }
            for o in sim.ovens
        ]
        assert set(client.frames[3]["payload"]) == {
            "isConnectedToAlexa",
            "isConnectedToGoogleHome",
            "sousVideSubscription",
            "ovenSubscription",
        }
        states = [f["payload"] for f in client.frames[4:]]
        assert [(s["cookerId"], s["type"]) for s in states] == [
            (o.cooker_id, o.type) for o in sim.ovens
        ]
        assert [s["state"]["version"] for s in states] == [1, 2]


async def test_an_apc_only_connection_never_hears_of_ovens() -> None:
    async with oven_sim() as sim, open_oven_client(sim, "APC") as client:
        await sim.advance(60)
        sim.set_oven_door(sim.ovens[0].cooker_id, True)
        # A cooker command's answer is a barrier: everything pushed before it has arrived.
        await client.command("CMD_APC_STOP", {"cookerId": sim.cookers[0].cooker_id, "type": "a7"})
        assert not [f for f in client.frames if "APO" in f["command"] or "USER" in f["command"]]


async def test_without_ovens_an_apo_connection_is_greeted_as_before() -> None:
    async with (
        CloudSimulator(cookers=1, types=["a7"], clock=SimClock(speed=0)) as sim,
        open_client(sim) as client,
    ):
        await client.command("CMD_APC_STOP", {"cookerId": sim.cookers[0].cooker_id, "type": "a7"})
        assert [f["command"] for f in client.frames[:2]] == [
            "EVENT_APC_WIFI_LIST",
            "EVENT_APC_STATE",
        ]
        assert not [
            f for f in client.frames if f["command"].startswith(("EVENT_APO", "EVENT_USER"))
        ]
        assert sim.snapshot()["ovens"] == []


def test_oven_ids_and_names_are_stable_and_look_real() -> None:
    def ovens(**kwargs: object) -> list[tuple[str, str, str]]:
        sim = oven_sim(ovens=["oven_v1", "oven_v2", "oven_v2"], **kwargs)
        return [(o.cooker_id, o.name, o.type) for o in sim.ovens]

    assert ovens() == ovens()
    assert ovens(seed=3) == ovens(seed=3) != ovens()
    assert all(OVEN_ID.match(oven_id) for oven_id, _, _ in ovens())
    assert [name for _, name, _ in ovens()] == [
        "Precision Oven",
        "Precision Oven 2.0 1",
        "Precision Oven 2.0 2",
    ]
    single = oven_sim(ovens=["oven_v2"]).ovens[0]
    assert single.name == "Precision Oven 2.0"


def test_an_unknown_oven_type_is_a_config_error_naming_it() -> None:
    with pytest.raises(ConfigError, match="'oven_v3'"):
        oven_sim(ovens=["oven_v3"])
